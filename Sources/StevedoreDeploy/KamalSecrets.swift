import Foundation
import StevedoreCore

/// The secrets Kamal 2 reads for a destination: `.kamal/secrets-common`, then `.kamal/secrets` (or
/// `.kamal/secrets.DEST` with a destination), later files winning, each in dotenv syntax.
///
/// Values are resolved the way the dotenv gem does with `overwrite: true`: `$VAR` and `${VAR}` expand from
/// the keys defined earlier in the same file, else from the environment, else to nothing; `\$` is a literal
/// `$`; single-quoted values are taken literally; `\n` in double quotes is a line break. Command
/// substitution `$(…)` is *not* run (it may call a password manager, or anything): such a value is
/// reported as unverifiable rather than guessed.
public struct KamalSecrets: Sendable {
    /// One secret as written and as resolved.
    public struct Entry: Hashable, Sendable {
        /// The secret's name, e.g. `KAMAL_REGISTRY_PASSWORD`.
        public var name: String
        /// The resolved value; `nil` when it uses command substitution and so cannot be known here.
        public var value: String?
        /// The file it comes from, relative to the package directory.
        public var file: String
        /// The 1-based line it starts on.
        public var line: Int
        /// The variables its value expands (`GITHUB_TOKEN` for `$GITHUB_TOKEN`), in order.
        public var expandedVariables: [String]
        /// Whether the value contains `$(…)`.
        public var usesCommandSubstitution: Bool

        /// `.kamal/secrets line 3`.
        public var location: String { "\(file) line \(line)" }
    }

    /// The files Kamal would read, in order, whether or not they exist.
    public var candidateFiles: [String]
    /// The candidate files that exist.
    public var existingFiles: [String]
    /// The secrets, the later file winning for a name defined twice.
    public var entries: [String: Entry]

    /// Creates a set of secrets from already parsed entries.
    public init(candidateFiles: [String], existingFiles: [String], entries: [String: Entry]) {
        self.candidateFiles = candidateFiles
        self.existingFiles = existingFiles
        self.entries = entries
    }

    /// The files Kamal reads for `secretsPath` (`.kamal/secrets`) and a destination.
    public static func candidateFiles(secretsPath: String, destination: String?) -> [String] {
        ["\(secretsPath)-common", destination.map { "\(secretsPath).\($0)" } ?? secretsPath]
    }

    /// Reads the secrets files Kamal would read, resolving variables from `environment`.
    ///
    /// - Throws: ``StevedoreError`` `unreadableSecrets` when a file exists but cannot be read.
    public static func load(
        packageDirectory: String,
        secretsPath: String = ".kamal/secrets",
        destination: String? = nil,
        environment: [String: String]
    ) throws -> KamalSecrets {
        let candidates = candidateFiles(secretsPath: secretsPath, destination: destination)
        var existing: [String] = []
        var entries: [String: Entry] = [:]
        for file in candidates {
            let path = KamalConfiguration.absolute(file, in: packageDirectory)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw StevedoreError(.unreadableSecrets, "\(file) exists but cannot be read; check its permissions")
            }
            existing.append(file)
            for entry in parse(String(decoding: data, as: UTF8.self), file: file, environment: environment) {
                entries[entry.name] = entry
            }
        }
        return KamalSecrets(candidateFiles: candidates, existingFiles: existing, entries: entries)
    }

    /// Parses one dotenv file: `NAME=value`, `export NAME=value` or `NAME: value`, `#` comments, quoted values
    /// that may span lines.
    public static func parse(_ text: String, file: String, environment: [String: String]) -> [Entry] {
        var entries: [Entry] = []
        var defined: [String: String] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var rest = lines[index].trimmingWhitespace()
            index += 1
            guard !rest.isEmpty, !rest.hasPrefix("#") else { continue }
            if rest.hasPrefix("export "), rest.dropFirst(7).trimmingWhitespace().first.map(isNameCharacter) == true {
                rest = rest.dropFirst(7).trimmingWhitespace()
            }
            let name = rest.prefix(while: isNameCharacter)
            guard !name.isEmpty else { continue }
            rest = rest.dropFirst(name.count)
            let afterSpaces = rest.drop(while: { $0 == " " || $0 == "\t" })
            if afterSpaces.hasPrefix("=") {
                rest = afterSpaces.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
            } else if rest.hasPrefix(":"), rest.dropFirst().first?.isWhitespace ?? true {
                rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
            } else {
                continue
            }
            var raw: String
            var quote: Character?
            if let first = rest.first, first == "'" || first == "\"" {
                quote = first
                var body = String(rest.dropFirst())
                // A quoted value ends at the next unescaped quote, possibly on a later line.
                while closingQuote(in: body, quote: first) == nil, index < lines.count {
                    body += "\n" + lines[index]
                    index += 1
                }
                if let end = closingQuote(in: body, quote: first) {
                    raw = String(body[..<end])
                } else {
                    raw = body
                }
            } else {
                raw = String(rest.prefix(while: { $0 != "#" }).trimmingWhitespace())
            }
            var expanded: [String] = []
            var commandSubstitution = false
            if quote != "'" {
                if quote == "\"" {
                    raw = raw.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r")
                }
                raw = unescape(raw)
                commandSubstitution = containsCommandSubstitution(raw)
                raw = expandVariables(in: raw, defined: defined, environment: environment, expanded: &expanded)
            }
            let value: String? = commandSubstitution ? nil : raw
            defined[String(name)] = raw
            entries.append(Entry(
                name: String(name), value: value, file: file, line: lineNumber,
                expandedVariables: expanded, usesCommandSubstitution: commandSubstitution
            ))
        }
        return entries
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character == "_" || character == "." || (character.isASCII && (character.isLetter || character.isNumber))
    }

    private static func closingQuote(in body: String, quote: Character) -> String.Index? {
        var escaped = false
        for index in body.indices {
            let character = body[index]
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == quote { return index }
        }
        return nil
    }

    /// dotenv's `gsub(/\\([^$])/, '\1')`: a backslash before anything but `$` is dropped.
    private static func unescape(_ text: String) -> String {
        var result = ""
        var iterator = Array(text)[...]
        while let character = iterator.popFirst() {
            if character == "\\", let next = iterator.first, next != "$" {
                result.append(next)
                iterator = iterator.dropFirst()
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func containsCommandSubstitution(_ text: String) -> Bool {
        let characters = Array(text)
        for index in characters.indices.dropLast() where characters[index] == "$" && characters[index + 1] == "(" {
            if index == 0 || characters[index - 1] != "\\" { return true }
        }
        return false
    }

    /// dotenv's variable substitution: `\$X` stays `$X`; `$X` and `${X}` become the value defined earlier in
    /// the file, else the environment's, else nothing.
    private static func expandVariables(
        in text: String, defined: [String: String], environment: [String: String], expanded: inout [String]
    ) -> String {
        let characters = Array(text)
        var result = ""
        var index = 0
        func isVariableCharacter(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count, characters[index + 1] == "$" {
                result.append("$")
                index += 2
                continue
            }
            guard character == "$", index + 1 < characters.count, characters[index + 1] != "(" else {
                result.append(character)
                index += 1
                continue
            }
            var cursor = index + 1
            let braced = characters[cursor] == "{"
            if braced { cursor += 1 }
            let start = cursor
            while cursor < characters.count, isVariableCharacter(characters[cursor]) { cursor += 1 }
            let name = String(characters[start..<cursor])
            if braced, cursor < characters.count, characters[cursor] == "}" { cursor += 1 }
            if name.isEmpty {
                result.append(contentsOf: characters[index..<cursor])
            } else {
                expanded.append(name)
                result += defined[name] ?? environment[name] ?? ""
            }
            index = cursor
        }
        return result
    }
}

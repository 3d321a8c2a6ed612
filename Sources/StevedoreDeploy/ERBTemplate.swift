/// The ERB that Kamal runs over `config/deploy.yml` before parsing it, reduced to what Stevedore can
/// evaluate without Ruby: `<%= ENV["NAME"] %>`, `<%= ENV['NAME'] %>`, `<%= ENV.fetch("NAME") %>` and
/// `<%= ENV.fetch("NAME", "default") %>`, comments `<%# … %>` and the escape `<%%`.
///
/// Any other tag is replaced by a marker so that, after parsing, the key holding it can be named in a
/// finding ("`image` uses ERB that Stevedore does not evaluate").
struct ERBTemplate {
    /// An ERB tag that could not be evaluated.
    struct Issue: Hashable, Sendable {
        enum Kind: Hashable, Sendable {
            /// An output tag whose Ruby Stevedore does not evaluate.
            case notEvaluated
            /// `ENV.fetch("NAME")` without a default, and `NAME` is not set: Kamal would stop with `KeyError`.
            case missingVariable(String)
            /// A code tag (`<% if … %>`): it was dropped, so both branches of a condition stay in the text.
            case codeTag
        }

        var kind: Kind
        /// The tag as written, `<%= … %>`.
        var tag: String
        /// The 1-based line the tag starts on.
        var line: Int
        /// The text put in place of the tag (empty for code tags).
        var marker: String
    }

    /// The text after evaluation.
    var text: String
    /// The tags that could not be evaluated.
    var issues: [Issue]

    /// Evaluates `source` with `environment` standing for Ruby's `ENV`.
    init(evaluating source: String, environment: [String: String], markerPrefix: String) {
        var output = ""
        var issues: [Issue] = []
        var rest = Substring(source)
        var line = 1
        while let open = rest.range(of: "<%") {
            let before = rest[..<open.lowerBound]
            output += before
            line += before.count(where: { $0 == "\n" })
            let afterOpen = rest[open.upperBound...]
            if afterOpen.hasPrefix("%") {
                output += "<%"
                rest = afterOpen.dropFirst()
                continue
            }
            guard let close = afterOpen.range(of: "%>") else {
                // An unclosed tag: ERB itself would fail; keep the text and let the YAML parser report it.
                output += rest[open.lowerBound...]
                rest = rest[rest.endIndex...]
                break
            }
            var body = afterOpen[..<close.lowerBound]
            var after = afterOpen[close.upperBound...]
            let tag = String(rest[open.lowerBound..<close.upperBound])
            let tagLine = line
            line += tag.count(where: { $0 == "\n" })
            if body.hasSuffix("-") {
                body = body.dropLast()
                if after.hasPrefix("\n") { after = after.dropFirst(); line += 1 }
            }
            if body.hasPrefix("#") {
                // A comment: produces nothing.
            } else if body.hasPrefix("=") {
                let ruby = body.dropFirst().trimmingWhitespace()
                let marker = "\(markerPrefix)\(issues.count + 1)"
                switch Self.evaluate(ruby, environment: environment) {
                case .value(let value):
                    output += value
                case .missing(let name):
                    output += marker
                    issues.append(Issue(kind: .missingVariable(name), tag: tag, line: tagLine, marker: marker))
                case .unsupported:
                    output += marker
                    issues.append(Issue(kind: .notEvaluated, tag: tag, line: tagLine, marker: marker))
                }
            } else {
                issues.append(Issue(kind: .codeTag, tag: tag, line: tagLine, marker: ""))
            }
            rest = after
        }
        output += rest
        self.text = output
        self.issues = issues
    }

    private enum Evaluation {
        case value(String)
        case missing(String)
        case unsupported
    }

    private static func evaluate(_ ruby: Substring, environment: [String: String]) -> Evaluation {
        var scanner = RubyScanner(ruby)
        guard scanner.consume("ENV") else { return .unsupported }
        if scanner.consume("[") {
            guard let name = scanner.stringLiteral(), scanner.consume("]"), scanner.isAtEnd else { return .unsupported }
            return .value(environment[name] ?? "")
        }
        guard scanner.consume("."), scanner.consume("fetch"), scanner.consume("("),
              let name = scanner.stringLiteral() else { return .unsupported }
        if scanner.consume(")") {
            guard scanner.isAtEnd else { return .unsupported }
            if let value = environment[name] { return .value(value) }
            return .missing(name)
        }
        guard scanner.consume(","), let fallback = scanner.stringLiteral(), scanner.consume(")"), scanner.isAtEnd else {
            return .unsupported
        }
        return .value(environment[name] ?? fallback)
    }
}

/// Reads the few Ruby tokens `ENV[...]` and `ENV.fetch(...)` are made of, skipping spaces between them.
private struct RubyScanner {
    private var rest: Substring

    init(_ text: Substring) { rest = text }

    var isAtEnd: Bool { rest.trimmingWhitespace().isEmpty }

    mutating func consume(_ token: String) -> Bool {
        rest = rest.drop(while: { $0 == " " || $0 == "\t" })
        guard rest.hasPrefix(token) else { return false }
        rest = rest.dropFirst(token.count)
        return true
    }

    /// A single- or double-quoted string without escapes or interpolation.
    mutating func stringLiteral() -> String? {
        rest = rest.drop(while: { $0 == " " || $0 == "\t" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let body = rest.dropFirst()
        guard let end = body.firstIndex(of: quote) else { return nil }
        let value = body[..<end]
        guard !value.contains("\\"), !(quote == "\"" && value.contains("#{")) else { return nil }
        rest = body[body.index(after: end)...]
        return String(value)
    }
}

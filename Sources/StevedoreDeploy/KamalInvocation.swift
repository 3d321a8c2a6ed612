import Foundation
import StevedoreProcess
import StevedoreCore

/// The `kamal deploy` command Stevedore runs: the program (`kamal`, `bundle exec kamal` or `--kamal PATH`),
/// the arguments, and the secrets it gets in its environment — never on its command line.
public struct KamalInvocation: Sendable {
    /// The program and its leading arguments: `[/usr/local/bin/kamal]` or `[/usr/bin/bundle, exec, kamal]`.
    public var executable: [String]
    /// `deploy --skip-push --version TAG` and the options given.
    public var arguments: [String]
    /// Variables added to Kamal's environment: the registry password under its secret's name.
    public var secretEnvironment: [String: String]
    /// The directory Kamal runs in (it reads `config/` and `.kamal/` from there).
    public var workingDirectory: String

    /// Creates an invocation.
    public init(executable: [String], arguments: [String], secretEnvironment: [String: String], workingDirectory: String) {
        self.executable = executable
        self.arguments = arguments
        self.secretEnvironment = secretEnvironment
        self.workingDirectory = workingDirectory
    }

    /// The full argument vector.
    public var argv: [String] { executable + arguments }

    /// `kamal deploy --skip-push --version TAG [-c FILE] [-d DEST] [--hosts H] [--roles R] [extra…]`.
    public static func deployArguments(
        tag: String,
        configFile: String? = nil,
        destination: String? = nil,
        hosts: String? = nil,
        roles: String? = nil,
        extraArguments: [String] = []
    ) -> [String] {
        var arguments = ["deploy", "--skip-push", "--version", tag]
        if let configFile, configFile != KamalConfiguration.defaultFile { arguments += ["--config-file", configFile] }
        if let destination { arguments += ["-d", destination] }
        if let hosts { arguments += ["--hosts", hosts] }
        if let roles { arguments += ["--roles", roles] }
        return arguments + extraArguments
    }

    /// Finds Kamal: `explicitPath` when given; else `bundle exec kamal` when the package's `Gemfile` names the
    /// `kamal` gem; else `kamal` on `PATH`.
    ///
    /// - Throws: ``StevedoreError`` `kamalNotFound`, saying how to install it.
    public static func locateKamal(explicitPath: String?, packageDirectory: String, environment: [String: String]) throws -> [String] {
        if let explicitPath {
            let path = KamalConfiguration.absolute(explicitPath, in: FileManager.default.currentDirectoryPath)
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw StevedoreError(.kamalNotFound, "--kamal \(explicitPath) is not an executable file")
            }
            return [path]
        }
        if gemfileNamesKamal(packageDirectory: packageDirectory) {
            guard let bundle = findOnPath("bundle", environment: environment) else {
                throw StevedoreError(.kamalNotFound, "the Gemfile names kamal, but `bundle` is not on PATH; install Bundler (gem install bundler) and run `bundle install`")
            }
            return [bundle, "exec", "kamal"]
        }
        guard let kamal = findOnPath("kamal", environment: environment) else {
            throw StevedoreError(.kamalNotFound, "kamal is not on PATH; install it with `gem install kamal`, add it to the Gemfile (gem \"kamal\"), or pass --kamal PATH")
        }
        return [kamal]
    }

    /// Whether `Gemfile` has a line `gem "kamal"` (or `gem 'kamal'`), not commented out.
    public static func gemfileNamesKamal(packageDirectory: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: "\(packageDirectory)/Gemfile") else { return false }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").contains { line in
            let code = line.trimmingWhitespace()
            guard code.hasPrefix("gem") else { return false }
            let rest = code.dropFirst(3).drop(while: { $0 == " " || $0 == "\t" || $0 == "(" })
            return rest.hasPrefix("\"kamal\"") || rest.hasPrefix("'kamal'")
        }
    }

    /// The absolute path of `program` in the `PATH` of `environment`.
    public static func findOnPath(_ program: String, environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The command as a shell would read it, for `--dry-run`; the secrets are named, their values are not shown.
    public var commandLine: String {
        let names = secretEnvironment.keys.sorted()
        let command = argv.map(Self.shellQuoted).joined(separator: " ")
        guard !names.isEmpty else { return command }
        return command + "\n  with \(names.joined(separator: ", ")) set in its environment (value hidden)"
    }

    /// Runs Kamal in ``workingDirectory`` with `baseEnvironment` less Stevedore's own `STEVEDORE_*` variables (the
    /// push's registry credentials among them, which are not Kamal's or its hooks' to see) plus
    /// ``secretEnvironment``, its output going
    /// straight to `output` and `errorOutput` (this process's own by default), and returns its exit status
    /// (128 + the signal when a signal ended it).
    ///
    /// - Throws: ``StevedoreError`` `kamalLaunchFailed` when it cannot be started.
    public func run(
        baseEnvironment: [String: String],
        output: FileHandle = .standardOutput,
        errorOutput: FileHandle = .standardError
    ) async throws -> Int32 {
        guard let program = executable.first else {
            throw StevedoreError(.kamalLaunchFailed, "no Kamal program to run")
        }
        let kamal = ChildProcess(
            program,
            Array(argv.dropFirst()),
            environment: baseEnvironment.filter { !$0.key.hasPrefix("STEVEDORE_") }.merging(secretEnvironment) { _, secret in secret },
            workingDirectory: workingDirectory
        )
        do {
            return try await kamal.runPassingOutputThrough(standardOutput: output, standardError: errorOutput).shellStatus
        } catch let error as StevedoreError {
            throw StevedoreError(.kamalLaunchFailed, "could not start \(program): \(error.message)")
        }
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:@,+".contains($0)) }
        if safe, !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

import Foundation
import StevedoreTestSupport
import Testing

/// End-to-end tests of the `build-image` and `push-image` SwiftPM plugins: each runs `swift package …` on a real
/// package that depends on Stevedore by path. They are slow (the first run compiles Stevedore and its dependencies
/// into a shared scratch directory, `.build/plugin-tests/scratch`); set STEVEDORE_SKIP_PLUGIN_TESTS=1 to skip them.
///
/// What is kept between runs, and why it cannot hide a failure: only the scratch directory, i.e. compiled code.
/// SwiftPM rebuilds from it whatever changed (Stevedore is this checkout, by path), and rebuilding it from nothing
/// would cost every run many minutes. Everything a test asserts on starts fresh: ``PluginFixture/package(at:files:origin:products:)``
/// regenerates the consumer package's sources and git history, deletes its `.build` (the plugins' outputs: layouts,
/// `pushed-image`) and the consumer's linked executables in the scratch directory, so an image, a digest or a
/// pushed reference can only come from the run under test.
@Suite(.serialized, .dedicatedThread, .disabled(if: ProcessInfo.processInfo.environment["STEVEDORE_SKIP_PLUGIN_TESTS"] == "1"))
struct PluginTests {}

/// Packages, commands and checks the plugin tests share.
enum PluginFixture {
    /// The Stevedore package the test packages depend on.
    static let stevedoreRoot = URL(fileURLWithPath: BuildProducts.packageRoot).standardizedFileURL.path
    /// Where the test packages that are reused between runs live, with the shared scratch directory.
    static let workRoot = stevedoreRoot + "/.build/plugin-tests"
    static let scratch = workRoot + "/scratch"
    static let commitSeconds = 1_700_000_000
    static let commitDate = "2023-11-14T22:13:20Z"

    /// Variables a CI runner might set that would change the plugins' defaults; the tests set what they need.
    static let neutralEnvironment: [String: String?] = [
        "GITHUB_ACTIONS": nil, "GITHUB_REPOSITORY": nil, "GITHUB_SHA": nil, "GITHUB_REF": nil, "GITHUB_OUTPUT": nil,
        "GITHUB_STEP_SUMMARY": nil, "GITHUB_EVENT_PATH": nil, "GITHUB_SERVER_URL": nil, "SOURCE_DATE_EPOCH": nil,
        "GIT_AUTHOR_DATE": "@\(commitSeconds) +0000", "GIT_COMMITTER_DATE": "@\(commitSeconds) +0000",
        "GIT_AUTHOR_NAME": "Stevedore Test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Stevedore Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    ]

    /// A copy of Examples/HelloServer in `.build/plugin-tests/HelloServer`, regenerated for each test, depending on
    /// this Stevedore checkout by absolute path, committed with a fixed date.
    static func helloServer(origin: String? = "git@github.com:Acme/Hello.git") throws -> String {
        let example = stevedoreRoot + "/Examples/HelloServer"
        var files: [String: String] = [:]
        for relative in ["Package.swift", ".gitignore", "Sources/HelloServer/HelloServer.swift", "Sources/HelloServer/Resources/index.html"] {
            files[relative] = try String(contentsOfFile: "\(example)/\(relative)", encoding: .utf8)
        }
        files["Package.swift"] = files["Package.swift"]?.replacingOccurrences(of: #".package(path: "../..")"#, with: ".package(path: \"\(stevedoreRoot)\")")
        return try package(at: workRoot + "/HelloServer", files: files, origin: origin, products: ["HelloServer"])
    }

    /// Lays out a package at `directory` with exactly `files` (anything there before, `.build` included, is removed),
    /// then makes it a git repository with one commit on `main`, and `origin` when given. The executables named
    /// `products` are deleted from the shared scratch directory, so that the plugins must link them again.
    static func package(at directory: String, files: [String: String], origin: String? = nil, products: [String] = []) throws -> String {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for entry in try manager.contentsOfDirectory(atPath: directory) {
            try manager.removeItem(atPath: "\(directory)/\(entry)")
        }
        // The plugins build products in a scratch directory of their own inside SwiftPM's.
        for build in [scratch, scratch + "/stevedore/products/host"] {
            for platform in (try? manager.contentsOfDirectory(atPath: build)) ?? [] {
                for configuration in ["debug", "release"] {
                    for product in products where manager.fileExists(atPath: "\(build)/\(platform)/\(configuration)/\(product)") {
                        try manager.removeItem(atPath: "\(build)/\(platform)/\(configuration)/\(product)")
                    }
                }
            }
        }
        for (relative, contents) in files {
            let path = "\(directory)/\(relative)"
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        }
        if files[".gitignore"] == nil { try Data(".build/\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/.gitignore")) }
        try git(["init", "-q", "-b", "main"], in: directory)
        try git(["add", "-A"], in: directory)
        try git(["commit", "-q", "-m", "Package"], in: directory)
        if let origin { try git(["remote", "add", "origin", origin], in: directory) }
        let left = Set(try manager.contentsOfDirectory(atPath: directory))
        let expected = Set(files.keys.map { String($0.split(separator: "/")[0]) } + [".git", ".gitignore"])
        guard left == expected else { throw TestFailure("\(directory) holds \(left.sorted()), expected only \(expected.sorted())") }
        return directory
    }

    static func git(_ arguments: [String], in directory: String) throws {
        let result = try ProcessRunner.run(["git", "-C", directory] + arguments, environment: neutralEnvironment)
        guard result.status == 0 else { throw TestFailure("git \(arguments.joined(separator: " ")) failed: \(result.output)") }
    }

    static func head(of directory: String) throws -> String {
        try ProcessRunner.run(["git", "-C", directory, "rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `swift package <permissions> <arguments>` in `directory` with the shared scratch directory (or `scratchPath`).
    static func swiftPackage(_ arguments: [String], in directory: String, environment: [String: String?] = [:], scratchPath: String = scratch) throws -> ProcessResult {
        var variables = neutralEnvironment
        for (key, value) in environment { variables[key] = value }
        return try ProcessRunner.run(
            ["swift", "package", "--package-path", directory, "--scratch-path", scratchPath,
             "--allow-writing-to-package-directory", "--allow-network-connections", "all"] + arguments,
            environment: variables,
            currentDirectory: directory,
            timeout: 3_600
        )
    }

    /// The `sha256:…` after `Image digest:` in the plugin's output.
    static func builtDigest(in output: String) -> String? {
        firstMatch(of: #"Image digest: (sha256:[0-9a-f]{64})"#, in: output)
    }

    static func firstMatch(of pattern: String, in text: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
              let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }

    /// A JSON document printed by a tool, e.g. `skopeo inspect`.
    /// The version `Package.resolved` in `package` pins for the package `identity`.
    static func resolvedVersion(of identity: String, in package: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: package + "/Package.resolved"))
        let resolved = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let pins = resolved["pins"] as? [[String: Any]] ?? []
        let pin = try #require(pins.first { $0["identity"] as? String == identity }, "\(identity) is not pinned in \(package)/Package.resolved")
        return try #require((pin["state"] as? [String: Any])?["version"] as? String)
    }

    static func json(_ result: ProcessResult) throws -> [String: Any] {
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw TestFailure("expected JSON, got status \(result.status): \(result.output)")
        }
        return object
    }
}

/// A test precondition that did not hold, with what was seen.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A test registry on 127.0.0.1 for push tests: plain, or TLS with token authentication.
struct PluginTestRegistry {
    static let user = "pusher"
    static let password = "pusher-secret"

    let directory: TemporaryDirectory
    let certificates: RegistryCertificates?
    let tokenServer: RegistryTokenServer?
    let server: RegistryServer

    var host: String { server.address }

    /// Starts a registry; with `tokenAuthentication`, TLS with a fresh CA and a token server that lets
    /// ``user`` push.
    init(tokenAuthentication: Bool) throws {
        directory = try TemporaryDirectory("plugin-registry")
        if tokenAuthentication {
            let certificates = try RegistryCertificates(directory: directory.appending("certs"))
            let tokenServer = try RegistryTokenServer(
                directory: directory.appending("token"), certificates: certificates,
                users: [Self.user: (Self.password, ["pull", "push"])])
            self.certificates = certificates
            self.tokenServer = tokenServer
            server = try RegistryServer(directory: directory.appending("registry"), authentication: .token(tokenServer), certificates: certificates)
        } else {
            certificates = nil
            tokenServer = nil
            server = try RegistryServer(directory: directory.appending("registry"), authentication: .none, certificates: nil)
        }
    }

    /// The variables through which the engine finds the credentials (the plugins cannot pass standard input on).
    var credentialEnvironment: [String: String?] {
        tokenServer == nil ? [:] : ["STEVEDORE_REGISTRY_USERNAME": Self.user, "STEVEDORE_REGISTRY_PASSWORD": Self.password]
    }

    /// skopeo's options to reach this registry.
    var skopeoArguments: [String] {
        guard let certificates else { return ["--tls-verify=false"] }
        return ["--cert-dir", certificates.skopeoCertDirectory, "--creds", "\(Self.user):\(Self.password)"]
    }

    func stop() {
        server.stop()
        tokenServer?.stop()
    }
}

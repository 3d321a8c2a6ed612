import Foundation
import StevedoreCore
import StevedoreGitHub
import StevedoreProcess
import StevedoreCore

/// Finds the credential for a registry. The first source that has one wins:
///
/// 1. an explicit credential (`--username` with `--password-stdin`), for the registry it was given for;
/// 2. `STEVEDORE_REGISTRY_USERNAME` and `STEVEDORE_REGISTRY_PASSWORD`, for one registry only:
///    `STEVEDORE_REGISTRY` when that is set, else ``environmentRegistry`` (the command's push target);
/// 3. for `ghcr.io`: `GITHUB_TOKEN`, with `GITHUB_ACTOR` as the user name (else ``gitHubPlaceholderUser``);
/// 4. docker's `config.json` in `$DOCKER_CONFIG` or `~/.docker`: `credHelpers`, then `auths`, then `credsStore`
///    (helpers are run as `docker-credential-NAME get`);
/// 5. podman's `auth.json`: `$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`,
///    `~/.config/containers/auth.json`;
/// 6. `~/.netrc` (`$NETRC`): a `machine` entry for the registry host (its `default` entry only when
///    `STEVEDORE_NETRC_DEFAULT=1` asks for it, since it would go to every registry).
///
/// Registry names compare case-insensitively, with `:443` the same as no port. No source found means
/// anonymous access.
public struct CredentialResolver: Sendable {
    /// A credential given on the command line, and the registry it is for (`nil`: every registry).
    public var explicit: (registry: String?, credential: Credential)?
    /// The registry `STEVEDORE_REGISTRY_USERNAME`/`PASSWORD` are for when `STEVEDORE_REGISTRY` is not set:
    /// the registry the command pushes to (or, for a command that only reads, the one it reads). `nil`: none,
    /// so a password meant for one registry never reaches another (a base image's, or its token service).
    public var environmentRegistry: String?
    /// Whether the `default` entry of `.netrc` is used for a registry without a `machine` entry
    /// (`STEVEDORE_NETRC_DEFAULT=1`); it is not by default, as it would be offered to every registry.
    public var usesNetrcDefault: Bool
    /// The environment variables to read.
    public var environment: [String: String]
    /// The home directory, for `~/.docker`, `~/.config/containers` and `~/.netrc`.
    public var homeDirectory: String
    /// How long a `docker-credential-*` helper may take to answer before it is stopped and the lookup fails.
    public var helperTimeout: Duration = .seconds(30)

    /// The user name sent with `GITHUB_TOKEN` when `GITHUB_ACTOR` is not set; ghcr.io accepts any.
    public static let gitHubPlaceholderUser = "stevedore"
    /// The key docker uses for Docker Hub in `config.json`.
    public static let dockerHubConfigKey = "https://index.docker.io/v1/"

    /// Creates a resolver reading the process's environment and home directory unless told otherwise.
    public init(
        explicit: (registry: String?, credential: Credential)? = nil,
        environmentRegistry: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String? = nil
    ) {
        self.explicit = explicit
        self.environmentRegistry = environmentRegistry
        self.usesNetrcDefault = environment["STEVEDORE_NETRC_DEFAULT"] == "1"
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"] ?? NSHomeDirectory()
    }

    /// The credential for `registry` (host[:port], e.g. `ghcr.io`), or `nil` for anonymous access.
    ///
    /// - Throws: ``StevedoreError`` when a configured source is broken (an unparsable file, a failing helper).
    public func credential(for registry: String) throws -> Credential? {
        if let explicit, explicit.registry.map({ Self.sameRegistry($0, registry) }) ?? true {
            return explicit.credential
        }
        if let credential = environmentCredential(for: registry) { return credential }
        if let credential = gitHubCredential(for: registry) { return credential }
        if let credential = try dockerConfigCredential(for: registry) { return credential }
        if let credential = try podmanCredential(for: registry) { return credential }
        return try netrcCredential(for: registry)
    }

    // MARK: Sources

    func environmentCredential(for registry: String) -> Credential? {
        guard let user = environment["STEVEDORE_REGISTRY_USERNAME"], !user.isEmpty,
              let password = environment["STEVEDORE_REGISTRY_PASSWORD"], !password.isEmpty else { return nil }
        let only = environment["STEVEDORE_REGISTRY"].flatMap { $0.isEmpty ? nil : $0 } ?? environmentRegistry
        guard let only, Self.sameRegistry(only, registry) else { return nil }
        return Credential(username: user, secret: password, origin: "STEVEDORE_REGISTRY_USERNAME/STEVEDORE_REGISTRY_PASSWORD")
    }

    func gitHubCredential(for registry: String) -> Credential? {
        let actions = GitHubActionsEnvironment(environment)
        guard GitHubContainerRegistry.isHost(registry), let token = actions.token else { return nil }
        let actor = actions.actor ?? Self.gitHubPlaceholderUser
        return Credential(username: actor, secret: token, origin: "GITHUB_TOKEN")
    }

    /// The path of docker's `config.json`.
    public var dockerConfigPath: String {
        if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty { return "\(directory)/config.json" }
        return "\(homeDirectory)/.docker/config.json"
    }

    func dockerConfigCredential(for registry: String) throws -> Credential? {
        let path = dockerConfigPath
        guard let config = try Self.readJSONObject(at: path) else { return nil }
        let keys = Self.configKeys(for: registry)
        if let helpers = config["credHelpers"] as? [String: String] {
            for key in keys {
                if let helper = helpers[key] { return try helperCredential(helper: helper, registry: registry, serverURL: key) }
            }
        }
        if let credential = try Self.authsCredential(config, keys: keys, origin: path) { return credential }
        if let store = config["credsStore"] as? String, !store.isEmpty {
            for key in keys {
                if let credential = try helperCredential(helper: store, registry: registry, serverURL: key, missingIsError: false) {
                    return credential
                }
            }
        }
        return nil
    }

    func podmanCredential(for registry: String) throws -> Credential? {
        var candidates: [String] = []
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty { candidates.append(file) }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { candidates.append("\(runtime)/containers/auth.json") }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(homeDirectory)/.config"
        candidates.append("\(configHome)/containers/auth.json")
        for path in candidates {
            guard let config = try Self.readJSONObject(at: path) else { continue }
            if let credential = try Self.authsCredential(config, keys: Self.configKeys(for: registry), origin: path) {
                return credential
            }
        }
        return nil
    }

    func netrcCredential(for registry: String) throws -> Credential? {
        let path = environment["NETRC"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(homeDirectory)/.netrc"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StevedoreError(.unreadableCredentialFile, "cannot read \(path); fix its permissions or remove it")
        }
        return NetrcFile(text: text).credential(forHost: Self.host(of: Self.normalized(registry)), origin: path, usingDefault: usesNetrcDefault)
    }

    // MARK: Helpers

    /// Runs `docker-credential-HELPER get` with the server URL on standard input.
    func helperCredential(helper: String, registry: String, serverURL: String, missingIsError: Bool = true) throws -> Credential? {
        let program = "docker-credential-\(helper)"
        guard let executable = Self.findExecutable(program, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            throw StevedoreError(.helperFailed, "\(dockerConfigPath) names the credential helper '\(helper)' for \(registry), but \(program) is not on PATH; install it or remove the entry")
        }
        let output: ChildProcessOutput
        do {
            output = try ChildProcess(executable, ["get"], environment: environment, timeout: helperTimeout)
                .runAndWait(input: .bytes(Array(serverURL.utf8)), outputLimit: 1 << 20)
        } catch let error as StevedoreError where error.code == .programTimedOut {
            throw StevedoreError(.helperFailed, "\(program) get did not answer for \(serverURL) within \(Self.seconds(helperTimeout)) and was stopped; run `\(program) get` by hand to see what it waits for")
        } catch let error as StevedoreError {
            throw StevedoreError(.helperFailed, "cannot run \(program): \(error.message)")
        }
        let data = Data(output.standardOutput)
        guard output.status.isSuccess else {
            // Helpers print "credentials not found in native keychain" and exit 1 for unknown servers.
            if !missingIsError || String(decoding: data, as: UTF8.self).lowercased().contains("not found") { return nil }
            throw StevedoreError(.helperFailed, "\(program) get failed for \(serverURL) (\(output.status)); run `\(program) get` by hand to see why")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let user = object["Username"] as? String, let secret = object["Secret"] as? String else {
            throw StevedoreError(.helperFailed, "\(program) get answered something that is not {\"Username\":…,\"Secret\":…} for \(serverURL)")
        }
        guard !secret.isEmpty else { return nil }
        return Credential(username: user.isEmpty ? "<token>" : user, secret: secret, origin: program)
    }

    /// The keys a registry may have in an `auths` map, most specific first.
    static func configKeys(for registry: String) -> [String] {
        let keys = keys(for: normalized(registry))
        return registry == normalized(registry) ? keys : keys + self.keys(for: registry).filter { !keys.contains($0) }
    }

    private static func keys(for registry: String) -> [String] {
        if registry == "docker.io" || registry == "index.docker.io" || registry == "registry-1.docker.io" {
            return [dockerHubConfigKey, "docker.io", "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1"]
        }
        return [registry, "https://\(registry)", "http://\(registry)", "https://\(registry)/v1/", "https://\(registry)/v2/"]
    }

    static func authsCredential(_ config: [String: Any], keys: [String], origin: String) throws -> Credential? {
        guard let auths = config["auths"] as? [String: Any] else { return nil }
        for key in keys {
            guard let entry = auths[key] as? [String: Any] else { continue }
            if let encoded = entry["auth"] as? String, !encoded.isEmpty {
                guard let decoded = Data(base64Encoded: encoded).map({ String(decoding: $0, as: UTF8.self) }),
                      let colon = decoded.firstIndex(of: ":") else {
                    throw StevedoreError(.unreadableCredentialFile, "the 'auth' of \(key) in \(origin) is not base64 of user:password; log in again")
                }
                return Credential(username: String(decoded[..<colon]), secret: String(decoded[decoded.index(after: colon)...]), origin: origin)
            }
            if let user = entry["username"] as? String, let password = entry["password"] as? String, !password.isEmpty {
                return Credential(username: user, secret: password, origin: origin)
            }
        }
        return nil
    }

    static func readJSONObject(at path: String) throws -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StevedoreError(.unreadableCredentialFile, "cannot read \(path); fix its permissions or remove it")
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw StevedoreError(.unreadableCredentialFile, "\(path) is not a JSON object; fix or remove it")
        }
        return object
    }

    /// `registry` lowercased, without the default HTTPS port.
    static func normalized(_ registry: String) -> String {
        ImageReference.normalizedRegistry(registry)
    }

    /// Whether two registry names are the same registry (`GHCR.IO`, `ghcr.io:443` and `ghcr.io` are).
    public static func sameRegistry(_ first: String, _ second: String) -> Bool {
        normalized(first) == normalized(second)
    }

    static func host(of registry: String) -> String {
        if registry.hasPrefix("["), let close = registry.firstIndex(of: "]") {
            return String(registry[registry.index(after: registry.startIndex)..<close])
        }
        if let colon = registry.lastIndex(of: ":") { return String(registry[..<colon]) }
        return registry
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int64(value)) s" : "\(value) s"
    }

    static func findExecutable(_ name: String, path: String) -> String? {
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

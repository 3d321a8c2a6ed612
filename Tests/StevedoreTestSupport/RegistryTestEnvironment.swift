import Foundation
import StevedoreCore

/// The three registry set-ups of the acceptance tests.
public enum RegistrySetup: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Plain HTTP, no authentication.
    case plain
    /// TLS with a test CA, htpasswd Basic authentication.
    case basicTLS
    /// TLS with a test CA, token authentication by ``RegistryTokenServer``.
    case tokenTLS

    public var description: String { rawValue }
}

/// A running registry (and token server) for one test, with the arguments stevedore and skopeo need.
public final class RegistryTestEnvironment: @unchecked Sendable {
    public let setup: RegistrySetup
    public let directory: TemporaryDirectory
    public let certificates: RegistryCertificates?
    public let tokenServer: RegistryTokenServer?
    public let registry: RegistryServer
    /// A user who may pull and push.
    public let user = "alice"
    public let password: String
    /// A user who may only pull (token set-up only).
    public let reader = "reader"
    public let readerPassword: String

    public init(_ setup: RegistrySetup) throws {
        self.setup = setup
        directory = try TemporaryDirectory("stevedore-registry")
        password = "pw-\(UUID().uuidString.prefix(12))-Secret"
        readerPassword = "rd-\(UUID().uuidString.prefix(12))-Secret"
        switch setup {
        case .plain:
            certificates = nil
            tokenServer = nil
            registry = try RegistryServer(directory: directory.appending("registry"), authentication: .none, certificates: nil)
        case .basicTLS:
            let certificates = try RegistryCertificates(directory: directory.appending("certs"))
            self.certificates = certificates
            tokenServer = nil
            registry = try RegistryServer(directory: directory.appending("registry"), authentication: .basic(users: [user: password]), certificates: certificates)
        case .tokenTLS:
            let certificates = try RegistryCertificates(directory: directory.appending("certs"))
            self.certificates = certificates
            let tokenServer = try RegistryTokenServer(
                directory: directory.appending("token"), certificates: certificates,
                users: [user: (password, ["pull", "push"]), reader: (readerPassword, ["pull"])]
            )
            self.tokenServer = tokenServer
            registry = try RegistryServer(directory: directory.appending("registry"), authentication: .token(tokenServer), certificates: certificates)
        }
    }

    public var address: String { registry.address }
    public var needsCredentials: Bool { setup != .plain }

    /// `--ca-file` for TLS set-ups.
    public var trustArguments: [String] { certificates.map { ["--ca-file", $0.caCertificate] } ?? [] }

    /// Credentials for stevedore: flags, and the password for standard input.
    public func credentialArguments(user: String? = nil) -> [String] {
        needsCredentials ? ["--username", user ?? self.user, "--password-stdin"] : []
    }

    /// skopeo's TLS and credential flags for one side (`src`, `dest` or none for inspect).
    public func skopeoArguments(side: String? = nil) -> [String] {
        let prefix = side.map { "--\($0)-" } ?? "--"
        var arguments: [String] = []
        if let certificates {
            arguments += ["\(prefix)cert-dir", certificates.skopeoCertDirectory]
        } else {
            arguments += ["\(prefix)tls-verify=false"]
        }
        if needsCredentials { arguments += ["\(prefix)creds", "\(user):\(password)"] }
        return arguments
    }

    /// The environment stevedore runs with: no credentials leak in from the machine.
    public var isolatedEnvironment: [String: String?] {
        [
            "HOME": directory.appending("home"),
            "DOCKER_CONFIG": directory.appending("home/.docker"),
            "REGISTRY_AUTH_FILE": nil, "XDG_RUNTIME_DIR": nil, "XDG_CONFIG_HOME": nil, "NETRC": nil,
            "GITHUB_TOKEN": nil, "STEVEDORE_REGISTRY_USERNAME": nil, "STEVEDORE_REGISTRY_PASSWORD": nil,
            "SSL_CERT_FILE": nil, "STEVEDORE_CACHE_DIR": directory.appending("cache"),
            // The machine's proxy would be used for 127.0.0.1 too: only the proxy tests set one.
            "HTTPS_PROXY": nil, "https_proxy": nil, "HTTP_PROXY": nil, "http_proxy": nil, "NO_PROXY": nil, "no_proxy": nil,
        ]
    }

    /// Runs the stevedore binary.
    public func stevedore(_ arguments: [String], stdin: String? = nil, environment: [String: String?] = [:], timeout: TimeInterval = 300) throws -> ProcessResult {
        var env = isolatedEnvironment
        for (key, value) in environment { env[key] = value }
        return try StevedoreBinary.run(arguments, environment: env, stdin: stdin, timeout: timeout)
    }

    /// Runs skopeo with a private policy that accepts everything.
    public func skopeo(_ arguments: [String]) throws -> ProcessResult {
        let policy = directory.appending("policy.json")
        if !FileManager.default.fileExists(atPath: policy) {
            try #"{"default":[{"type":"insecureAcceptAnything"}]}"#.write(toFile: policy, atomically: true, encoding: .utf8)
        }
        let command = arguments.first ?? "inspect"
        return try ProcessRunner.run(
            ["skopeo", "--policy", policy, command] + arguments.dropFirst(),
            environment: ["HOME": directory.appending("home"), "REGISTRY_AUTH_FILE": directory.appending("skopeo-auth.json")],
            timeout: 300
        )
    }

    /// The manifest digest skopeo sees for a reference.
    public func skopeoDigest(_ reference: String) throws -> String? {
        let result = try skopeo(["inspect", "--raw"] + skopeoArguments() + ["docker://\(reference)"])
        guard result.status == 0 else { return nil }
        return Digest.sha256(of: Array(result.stdout.utf8)).description
    }

    public func stop() {
        registry.stop()
        tokenServer?.stop()
    }
}

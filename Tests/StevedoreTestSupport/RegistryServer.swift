import Foundation

/// Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 with a port it chooses, in one of the set-ups the
/// acceptance tests need. Stop it with ``stop()`` (it also stops when released).
public final class RegistryServer: @unchecked Sendable {
    /// How clients authenticate.
    public enum Authentication: Sendable {
        /// No authentication.
        case none
        /// htpasswd Basic authentication with these users and passwords (bcrypt).
        case basic(users: [String: String])
        /// Token authentication: the token server issues JWTs signed with the certificates' token key.
        case token(RegistryTokenServer)
    }

    /// `host:port`, e.g. `127.0.0.1:41234`.
    public var address: String { server.address }
    public var port: Int { server.port }
    /// Whether it serves HTTPS (with ``RegistryCertificates/serverCertificate``).
    public let usesTLS: Bool
    /// The registry's storage and configuration.
    public let directory: String
    private let server: BackgroundServer

    /// Starts a registry in `directory`.
    public init(directory: String, authentication: Authentication, certificates: RegistryCertificates?) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: "\(directory)/storage", withIntermediateDirectories: true)
        usesTLS = certificates != nil
        var config = """
            version: 0.1
            log:
              level: info
              formatter: text
            storage:
              filesystem:
                rootdirectory: \(directory)/storage
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:0
              secret: stevedore-test-secret
            """
        if let certificates {
            config += """

                  tls:
                    certificate: \(certificates.serverCertificate)
                    key: \(certificates.serverKey)
                """
        }
        switch authentication {
        case .none:
            break
        case .basic(let users):
            var lines = ""
            for (user, password) in users.sorted(by: { $0.key < $1.key }) {
                let result = try ProcessRunner.run(["htpasswd", "-Bbn", user, password], timeout: 60)
                guard result.status == 0 else { throw TestServerError("htpasswd failed: \(result.stderr)") }
                lines += result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
            }
            try Data(lines.utf8).write(to: URL(fileURLWithPath: "\(directory)/htpasswd"))
            config += """

                auth:
                  htpasswd:
                    realm: stevedore-test
                    path: \(directory)/htpasswd
                """
        case .token(let tokenServer):
            config += """

                auth:
                  token:
                    realm: \(tokenServer.realm)
                    service: \(RegistryTokenServer.service)
                    issuer: \(RegistryTokenServer.issuer)
                    rootcertbundle: \(tokenServer.certificates.tokenCertificate)
                """
        }
        try Data((config + "\n").utf8).write(to: URL(fileURLWithPath: "\(directory)/config.yml"))
        // It binds port 0 and logs `listening on 127.0.0.1:PORT`.
        server = try BackgroundServer(["docker-registry", "serve", "\(directory)/config.yml"], logPath: "\(directory)/registry.log")
    }

    /// What the registry logged (requests with method, path and status).
    public var log: String { server.log }

    /// How many log lines record a completed request whose method is `method` and whose URI contains
    /// `fragment` (and every one of `more`).
    public func requestCount(method: String, uriContaining fragment: String, _ more: String..., status: Int? = nil) -> Int {
        log.split(separator: "\n").filter { line in
            line.contains("response completed") && line.contains("http.request.method=\(method)")
                && ([fragment] + more).allSatisfy { line.contains($0) }
                && (status.map { line.contains("http.response.status=\($0)") } ?? true)
        }.count
    }

    public func stop() { server.stop() }
}

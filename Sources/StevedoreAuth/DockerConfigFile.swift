import Foundation
import StevedoreCore

/// Docker's `config.json`, written the way `docker login` writes it.
public struct DockerConfigFile: Sendable {
    /// The path of the file.
    public var path: String

    /// The file a resolver reads (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`).
    public init(resolver: CredentialResolver) {
        self.path = resolver.dockerConfigPath
    }

    /// A file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Stores `credential` for `registry` in `auths`, keeping every other entry and key, and leaves the
    /// file readable by its owner only (mode 0600). The write is atomic.
    ///
    /// - Throws: ``StevedoreError`` when the file cannot be parsed or written, or the credential is unusable.
    public func store(_ credential: Credential, for registry: String) throws {
        guard !credential.username.isEmpty, !credential.username.contains(":"), !credential.secret.isEmpty else {
            throw StevedoreError(.invalidCredential, "the user name must be non-empty without ':' and the password non-empty")
        }
        var config = try CredentialResolver.readJSONObject(at: path) ?? [:]
        var auths = config["auths"] as? [String: Any] ?? [:]
        let key = registry == "docker.io" ? CredentialResolver.dockerHubConfigKey : registry
        auths[key] = ["auth": Data("\(credential.username):\(credential.secret)".utf8).base64EncodedString()]
        config["auths"] = auths
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        } catch {
            throw StevedoreError(.unwritableFile, "cannot encode \(path): \(error.localizedDescription)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(directory)/.config.json.\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StevedoreError(.unwritableFile, "cannot create a file in \(directory); check its permissions")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else {
                throw StevedoreError(.unwritableFile, "cannot replace \(path): \(String(cString: strerror(errno)))")
            }
        } catch let error as StevedoreError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StevedoreError(.unwritableFile, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}

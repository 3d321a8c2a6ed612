import StevedoreAuth
import StevedoreCore

/// What a login check found.
public enum LoginCheck: Sendable {
    /// The registry accepted the credential.
    case accepted(Credential)
    /// The registry answers `GET /v2/` without asking for credentials: there is nothing to log in to.
    case notRequired
}

extension RegistryClient {
    /// Checks that the registry accepts the credential the configuration finds for it, as `docker login`
    /// does: a token without scope for Bearer registries, `GET /v2/` for Basic ones. A registry that asks for
    /// no credentials is reported as such, rather than as a login that checked nothing.
    ///
    /// - Returns: the accepted credential, or ``LoginCheck/notRequired``.
    /// - Throws: ``StevedoreError`` `unauthorized` when the registry refuses it or none is configured.
    public func checkCredentials(registry: String) async throws -> LoginCheck {
        let deadline = makeDeadline()
        let session = try await transport.session(for: registry, deadline: deadline)
        guard let challenge = session.challenge else { return .notRequired }
        guard let credential = try await transport.credential(for: registry) else {
            throw StevedoreError(.unauthorized, "no credentials for \(registry): give --username with --password-stdin")
        }
        if challenge.scheme == "bearer" {
            _ = try await transport.fetchToken(registry: registry, challenge: challenge, scopes: [], credential: credential, deadline: deadline)
            return .accepted(credential)
        }
        let response = try await transport.exchange(
            RegistryRequest(method: .GET, registry: registry, target: "/v2/", scopes: [], accepted: [200, 401]),
            deadline: deadline
        )
        guard response.status == 200 else {
            throw StevedoreError(.unauthorized, "\(registry) refused \(credential); check the user name and password or token")
        }
        return .accepted(credential)
    }
}

import StevedoreAuth
import StevedoreCore

extension RegistryClient {
    /// Checks that the registry accepts the credential the configuration finds for it, as `docker login`
    /// does: a token without scope for Bearer registries, `GET /v2/` for Basic ones.
    ///
    /// - Returns: the accepted credential.
    /// - Throws: ``StevedoreError`` `unauthorized` when the registry refuses it or none is configured.
    public func checkCredentials(registry: String) async throws -> Credential {
        let deadline = makeDeadline()
        guard let credential = try await transport.credential(for: registry) else {
            throw StevedoreError(.unauthorized, "no credentials for \(registry): give --username with --password-stdin")
        }
        let session = try await transport.session(for: registry, deadline: deadline)
        guard let challenge = session.challenge else { return credential }
        if challenge.scheme == "bearer" {
            _ = try await transport.fetchToken(registry: registry, challenge: challenge, scopes: [], credential: credential, deadline: deadline)
            return credential
        }
        let response = try await transport.exchange(
            RegistryRequest(method: .GET, registry: registry, target: "/v2/", scopes: [], accepted: [200, 401]),
            deadline: deadline
        )
        guard response.status == 200 else {
            throw StevedoreError(.unauthorized, "\(registry) refused \(credential); check the user name and password or token")
        }
        return credential
    }
}

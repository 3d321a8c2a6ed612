import StevedoreAuth

/// What a client learned about each registry: the base URL that answered (`https://` or, where allowed,
/// `http://`), its authentication challenge, the credential found for it, and tokens cached per scope.
actor RegistrySessions {
    struct Session: Sendable {
        /// `https://host[:port]` or `http://host[:port]`.
        var baseURL: String
        /// The challenge `GET /v2/` answered with; `nil` when the registry needs no authentication.
        var challenge: AuthenticationChallenge?
    }

    private struct CachedToken {
        var token: String
        var expiry: ContinuousClock.Instant
    }

    private var sessions: [String: Session] = [:]
    private var pendingSessions: [String: Task<Session, any Error>] = [:]
    private var credentials: [String: Credential?] = [:]
    private var tokens: [String: CachedToken] = [:]
    private var pendingTokens: [String: Task<(token: String, lifetime: Double), any Error>] = [:]

    /// The session for `registry`, made once by `make` even when asked for concurrently.
    func session(for registry: String, make: @escaping @Sendable () async throws -> Session) async throws -> Session {
        if let session = sessions[registry] { return session }
        if let pending = pendingSessions[registry] { return try await pending.value }
        let task = Task { try await make() }
        pendingSessions[registry] = task
        defer { pendingSessions[registry] = nil }
        let session = try await task.value
        sessions[registry] = session
        return session
    }

    /// Records a newer challenge (e.g. from a 401 in the middle of an operation).
    func update(challenge: AuthenticationChallenge, for registry: String) {
        sessions[registry]?.challenge = challenge
    }

    /// The credential for `registry`, looked up once.
    func credential(for registry: String, resolver: CredentialResolver) throws -> Credential? {
        if let cached = credentials[registry] { return cached }
        let credential = try resolver.credential(for: registry)
        credentials[registry] = .some(credential)
        return credential
    }

    /// The credential already looked up for `registry`, without looking it up (no helper runs): `nil` when
    /// none was found or none was needed yet.
    func cachedCredential(for registry: String) -> Credential? {
        credentials[registry] ?? nil
    }

    /// A token for `key`, from the cache while it is fresh, else fetched once by `fetch`.
    func token(for key: String, fetch: @escaping @Sendable () async throws -> (token: String, lifetime: Double)) async throws -> String {
        if let cached = tokens[key], cached.expiry > .now { return cached.token }
        if let pending = pendingTokens[key] { return try await pending.value.token }
        let task = Task { try await fetch() }
        pendingTokens[key] = task
        defer { pendingTokens[key] = nil }
        let fetched = try await task.value
        // Renew a little early so a token does not expire in the middle of a request.
        let offered = fetched.lifetime.isFinite ? min(max(fetched.lifetime, 1), 86_400) : 60
        let lifetime = max(1, offered - min(30, offered / 4))
        tokens[key] = CachedToken(token: fetched.token, expiry: .now + .milliseconds(Int64(lifetime * 1000)))
        return fetched.token
    }

    /// Forgets the token for `key` (it was refused).
    func invalidateToken(for key: String) {
        tokens[key] = nil
    }
}

import AsyncHTTPClient
import Foundation
import StevedoreAuth
import StevedoreCore

extension RegistryTransport {
    func session(for registry: String, deadline: OperationDeadline) async throws -> RegistrySessions.Session {
        try await sessions.session(for: registry) { try await self.ping(registry, deadline: deadline) }
    }

    /// `GET /v2/`: learns the base URL and the challenge. A registry that may use plain HTTP is asked over
    /// plain HTTP first (a TLS server refuses that at once, while a plain server would leave a TLS
    /// handshake hanging), then over HTTPS; any other registry over HTTPS only.
    private func ping(_ registry: String, deadline: OperationDeadline) async throws -> RegistrySessions.Session {
        guard configuration.allowsPlainHTTP(registry) else {
            return try await ping(base: "https://\(registry)", registry: registry, deadline: deadline)
        }
        do {
            let session = try await ping(base: "http://\(registry)", registry: registry, deadline: deadline, probing: true)
            logger.debug("plain HTTP", metadata: ["registry": "\(registry)"])
            return session
        } catch let plainError as StevedoreError where plainError.code == .invalidResponse || plainError.code == .connectionFailed {
            return try await ping(base: "https://\(registry)", registry: registry, deadline: deadline)
        }
    }

    private func ping(base: String, registry: String, deadline: OperationDeadline, probing: Bool = false) async throws -> RegistrySessions.Session {
        let fallsBack = probing
        return try await withRetries("GET /v2/", registry: registry, deadline: deadline) {
            var request = HTTPClientRequest(url: "\(base)/v2/")
            request.method = .GET
            let response: HTTPClientResponse
            do {
                response = try await executeLogged(request, shownAs: "GET \(base)/v2/", deadline: deadline)
            } catch {
                let classified = classify(error, request: RegistryRequest(method: .GET, registry: registry, target: "/v2/", scopes: [], accepted: []), deadline: deadline)
                if let failure = classified as? TransientFailure, fallsBack {
                    throw StevedoreError(.connectionFailed, "cannot reach \(registry) over plain HTTP: \(failure.lastAnswer)")
                }
                throw classified
            }
            let status = response.status.code
            let challenges = response.headers["WWW-Authenticate"].flatMap(AuthenticationChallenge.parse)
            await drain(response, registry: registry, request: "GET /v2/", deadline: deadline)
            switch status {
            case 200..<300:
                return RegistrySessions.Session(baseURL: base, challenge: nil)
            case 401:
                guard let challenge = challenges.first(where: { $0.scheme == "bearer" }) ?? challenges.first(where: { $0.scheme == "basic" }) else {
                    throw StevedoreError(.invalidResponse, "\(registry) answered GET /v2/ with 401 but no Basic or Bearer challenge")
                }
                return RegistrySessions.Session(baseURL: base, challenge: challenge)
            case let code where RetryPolicy.retryableStatuses.contains(code):
                throw TransientFailure(lastAnswer: Self.statusText(response.status), retryAfter: response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter))
            default:
                throw StevedoreError(.invalidResponse, "\(base) is not a registry: GET /v2/ answered \(Self.statusText(response.status))")
            }
        }
    }

    /// The `Authorization` header for `scopes`, or `nil` when the registry asks for none.
    func authorization(registry: String, scopes: [RegistryScope], deadline: OperationDeadline) async throws -> String? {
        let session = try await session(for: registry, deadline: deadline)
        guard let challenge = session.challenge else { return nil }
        let credential = try await credential(for: registry)
        switch challenge.scheme {
        case "basic":
            return credential?.basicAuthorization
        case "bearer":
            let key = Self.tokenKey(registry, scopes)
            let token = try await sessions.token(for: key) {
                try await self.fetchToken(registry: registry, challenge: challenge, scopes: scopes, credential: credential, deadline: deadline)
            }
            return "Bearer \(token)"
        default:
            throw StevedoreError(.unsupported, "\(registry) asks for \(challenge.scheme) authentication; only Basic and Bearer are supported")
        }
    }

    func credential(for registry: String) async throws -> Credential? {
        try await sessions.credential(for: registry, resolver: configuration.credentials)
    }

    /// Asks the challenge's realm for a token with one `scope=` per scope, sending the credential as Basic.
    func fetchToken(registry: String, challenge: AuthenticationChallenge, scopes: [RegistryScope], credential: Credential?, deadline: OperationDeadline) async throws -> (token: String, lifetime: Double) {
        guard let realm = challenge.realm, var components = URLComponents(string: realm), let scheme = components.scheme?.lowercased(), let host = components.host else {
            throw StevedoreError(.invalidResponse, "\(registry) sent a Bearer challenge without a usable realm")
        }
        let realmHost = components.port.map { "\(host):\($0)" } ?? host
        // The credential goes to the realm: over plain HTTP only when the realm's own host is allowed it, not
        // because the registry is (a registry on localhost may name a token service anywhere).
        guard scheme == "https" || (scheme == "http" && configuration.allowsPlainHTTP(realmHost)) else {
            throw StevedoreError(.tlsFailure, "\(registry) sends credentials to its token service \(Self.withoutQuery(realm)) over plain HTTP; refusing (allow it with --insecure-registry \(realmHost))")
        }
        var items = components.queryItems ?? []
        if let service = challenge.service { items.append(URLQueryItem(name: "service", value: service)) }
        for scope in scopes { items.append(URLQueryItem(name: "scope", value: scope.description)) }
        components.queryItems = items.isEmpty ? nil : items
        guard let url = components.string else {
            throw StevedoreError(.invalidResponse, "\(registry) sent a Bearer challenge with an unusable realm \(realm)")
        }
        let who = credential?.description ?? "anonymous access"
        return try await withRetries("GET token from \(realmHost)", registry: registry, deadline: deadline) {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            if let credential { request.headers.add(name: "Authorization", value: credential.basicAuthorization) }
            let response: HTTPClientResponse
            do {
                response = try await executeLogged(request, shownAs: "GET \(Self.withoutQuery(url))", deadline: deadline)
            } catch {
                throw classify(error, request: RegistryRequest(method: .GET, registry: realmHost, target: url, scopes: [], accepted: []), deadline: deadline)
            }
            let body = (try? await collect(response, limit: 1 << 20, what: "the token", registry: realmHost, request: "GET token", deadline: deadline)) ?? Data()
            switch response.status.code {
            case 200:
                guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                      let token = (object["token"] as? String) ?? (object["access_token"] as? String), !token.isEmpty else {
                    throw StevedoreError(.invalidResponse, "the token service of \(registry) (\(realmHost)) answered without a token")
                }
                return (token, Self.tokenLifetime(object["expires_in"]))
            case 401, 403:
                let hint = credential == nil
                    ? "it needs credentials: use `stevedore login \(registry)`, --username with --password-stdin, or STEVEDORE_REGISTRY_USERNAME/STEVEDORE_REGISTRY_PASSWORD"
                    : "check the user name and password or token"
                throw StevedoreError(.unauthorized, "\(registry) refused \(who): its token service answered \(Self.statusText(response.status))\(RegistryErrorBody(body).summarySuffix); \(hint)")
            case let code where RetryPolicy.retryableStatuses.contains(code):
                throw TransientFailure(lastAnswer: "token service: " + Self.statusText(response.status), retryAfter: response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter))
            default:
                throw StevedoreError(.rejected, "the token service of \(registry) answered \(Self.statusText(response.status))\(RegistryErrorBody(body).summarySuffix) for \(who)")
            }
        }
    }

    /// A token's `expires_in` in seconds, clamped to 1 s…1 day. A missing, non-numeric, non-finite or
    /// non-positive value counts as the 60 s the distribution spec gives as default.
    static func tokenLifetime(_ value: Any?) -> Double {
        guard let number = value as? NSNumber else { return 60 }
        let seconds = number.doubleValue
        guard seconds.isFinite, seconds > 0 else { return 60 }
        return min(max(seconds, 1), 86_400)
    }

    static func tokenKey(_ registry: String, _ scopes: [RegistryScope]) -> String {
        registry + " " + scopes.sorted().map(\.description).joined(separator: " ")
    }

    /// Sends a request outside the registry's own API (the ping, a token) and logs it as `--verbose` shows
    /// requests: `shownAs` (method and URL without query), status, size and time; never a header.
    private func executeLogged(_ request: HTTPClientRequest, shownAs: String, deadline: OperationDeadline) async throws -> HTTPClientResponse {
        let started = ContinuousClock.now
        let response = try await execute(request, deadline: deadline)
        logger.debug("\(shownAs) \(response.status.code), \(response.headers.first(name: "Content-Length") ?? "?") bytes, \(Self.milliseconds(since: started)) ms")
        return response
    }
}

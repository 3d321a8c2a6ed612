import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import StevedoreCore

/// Sends requests to registries: picks HTTPS (or allowed plain HTTP), authenticates, follows redirects,
/// retries, and turns error answers into ``StevedoreError``s.
final class RegistryTransport: Sendable {
    /// The direct client and the proxied ones, picked per request by ``ProxySettings/proxy(for:)``.
    let clients: RegistryHTTPClients
    let configuration: RegistryConfiguration
    let sessions = RegistrySessions()

    init(configuration: RegistryConfiguration) throws {
        self.configuration = configuration
        let proxies = try ProxySettings(environment: configuration.environment)
        var http = HTTPClient.Configuration(
            tlsConfiguration: try Self.tlsConfiguration(configuration),
            redirectConfiguration: .disallow,
            // The read timeout follows the idle timeout: async-http-client arms it once a request is fully sent, so a
            // registry that takes a whole upload and then never answers (seen as three PUTs left unanswered in a
            // fault test) is a retryable failure soon after `idleTimeout`, not a ten-minute stall. It is a little
            // longer than the idle timeout so that, in a body, the body reader's clearer message comes first.
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(30), read: .milliseconds(Int64(configuration.idleTimeout * 1500) + 1000))
        )
        http.connectionPool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        // A failed connection fails its request at once: the retry policy (with its time bound) decides what
        // comes next, and an untrusted certificate is reported immediately.
        http.connectionPool.retryConnectionEstablishment = false
        self.clients = RegistryHTTPClients(configuration: http, proxies: proxies, logger: configuration.logger)
    }

    func shutdown() async throws {
        try await clients.shutdown()
    }

    var logger: Logger { configuration.logger }

    // MARK: Sending

    /// Sends a request with retries and reads the whole answer (at most `limit` bytes).
    func exchange(_ request: RegistryRequest, deadline: OperationDeadline, limit: Int = 8 << 20) async throws -> RegistryResponse {
        try await withRetries(request.summary, registry: request.registry, deadline: deadline) {
            try await self.response(request, deadline: deadline, limit: limit)
        }
    }

    /// One attempt, its answer read whole; a transient failure is thrown for the caller's own retry loop.
    func response(_ request: RegistryRequest, deadline: OperationDeadline, limit: Int = 1 << 20) async throws -> RegistryResponse {
        let response = try await attempt(request, deadline: deadline)
        do {
            let body = try await bodyReader(request, deadline: deadline).collect(response, limit: limit, what: "the answer to \(request.summary)")
            return RegistryResponse(status: response.status.code, headers: response.headers, body: body)
        } catch {
            throw Self.asTransient(error, lastAnswer: "connection lost while reading the answer")
        }
    }

    /// One attempt: authenticates, re-authenticates once on a 401, follows redirects of GET and HEAD, and
    /// returns the response (its body unread) when its status is accepted.
    func attempt(_ request: RegistryRequest, deadline: OperationDeadline) async throws -> HTTPClientResponse {
        guard deadline.remaining > 0 else {
            throw StevedoreError(.timedOut, "gave up on \(request.registry) after \(deadline.elapsedText): the time bound of \(Self.seconds(deadline.seconds)) ran out before \(request.summary)")
        }
        let session = try await session(for: request.registry, deadline: deadline)
        var url = Self.absolute(request.target, base: session.baseURL)
        var scopes = request.scopes
        var reauthenticated = false
        var redirects = 0
        while true {
            var http = HTTPClientRequest(url: url)
            http.method = request.method
            for (name, value) in request.headers { http.headers.add(name: name, value: value) }
            let sameHost = Self.origin(of: url) == Self.origin(of: session.baseURL)
            if sameHost, let authorization = try await authorization(registry: request.registry, scopes: scopes, deadline: deadline) {
                http.headers.replaceOrAdd(name: "Authorization", value: authorization)
            }
            if let body = request.body {
                http.body = body.makeBody()
            } else if request.method == .PUT || request.method == .POST || request.method == .PATCH {
                http.headers.replaceOrAdd(name: "Content-Length", value: "0")
            }
            let started = ContinuousClock.now
            let response: HTTPClientResponse
            do {
                response = try await execute(http, deadline: deadline)
            } catch {
                logger.debug("\(request.method.rawValue) \(Self.withoutQuery(url)) failed after \(Self.milliseconds(since: started)) ms")
                throw classify(error, request: request, deadline: deadline)
            }
            let status = response.status.code
            // --verbose: one line per request; never a header value, and no query string (it may hold a signature).
            let length = response.headers.first(name: "Content-Length") ?? "?"
            logger.debug("\(request.method.rawValue) \(Self.withoutQuery(url)) \(status), \(request.body.map { "\($0.length) bytes sent, " } ?? "")\(length) bytes, \(Self.milliseconds(since: started)) ms")
            if request.accepted.contains(status) { return response }
            switch status {
            case 401 where !reauthenticated && sameHost:
                reauthenticated = true
                let challenges = response.headers["WWW-Authenticate"].flatMap(AuthenticationChallenge.parse)
                await drain(response, registry: request.registry, request: request.summary, deadline: deadline)
                if let challenge = challenges.first(where: { $0.scheme == "bearer" }) ?? challenges.first {
                    await sessions.update(challenge: challenge, for: request.registry)
                    for scope in challenge.scopes where !scopes.contains(scope) { scopes.append(scope) }
                }
                await sessions.invalidateToken(for: Self.tokenKey(request.registry, scopes))
                continue
            case _ where [301, 302, 303, 307, 308].contains(status) && (request.method == .GET || request.method == .HEAD) && redirects < 5:
                guard let location = response.headers.first(name: "Location") else { break }
                await drain(response, registry: request.registry, request: request.summary, deadline: deadline)
                redirects += 1
                let next = Self.resolve(location, against: url)
                // Never downgrade from HTTPS: a signed blob URL and the bytes would travel in clear text. Plain HTTP
                // is followed only to a host that is itself allowed it (localhost, --insecure-registry).
                if url.lowercased().hasPrefix("https:"), next.lowercased().hasPrefix("http:"), !configuration.allowsPlainHTTP(Self.hostPort(of: next)) {
                    throw StevedoreError(.tlsFailure, "\(request.registry) redirected \(request.summary) from HTTPS to plain HTTP (\(RegistryErrorBody.printable(Self.withoutQuery(next)))); refusing (allow that host with --insecure-registry \(Self.hostPort(of: next)))")
                }
                url = next
                continue
            default:
                break
            }
            if RetryPolicy.retryableStatuses.contains(status) {
                let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter)
                let body = (try? await collect(response, limit: 64 << 10, what: "", registry: request.registry, request: request.summary, deadline: deadline)) ?? Data()
                throw TransientFailure(lastAnswer: Self.statusText(response.status) + RegistryErrorBody(body).summarySuffix, retryAfter: retryAfter)
            }
            let body = (try? await collect(response, limit: 64 << 10, what: "", registry: request.registry, request: request.summary, deadline: deadline)) ?? Data()
            throw await self.error(for: response, body: body, request: request, scopes: scopes)
        }
    }

    // MARK: Reading answers

    /// A reader of the answer to `request`, bounded by `deadline` and the configured idle timeout.
    func bodyReader(_ request: RegistryRequest, deadline: OperationDeadline) -> ResponseBodyReader {
        bodyReader(registry: request.registry, request: request.summary, deadline: deadline)
    }

    func bodyReader(registry: String, request: String, deadline: OperationDeadline) -> ResponseBodyReader {
        ResponseBodyReader(
            registry: registry, request: request, deadline: deadline,
            idleTimeout: configuration.idleTimeout, minimumThroughput: configuration.minimumThroughput
        )
    }

    /// Reads an answer whole (at most `limit` bytes), within the deadline and the idle timeout.
    func collect(_ response: HTTPClientResponse, limit: Int, what: String, registry: String, request: String, deadline: OperationDeadline) async throws -> Data {
        try await bodyReader(registry: registry, request: request, deadline: deadline).collect(response, limit: limit, what: what)
    }

    /// Reads and drops an answer that is not needed, within the deadline and the idle timeout.
    func drain(_ response: HTTPClientResponse, registry: String, request: String, deadline: OperationDeadline) async {
        _ = try? await collect(response, limit: 1 << 20, what: "", registry: registry, request: request, deadline: deadline)
    }

}

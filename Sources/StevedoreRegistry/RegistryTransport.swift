import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import StevedoreAuth
import StevedoreCore

/// The body of a request, made anew for every attempt so that retries resend it.
enum RequestBody: Sendable {
    case bytes(Data)
    case blob(Descriptor, any BlobSource, (any TransferProgress)?)
    case chunk(ByteBuffer)

    var length: Int64 {
        switch self {
        case .bytes(let data): return Int64(data.count)
        case .blob(let descriptor, _, _): return descriptor.size
        case .chunk(let buffer): return Int64(buffer.readableBytes)
        }
    }

    func makeBody() -> HTTPClientRequest.Body {
        switch self {
        case .bytes(let data): return .bytes(ByteBuffer(bytes: data))
        case .blob(let descriptor, let source, let progress):
            return .stream(BlobByteStream(source: source, descriptor: descriptor, progress: progress), length: .known(descriptor.size))
        case .chunk(let buffer): return .bytes(buffer)
        }
    }
}

/// One request to a registry.
struct RegistryRequest: Sendable {
    var method: HTTPMethod
    /// The registry, `host[:port]`.
    var registry: String
    /// A path (`/v2/…`) or an absolute URL (an upload `Location`).
    var target: String
    var headers: [(String, String)] = []
    var body: RequestBody?
    /// The token scopes the request needs, e.g. `repository:owner/app:pull,push`.
    var scopes: [String]
    /// The statuses the caller handles; any other is an error or a retry.
    var accepted: Set<UInt>
    /// What 404 means for this request.
    var notFound: RegistryError.Code = .rejected
    /// For messages: `PUT /v2/app/manifests/latest`.
    var summary: String {
        var path = target
        if let range = path.range(of: "://"), let slash = path[range.upperBound...].firstIndex(of: "/") { path = String(path[slash...]) }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        return "\(method.rawValue) \(path)"
    }
}

/// A fully read response.
struct RegistryResponse: Sendable {
    var status: UInt
    var headers: HTTPHeaders
    var body: Data
}

/// A failure that another attempt may cure: a lost connection or a 408, 429, 5xx answer.
struct TransientFailure: Error {
    /// `503 Service Unavailable`, or the connection error.
    var lastAnswer: String
    /// The `Retry-After` the registry asked for, in seconds.
    var retryAfter: Double?
}

/// Sends requests to registries: picks HTTPS (or allowed plain HTTP), authenticates, follows redirects,
/// retries, and turns error answers into ``RegistryError``s.
final class RegistryTransport: Sendable {
    let http: HTTPClient
    let configuration: RegistryConfiguration
    let sessions = RegistrySessions()

    init(configuration: RegistryConfiguration) throws {
        self.configuration = configuration
        var tls = TLSConfiguration.makeClientConfiguration()
        var roots: [NIOSSLCertificate] = []
        for path in [configuration.caFile, configuration.environment["SSL_CERT_FILE"]].compactMap({ $0 }) where !path.isEmpty {
            do {
                roots += try NIOSSLCertificate.fromPEMFile(path)
            } catch {
                throw RegistryError(.tlsFailure, "cannot read certificates from \(path): \(error); give a PEM file of CA certificates")
            }
        }
        if !roots.isEmpty { tls.additionalTrustRoots = [.certificates(roots)] }
        var http = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(30), read: .seconds(600))
        )
        http.connectionPool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        // A failed connection fails its request at once: the retry policy (with its time bound) decides what
        // comes next, and an untrusted certificate is reported immediately.
        http.connectionPool.retryConnectionEstablishment = false
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    func shutdown() async throws {
        try await http.shutdown()
    }

    deinit {
        // A client dropped without shutdown() still releases its connections (a second shutdown is harmless).
        http.shutdown(queue: .global()) { _ in }
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
            let body = try await Self.collect(response, limit: limit, what: "the answer to \(request.summary)")
            return RegistryResponse(status: response.status.code, headers: response.headers, body: body)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw TransientFailure(lastAnswer: "connection lost while reading the answer: \(Self.describe(error))")
        }
    }

    /// Runs `body` until it succeeds, retrying ``TransientFailure``s by the policy within the deadline.
    func withRetries<T>(_ what: String, registry: String, deadline: OperationDeadline, _ body: () async throws -> T) async throws -> T {
        let policy = configuration.retryPolicy
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await body()
            } catch let failure as TransientFailure {
                let times = attempt == 1 ? "once" : "\(attempt) times"
                if attempt >= policy.maximumAttempts {
                    throw RegistryError(.retriesExhausted, "\(registry) kept failing: \(what) was tried \(times); the last answer was \(failure.lastAnswer)")
                }
                let delay = min(failure.retryAfter ?? policy.delay(afterAttempt: attempt), 300)
                guard delay < deadline.remaining else {
                    throw RegistryError(.timedOut, "gave up on \(registry) after \(deadline.elapsedText) (the time bound is \(Self.seconds(deadline.seconds))): \(what) was tried \(times); the last answer was \(failure.lastAnswer)")
                }
                configuration.progress.note("\(registry): \(what): \(failure.lastAnswer); retrying in \((delay * 10).rounded() / 10) s")
                logger.debug("retrying", metadata: ["registry": "\(registry)", "request": "\(what)", "answer": "\(failure.lastAnswer)"])
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            }
        }
    }

    /// One attempt: authenticates, re-authenticates once on a 401, follows redirects of GET and HEAD, and
    /// returns the response (its body unread) when its status is accepted.
    func attempt(_ request: RegistryRequest, deadline: OperationDeadline) async throws -> HTTPClientResponse {
        guard deadline.remaining > 0 else {
            throw RegistryError(.timedOut, "gave up on \(request.registry) after \(deadline.elapsedText): the time bound of \(Self.seconds(deadline.seconds)) ran out before \(request.summary)")
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
            logger.trace("request", metadata: ["request": "\(request.summary)"])
            let response: HTTPClientResponse
            do {
                response = try await self.http.execute(http, deadline: deadline.nioDeadline, logger: nil)
            } catch {
                throw classify(error, request: request, deadline: deadline)
            }
            let status = response.status.code
            if request.accepted.contains(status) { return response }
            switch status {
            case 401 where !reauthenticated && sameHost:
                reauthenticated = true
                let challenges = response.headers["WWW-Authenticate"].flatMap(AuthenticationChallenge.parse)
                await Self.drain(response)
                if let challenge = challenges.first(where: { $0.scheme == "bearer" }) ?? challenges.first {
                    await sessions.update(challenge: challenge, for: request.registry)
                    for scope in challenge.scopes where !scopes.contains(scope) { scopes.append(scope) }
                }
                await sessions.invalidateToken(for: Self.tokenKey(request.registry, scopes))
                continue
            case 301, 302, 303, 307, 308 where (request.method == .GET || request.method == .HEAD) && redirects < 5:
                guard let location = response.headers.first(name: "Location") else { break }
                await Self.drain(response)
                redirects += 1
                url = Self.resolve(location, against: url)
                continue
            default:
                break
            }
            if RetryPolicy.retryableStatuses.contains(status) {
                let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter)
                let body = (try? await Self.collect(response, limit: 64 << 10, what: "")) ?? Data()
                throw TransientFailure(lastAnswer: Self.statusText(response.status) + RegistryErrorBody(body).summarySuffix, retryAfter: retryAfter)
            }
            let body = (try? await Self.collect(response, limit: 64 << 10, what: "")) ?? Data()
            throw await error(for: response, body: body, request: request, scopes: scopes)
        }
    }

    // MARK: Sessions and authentication

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
        } catch let plainError as RegistryError where plainError.code == .invalidResponse || plainError.code == .connectionFailed {
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
                response = try await http.execute(request, deadline: deadline.nioDeadline, logger: nil)
            } catch {
                let classified = classify(error, request: RegistryRequest(method: .GET, registry: registry, target: "/v2/", scopes: [], accepted: []), deadline: deadline)
                if let failure = classified as? TransientFailure, fallsBack {
                    throw RegistryError(.connectionFailed, "cannot reach \(registry) over plain HTTP: \(failure.lastAnswer)")
                }
                throw classified
            }
            let status = response.status.code
            let challenges = response.headers["WWW-Authenticate"].flatMap(AuthenticationChallenge.parse)
            await Self.drain(response)
            switch status {
            case 200..<300:
                return RegistrySessions.Session(baseURL: base, challenge: nil)
            case 401:
                guard let challenge = challenges.first(where: { $0.scheme == "bearer" }) ?? challenges.first(where: { $0.scheme == "basic" }) else {
                    throw RegistryError(.invalidResponse, "\(registry) answered GET /v2/ with 401 but no Basic or Bearer challenge")
                }
                return RegistrySessions.Session(baseURL: base, challenge: challenge)
            case let code where RetryPolicy.retryableStatuses.contains(code):
                throw TransientFailure(lastAnswer: Self.statusText(response.status), retryAfter: response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter))
            default:
                throw RegistryError(.invalidResponse, "\(base) is not a registry: GET /v2/ answered \(Self.statusText(response.status))")
            }
        }
    }

    /// The `Authorization` header for `scopes`, or `nil` when the registry asks for none.
    func authorization(registry: String, scopes: [String], deadline: OperationDeadline) async throws -> String? {
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
            throw RegistryError(.unsupported, "\(registry) asks for \(challenge.scheme) authentication; only Basic and Bearer are supported")
        }
    }

    func credential(for registry: String) async throws -> Credential? {
        try await sessions.credential(for: registry, resolver: configuration.credentials)
    }

    /// Asks the challenge's realm for a token with one `scope=` per scope, sending the credential as Basic.
    func fetchToken(registry: String, challenge: AuthenticationChallenge, scopes: [String], credential: Credential?, deadline: OperationDeadline) async throws -> (token: String, lifetime: Double) {
        guard let realm = challenge.realm, var components = URLComponents(string: realm), let scheme = components.scheme?.lowercased(), let host = components.host else {
            throw RegistryError(.invalidResponse, "\(registry) sent a Bearer challenge without a usable realm")
        }
        let realmHost = components.port.map { "\(host):\($0)" } ?? host
        guard scheme == "https" || (scheme == "http" && (configuration.allowsPlainHTTP(realmHost) || configuration.allowsPlainHTTP(registry))) else {
            throw RegistryError(.tlsFailure, "\(registry) sends credentials to \(realm) over plain HTTP; refusing (allow it with --insecure-registry \(realmHost))")
        }
        var items = components.queryItems ?? []
        if let service = challenge.service { items.append(URLQueryItem(name: "service", value: service)) }
        for scope in scopes { items.append(URLQueryItem(name: "scope", value: scope)) }
        components.queryItems = items.isEmpty ? nil : items
        guard let url = components.string else {
            throw RegistryError(.invalidResponse, "\(registry) sent a Bearer challenge with an unusable realm \(realm)")
        }
        let who = credential?.description ?? "anonymous access"
        return try await withRetries("GET token from \(realmHost)", registry: registry, deadline: deadline) {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            if let credential { request.headers.add(name: "Authorization", value: credential.basicAuthorization) }
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, deadline: deadline.nioDeadline, logger: nil)
            } catch {
                throw classify(error, request: RegistryRequest(method: .GET, registry: realmHost, target: url, scopes: [], accepted: []), deadline: deadline)
            }
            let body = (try? await Self.collect(response, limit: 1 << 20, what: "the token")) ?? Data()
            switch response.status.code {
            case 200:
                guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                      let token = (object["token"] as? String) ?? (object["access_token"] as? String), !token.isEmpty else {
                    throw RegistryError(.invalidResponse, "the token service of \(registry) (\(realmHost)) answered without a token")
                }
                let lifetime = (object["expires_in"] as? NSNumber)?.doubleValue ?? 60
                return (token, max(lifetime, 1))
            case 401, 403:
                let hint = credential == nil
                    ? "it needs credentials: use `stevedore login \(registry)`, --username with --password-stdin, or STEVEDORE_REGISTRY_USERNAME/STEVEDORE_REGISTRY_PASSWORD"
                    : "check the user name and password or token"
                throw RegistryError(.unauthorized, "\(registry) refused \(who): its token service answered \(Self.statusText(response.status))\(RegistryErrorBody(body).summarySuffix); \(hint)")
            case let code where RetryPolicy.retryableStatuses.contains(code):
                throw TransientFailure(lastAnswer: "token service: " + Self.statusText(response.status), retryAfter: response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter))
            default:
                throw RegistryError(.rejected, "the token service of \(registry) answered \(Self.statusText(response.status))\(RegistryErrorBody(body).summarySuffix) for \(who)")
            }
        }
    }

    static func tokenKey(_ registry: String, _ scopes: [String]) -> String {
        registry + " " + scopes.sorted().joined(separator: " ")
    }

    // MARK: Errors

    /// Turns a transport error into a ``RegistryError`` (not retried) or a ``TransientFailure``.
    func classify(_ error: any Error, request: RegistryRequest, deadline: OperationDeadline) -> any Error {
        if error is CancellationError { return error }
        if let error = error as? RegistryError { return error }
        if let error = error as? HTTPClientError, error == .deadlineExceeded {
            return RegistryError(.timedOut, "gave up on \(request.registry) after \(deadline.elapsedText): the time bound of \(Self.seconds(deadline.seconds)) ran out during \(request.summary)")
        }
        let text = Self.describe(error)
        if error is NIOSSLError || error is BoringSSLError || text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("handshake") {
            return RegistryError(.tlsFailure, "TLS with \(request.registry) failed: \(text); if the registry uses a private CA, pass --ca-file CA.pem (or set SSL_CERT_FILE)")
        }
        return TransientFailure(lastAnswer: "connection error: \(text)")
    }

    /// The error for an answer that is neither accepted nor retried.
    private func error(for response: HTTPClientResponse, body: Data, request: RegistryRequest, scopes: [String]) async -> RegistryError {
        let registry = request.registry
        let details = RegistryErrorBody(body)
        let status = response.status.code
        let credential: Credential? = (try? await credential(for: registry)) ?? nil
        let who = credential?.description ?? "anonymous access"
        let repository = scopes.first.flatMap { scope -> String? in
            let parts = scope.split(separator: ":")
            return parts.count >= 3 ? String(parts[1]) : nil
        }
        let action = request.method == .GET || request.method == .HEAD ? "pull from" : "push to"
        let codes = Set(details.codes)
        if status == 401 {
            let challenges = response.headers["WWW-Authenticate"].flatMap(AuthenticationChallenge.parse)
            if credential == nil {
                return RegistryError(.unauthorized, "\(registry) needs credentials to \(action) \(repository ?? "this repository") (\(request.summary) answered 401); use `stevedore login \(registry)`, --username with --password-stdin, or STEVEDORE_REGISTRY_USERNAME/STEVEDORE_REGISTRY_PASSWORD")
            }
            if challenges.contains(where: { $0.error == "insufficient_scope" }) || codes.contains("DENIED") {
                return deniedError(registry: registry, who: who, action: action, repository: repository, request: request, details: details)
            }
            if challenges.contains(where: { $0.scheme == "basic" }) || codes.contains("UNAUTHORIZED") && !challenges.contains(where: { $0.scheme == "bearer" }) {
                return RegistryError(.unauthorized, "\(registry) refused \(who) (\(request.summary) answered 401\(details.summarySuffix)); check the user name and password or token")
            }
            return deniedError(registry: registry, who: who, action: action, repository: repository, request: request, details: details)
        }
        if status == 403 || codes.contains("DENIED") {
            return deniedError(registry: registry, who: who, action: action, repository: repository, request: request, details: details)
        }
        if codes.contains("NAME_UNKNOWN") {
            return RegistryError(.repositoryNotFound, "repository \(repository ?? "") does not exist on \(registry) (\(request.summary) answered \(Self.statusText(response.status))\(details.summarySuffix))")
        }
        if codes.contains("MANIFEST_UNKNOWN") || (status == 404 && request.notFound == .manifestNotFound) {
            return RegistryError(.manifestNotFound, "\(registry)/\(repository ?? "") has no such tag or digest (\(request.summary) answered \(Self.statusText(response.status))\(details.summarySuffix))")
        }
        if codes.contains("BLOB_UNKNOWN") || (status == 404 && request.notFound == .blobNotFound) {
            return RegistryError(.blobNotFound, "\(registry)/\(repository ?? "") has no such blob (\(request.summary) answered \(Self.statusText(response.status))\(details.summarySuffix))")
        }
        if codes.contains("DIGEST_INVALID") {
            return RegistryError(.transferDigestMismatch, "\(registry) says the content of \(request.summary) does not match its digest\(details.summarySuffix)")
        }
        if codes.contains("SIZE_INVALID") {
            return RegistryError(.transferSizeMismatch, "\(registry) says the content of \(request.summary) does not have the declared size\(details.summarySuffix)")
        }
        if status == 404 {
            return RegistryError(request.notFound == .rejected ? .repositoryNotFound : request.notFound, "\(registry) answered \(request.summary) with 404 Not Found\(details.summarySuffix)")
        }
        return RegistryError(.rejected, "\(registry) rejected \(request.summary): \(Self.statusText(response.status))\(details.summarySuffix)")
    }

    private func deniedError(registry: String, who: String, action: String, repository: String?, request: RegistryRequest, details: RegistryErrorBody) -> RegistryError {
        var message = "\(registry) denied \(who) permission to \(action) \(repository ?? "the repository") (\(request.summary)\(details.summarySuffix))"
        if registry == "ghcr.io" { message += ". " + GitHubContainerRegistry.deniedExplanation }
        return RegistryError(.denied, message)
    }

    // MARK: Small helpers

    static func collect(_ response: HTTPClientResponse, limit: Int, what: String) async throws -> Data {
        var data = Data()
        for try await buffer in response.body {
            guard data.count + buffer.readableBytes <= limit else {
                throw RegistryError(.invalidResponse, "\(what) is larger than the \(limit) bytes allowed")
            }
            data.append(contentsOf: buffer.readableBytesView)
        }
        return data
    }

    static func drain(_ response: HTTPClientResponse) async {
        _ = try? await collect(response, limit: 1 << 20, what: "")
    }

    static func statusText(_ status: HTTPResponseStatus) -> String { "\(status.code) \(status.reasonPhrase)" }

    static func seconds(_ value: Double) -> String { value < 10 ? "\(value) s" : "\(Int(value)) s" }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return "\(error)"
    }

    /// `Retry-After` as seconds: a number, or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// An absolute URL for a path or URL.
    static func absolute(_ target: String, base: String) -> String {
        if target.hasPrefix("http://") || target.hasPrefix("https://") { return target }
        if target.hasPrefix("/") { return base + target }
        return base + "/" + target
    }

    /// A `Location` resolved against the URL it answered.
    static func resolve(_ location: String, against url: String) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        let origin = Self.origin(of: url)
        if location.hasPrefix("//") { return (url.hasPrefix("https") ? "https:" : "http:") + location }
        if location.hasPrefix("/") { return origin + location }
        var directory = String(url.prefix { $0 != "?" })
        if let slash = directory.lastIndex(of: "/"), slash > directory.index(directory.startIndex, offsetBy: origin.count - 1) {
            directory = String(directory[...slash])
        } else {
            directory += "/"
        }
        return directory + location
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(of url: String) -> String {
        guard let range = url.range(of: "://") else { return url }
        let rest = url[range.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        return String(url[..<end]).lowercased()
    }

    /// `url` with `name=value` added to its query (after `&` when it has one).
    static func appendingQuery(_ url: String, name: String, value: String) -> String {
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? value
        return url + (url.contains("?") ? "&" : "?") + "\(name)=\(encoded)"
    }
}

/// The `errors` array of a registry's error answer.
struct RegistryErrorBody {
    var codes: [String] = []
    var messages: [String] = []

    init(_ data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let errors = object["errors"] as? [[String: Any]] else { return }
        for error in errors {
            codes.append((error["code"] as? String) ?? "")
            messages.append((error["message"] as? String) ?? "")
        }
    }

    /// `: CODE: message` for the first error, or nothing.
    var summarySuffix: String {
        guard let code = codes.first else { return "" }
        let message = messages.first ?? ""
        return message.isEmpty ? ": \(code)" : ": \(code): \(message)"
    }
}

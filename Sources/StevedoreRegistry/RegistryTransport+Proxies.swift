import AsyncHTTPClient
import StevedoreCore

extension RegistryTransport {
    /// Sends one request, directly or through the proxy the environment names for its URL (see
    /// ``ProxySettings``). A failure on the way through a proxy names the proxy, never its credentials.
    func execute(_ request: HTTPClientRequest, deadline: OperationDeadline) async throws -> HTTPClientResponse {
        let (client, proxy) = try clients.client(for: request.url)
        do {
            return try await client.execute(request, deadline: deadline.nioDeadline, logger: nil)
        } catch {
            guard let proxy else { throw error }
            throw Self.proxyFailure(error, proxy: proxy, url: request.url)
        }
    }

    /// `error` of a request to `url` through `proxy`: a `407` as ``StevedoreError`` `proxyUnauthorized`, any
    /// other refusal of the proxy as `connectionFailed`, a lost connection as a ``TransientFailure`` that
    /// names the proxy; TLS errors, time bounds and cancellation as they are.
    static func proxyFailure(_ error: any Error, proxy: ProxyServer, url: String) -> any Error {
        let target = ProxySettings.target(of: url)
        let destination = target.map { $0.host.contains(":") ? "[\($0.host)]:\($0.port)" : "\($0.host):\($0.port)" } ?? hostPort(of: url)
        if let error = error as? HTTPClientError {
            if error == .proxyAuthenticationRequired {
                let problem = proxy.hasCredentials ? "refused the credentials in \(proxy.variable)" : "needs credentials"
                let hint = proxy.hasCredentials
                    ? "check the user name and password in \(proxy.variable) (percent-encode special characters)"
                    : "give them in \(proxy.variable) as http://USER:PASSWORD@\(proxy.host):\(proxy.port)"
                return StevedoreError(.proxyUnauthorized, "the proxy \(proxy) \(problem): it answered 407 Proxy Authentication Required to CONNECT \(destination); \(hint)")
            }
            if error == .invalidProxyResponse {
                // async-http-client does not say which status the proxy sent. It is most often a lasting refusal
                // (tinyproxy answers 401 to a wrong password, squid 403 to a port it does not tunnel), so
                // retrying would only delay the message.
                let credentials = proxy.hasCredentials ? "the user name and password in \(proxy.variable) (some proxies refuse wrong ones with 401 or 403), " : ""
                return StevedoreError(.connectionFailed, "the proxy \(proxy) (from \(proxy.variable)) refused to CONNECT to \(destination): it answered neither 200 nor 407; check \(credentials)that it allows CONNECT to port \(target?.port ?? 443), or name \(target?.host ?? destination) in NO_PROXY")
            }
            if error == .deadlineExceeded || error == .alreadyShutdown || error == .cancelled { return error }
        }
        if error is CancellationError || error is StevedoreError || error is TransientFailure || isTLSFailure(error) { return error }
        return TransientFailure(lastAnswer: "connection error through the proxy \(proxy) (from \(proxy.variable)): \(describe(error))")
    }
}

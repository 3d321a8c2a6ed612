import AsyncHTTPClient
import Foundation
import Logging
import StevedoreCore

/// The HTTP clients a transport sends through: one direct, and one per proxy of the ``ProxySettings``
/// (at most two: `HTTPS_PROXY` and `HTTP_PROXY`), because async-http-client sets a proxy per client while
/// `NO_PROXY` decides per host. Each is made on first use; ``shutdown()`` closes them all.
final class RegistryHTTPClients: @unchecked Sendable {
    /// The settings every client shares; the proxy is set per client.
    private let configuration: HTTPClient.Configuration
    let proxies: ProxySettings
    private let logger: Logger
    private let lock = NSLock()
    // Guarded by `lock`.
    private var clients: [ProxyServer?: HTTPClient] = [:]
    private var isShutDown = false

    init(configuration: HTTPClient.Configuration, proxies: ProxySettings, logger: Logger) {
        self.configuration = configuration
        self.proxies = proxies
        self.logger = logger
    }

    /// The client for a request to `url` and the proxy it goes through (`nil`: directly).
    func client(for url: String) throws -> (client: HTTPClient, proxy: ProxyServer?) {
        let proxy = proxies.proxy(for: url)
        let made: (client: HTTPClient, isNew: Bool) = try lock.withLock {
            if let client = clients[proxy] { return (client, false) }
            guard !isShutDown else { throw HTTPClientError.alreadyShutdown }
            var configuration = configuration
            if let proxy {
                let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password) }
                configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
            }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            clients[proxy] = client
            return (client, true)
        }
        if made.isNew, let proxy {
            // `description` hides the credentials.
            logger.debug("through proxy \(proxy) from \(proxy.variable)", metadata: ["stevedore.proxy": "\(proxy)"])
        }
        return (made.client, proxy)
    }

    /// Closes every client made so far; no new one is made afterwards.
    func shutdown() async throws {
        let all = lock.withLock {
            isShutDown = true
            return Array(clients.values)
        }
        for client in all { try await client.shutdown() }
    }

    deinit {
        // Clients dropped without shutdown() still release their connections (a second shutdown is harmless).
        for client in clients.values { client.shutdown(queue: .global()) { _ in } }
    }
}

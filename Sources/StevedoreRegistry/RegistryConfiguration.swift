import Foundation
import Logging
import StevedoreCore
import StevedoreAuth

/// How a ``RegistryClient`` reaches registries: credentials, trust, plain-HTTP exceptions, retries, limits.
public struct RegistryConfiguration: Sendable {
    /// Finds the credential for each registry.
    public var credentials: CredentialResolver
    /// A PEM file of extra certificate authorities to trust (`--ca-file`); `SSL_CERT_FILE` is added too.
    public var caFile: String?
    /// Registries (`HOST[:PORT]`) that may be reached over plain HTTP when HTTPS fails (`--insecure-registry`).
    /// `localhost`, `127.0.0.1` and `::1` are always allowed, as docker does.
    public var insecureRegistries: Set<String>
    /// How transient failures are retried.
    public var retryPolicy: RetryPolicy
    /// The longest a whole pull or push may take, retries included, in seconds.
    public var timeout: Double
    /// The longest a response may go without a byte, in seconds; then the request fails and is retried.
    public var idleTimeout: Double
    /// The slowest a response body may arrive, in bytes a second, measured over each ``idleTimeout`` of
    /// waiting on the network (as curl's `--speed-limit` with `--speed-time`); a body that drips is retried.
    public var minimumThroughput: Double = RegistryConfiguration.defaultMinimumThroughput
    /// How many blobs move at once.
    public var maximumConcurrentTransfers: Int
    /// The largest chunk a chunked upload sends in one `PATCH` (ghcr.io refuses larger ones).
    public var chunkSize: Int
    /// Whether blobs are always uploaded in chunks (`PATCH`…`PUT`) instead of one streamed `PUT`.
    /// Registries that refuse a streamed `PUT` get chunks anyway.
    public var alwaysUploadInChunks: Bool
    /// Where transfers are reported.
    public var progress: any TransferProgress
    /// Where requests are logged (never with credentials).
    public var logger: Logger
    /// The environment, for `SSL_CERT_FILE` and the proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`,
    /// `NO_PROXY` and their lowercase forms; see ``ProxySettings``).
    public var environment: [String: String]

    /// The default idle timeout: 30 s without a byte, well under a minute (a healthy registry sends bytes far
    /// more often; a stall then becomes a retry).
    public static let defaultIdleTimeout: Double = 30

    /// The default minimum throughput: 1 KiB/s, far below any working network.
    public static let defaultMinimumThroughput: Double = 1024

    /// The largest chunk ghcr.io accepts in one `PATCH`.
    public static let maximumChunkSize = 4 << 20

    /// Creates a configuration; every value has a default suited to the CLI.
    public init(
        credentials: CredentialResolver = CredentialResolver(),
        caFile: String? = nil,
        insecureRegistries: Set<String> = [],
        retryPolicy: RetryPolicy = RetryPolicy(),
        timeout: Double = 1800,
        idleTimeout: Double = RegistryConfiguration.defaultIdleTimeout,
        maximumConcurrentTransfers: Int = 4,
        chunkSize: Int = RegistryConfiguration.maximumChunkSize,
        alwaysUploadInChunks: Bool = false,
        progress: any TransferProgress = SilentTransferProgress(),
        logger: Logger = Logger(label: "stevedore.registry"),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.credentials = credentials
        self.caFile = caFile
        self.insecureRegistries = insecureRegistries
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.idleTimeout = idleTimeout.isFinite && idleTimeout > 0 ? min(idleTimeout, 3600) : Self.defaultIdleTimeout
        self.maximumConcurrentTransfers = max(1, maximumConcurrentTransfers)
        self.chunkSize = min(max(64 << 10, chunkSize), Self.maximumChunkSize)
        self.alwaysUploadInChunks = alwaysUploadInChunks
        self.progress = progress
        self.logger = logger
        self.environment = environment
    }

    /// Whether `registry` may be reached over plain HTTP.
    public func allowsPlainHTTP(_ registry: String) -> Bool {
        let registry = ImageReference.normalizedRegistry(registry)
        let allowed = Set(insecureRegistries.map(ImageReference.normalizedRegistry))
        if allowed.contains(registry) { return true }
        let host = Self.host(of: registry)
        if allowed.contains(host) { return true }
        return host == "localhost" || host == "127.0.0.1" || host == "::1"
    }

    static func host(of registry: String) -> String {
        if registry.hasPrefix("["), let close = registry.firstIndex(of: "]") {
            return String(registry[registry.index(after: registry.startIndex)..<close])
        }
        if let colon = registry.lastIndex(of: ":") { return String(registry[..<colon]) }
        return registry
    }
}

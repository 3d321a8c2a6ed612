/// The OCI image configuration: what runs, how, on which platform, and the layers' history.
///
/// See <https://github.com/opencontainers/image-spec/blob/main/config.md>.
public struct ImageConfiguration: Hashable, Sendable, Codable {
    public var created: String?
    public var author: String?
    public var architecture: String
    public var os: String
    public var variant: String?
    public var osVersion: String?
    public var osFeatures: [String]?
    public var config: ContainerConfiguration?
    public var rootfs: RootFS
    public var history: [History]?

    enum CodingKeys: String, CodingKey {
        case created, author, architecture, os, variant, config, rootfs, history
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(platform: Platform, config: ContainerConfiguration? = nil, rootfs: RootFS = RootFS(diffIDs: []), history: [History]? = nil, created: String? = nil) {
        self.architecture = platform.architecture
        self.os = platform.os
        self.variant = platform.variant
        self.config = config
        self.rootfs = rootfs
        self.history = history
        self.created = created
    }

    /// The platform this configuration declares.
    public var platform: Platform {
        var platform = Platform(os: os, architecture: architecture, variant: variant)
        platform.osVersion = osVersion
        platform.osFeatures = osFeatures
        return platform
    }

    /// The execution parameters a runtime uses for a container.
    public struct ContainerConfiguration: Hashable, Sendable, Codable {
        public var user: String?
        public var exposedPorts: [String: EmptyObject]?
        public var env: [String]?
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var volumes: [String: EmptyObject]?
        public var workingDir: String?
        public var labels: [String: String]?
        public var stopSignal: String?
        public var argsEscaped: Bool?
        public var healthcheck: HealthCheck?
        public var onBuild: [String]?
        public var shell: [String]?

        enum CodingKeys: String, CodingKey {
            case user = "User"
            case exposedPorts = "ExposedPorts"
            case env = "Env"
            case entrypoint = "Entrypoint"
            case cmd = "Cmd"
            case volumes = "Volumes"
            case workingDir = "WorkingDir"
            case labels = "Labels"
            case stopSignal = "StopSignal"
            case argsEscaped = "ArgsEscaped"
            case healthcheck = "Healthcheck"
            case onBuild = "OnBuild"
            case shell = "Shell"
        }

        public init() {}
    }

    /// Docker's health check, carried over from base images.
    public struct HealthCheck: Hashable, Sendable, Codable {
        public var test: [String]?
        public var interval: Int64?
        public var timeout: Int64?
        public var startPeriod: Int64?
        public var retries: Int?

        enum CodingKeys: String, CodingKey {
            case test = "Test"
            case interval = "Interval"
            case timeout = "Timeout"
            case startPeriod = "StartPeriod"
            case retries = "Retries"
        }
    }

    /// The layers' uncompressed digests, in order.
    public struct RootFS: Hashable, Sendable, Codable {
        public var type: String
        public var diffIDs: [Digest]

        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }

        public init(diffIDs: [Digest]) {
            self.type = "layers"
            self.diffIDs = diffIDs
        }
    }

    /// How one layer (or an empty step) came to be.
    public struct History: Hashable, Sendable, Codable {
        public var created: String?
        public var createdBy: String?
        public var author: String?
        public var comment: String?
        public var emptyLayer: Bool?

        enum CodingKeys: String, CodingKey {
            case created, author, comment
            case createdBy = "created_by"
            case emptyLayer = "empty_layer"
        }

        public init(created: String? = nil, createdBy: String? = nil, comment: String? = nil, emptyLayer: Bool? = nil) {
            self.created = created
            self.createdBy = createdBy
            self.comment = comment
            self.emptyLayer = emptyLayer
        }
    }
}

/// The JSON value `{}`, used as the value of set-like maps (`ExposedPorts`, `Volumes`).
public struct EmptyObject: Hashable, Sendable, Codable {
    public init() {}
    public init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: NoKeys.self) }
    public func encode(to encoder: any Encoder) throws { _ = encoder.container(keyedBy: NoKeys.self) }
    private enum NoKeys: CodingKey {}
}

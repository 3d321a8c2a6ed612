/// A CycloneDX 1.5 BOM in its JSON form (<https://cyclonedx.org/docs/1.5/json/>): metadata, components and
/// dependencies. Property names are the JSON keys (`bom-ref` through coding keys); `nil` properties are left out.
public struct CycloneDXDocument: Codable, Hashable, Sendable {
    /// A `hashes` entry.
    public struct Hash: Codable, Hashable, Sendable {
        /// E.g. `SHA-256`.
        public var alg: String
        /// Lowercase hex.
        public var content: String

        public init(alg: String, content: String) { (self.alg, self.content) = (alg, content) }
    }

    /// An `externalReferences` entry.
    public struct ExternalReference: Codable, Hashable, Sendable {
        /// E.g. `vcs`.
        public var type: String
        public var url: String

        public init(type: String, url: String) { (self.type, self.url) = (type, url) }
    }

    /// A `properties` entry.
    public struct Property: Codable, Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) { (self.name, self.value) = (name, value) }
    }

    /// An organisation, e.g. a `supplier`.
    public struct Organization: Codable, Hashable, Sendable {
        public var name: String

        public init(name: String) { self.name = name }
    }

    /// A component.
    public struct Component: Codable, Hashable, Sendable {
        public var bomRef: String
        /// `application`, `container`, `library`, `framework`, `file`…
        public var type: String
        public var name: String
        public var version: String?
        public var description: String?
        public var supplier: Organization?
        public var hashes: [Hash]?
        public var purl: String?
        public var externalReferences: [ExternalReference]?
        public var properties: [Property]?

        public init(bomRef: String, type: String, name: String, version: String? = nil) {
            self.bomRef = bomRef
            self.type = type
            self.name = name
            self.version = version
        }

        enum CodingKeys: String, CodingKey {
            case bomRef = "bom-ref"
            case type, name, version, description, supplier, hashes, purl, externalReferences, properties
        }
    }

    /// A `dependencies` entry.
    public struct Dependency: Codable, Hashable, Sendable {
        public var ref: String
        public var dependsOn: [String]

        public init(ref: String, dependsOn: [String]) { (self.ref, self.dependsOn) = (ref, dependsOn) }
    }

    /// `metadata`.
    public struct Metadata: Codable, Hashable, Sendable {
        /// The tool that wrote the BOM.
        public struct Tools: Codable, Hashable, Sendable {
            public var components: [Component]

            public init(components: [Component]) { self.components = components }
        }

        public var timestamp: String
        public var tools: Tools
        /// The image (or index) the BOM describes.
        public var component: Component

        public init(timestamp: String, tools: Tools, component: Component) {
            self.timestamp = timestamp
            self.tools = tools
            self.component = component
        }
    }

    public var bomFormat = "CycloneDX"
    public var specVersion = "1.5"
    /// `urn:uuid:…`, derived from the image digest.
    public var serialNumber: String
    public var version = 1
    public var metadata: Metadata
    public var components: [Component]
    public var dependencies: [Dependency]

    public init(serialNumber: String, metadata: Metadata, components: [Component], dependencies: [Dependency]) {
        self.serialNumber = serialNumber
        self.metadata = metadata
        self.components = components
        self.dependencies = dependencies
    }
}

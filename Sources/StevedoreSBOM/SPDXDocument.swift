/// An SPDX 2.3 document in its JSON form (<https://spdx.github.io/spdx-spec/v2.3/>): the elements Stevedore writes —
/// packages and relationships — with the fields the specification requires of them.
///
/// Property names are the JSON keys; `nil` properties are left out. Encode with ``SBOMEncoding`` for stable bytes.
public struct SPDXDocument: Codable, Hashable, Sendable {
    /// `checksums` entries.
    public struct Checksum: Codable, Hashable, Sendable {
        /// E.g. `SHA256`.
        public var algorithm: String
        /// Lowercase hex.
        public var checksumValue: String

        public init(algorithm: String, checksumValue: String) {
            self.algorithm = algorithm
            self.checksumValue = checksumValue
        }
    }

    /// `externalRefs` entries, e.g. a purl.
    public struct ExternalReference: Codable, Hashable, Sendable {
        /// E.g. `PACKAGE-MANAGER`.
        public var referenceCategory: String
        /// E.g. `purl`.
        public var referenceType: String
        /// E.g. `pkg:deb/debian/zlib1g@…`.
        public var referenceLocator: String

        public init(referenceCategory: String, referenceType: String, referenceLocator: String) {
            self.referenceCategory = referenceCategory
            self.referenceType = referenceType
            self.referenceLocator = referenceLocator
        }

        /// A `PACKAGE-MANAGER` `purl` reference.
        public static func purl(_ url: PackageURL) -> ExternalReference {
            ExternalReference(referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: url.description)
        }
    }

    /// `creationInfo`.
    public struct CreationInfo: Codable, Hashable, Sendable {
        /// `YYYY-MM-DDThh:mm:ssZ`.
        public var created: String
        /// E.g. `Tool: stevedore`.
        public var creators: [String]

        public init(created: String, creators: [String]) {
            self.created = created
            self.creators = creators
        }
    }

    /// A package (section 7).
    public struct Package: Codable, Hashable, Sendable {
        public var SPDXID: String
        public var name: String
        public var versionInfo: String?
        public var packageFileName: String?
        public var supplier: String?
        public var originator: String?
        public var downloadLocation: String
        public var filesAnalyzed: Bool
        public var checksums: [Checksum]?
        public var sourceInfo: String?
        public var licenseConcluded: String
        public var licenseDeclared: String
        public var copyrightText: String
        public var description: String?
        public var comment: String?
        public var externalRefs: [ExternalReference]?
        public var primaryPackagePurpose: String?

        /// A package with every license and copyright field `NOASSERTION` and no files analysed.
        public init(SPDXID: String, name: String, versionInfo: String? = nil, downloadLocation: String = "NOASSERTION") {
            self.SPDXID = SPDXID
            self.name = name
            self.versionInfo = versionInfo
            self.downloadLocation = downloadLocation
            self.filesAnalyzed = false
            self.licenseConcluded = "NOASSERTION"
            self.licenseDeclared = "NOASSERTION"
            self.copyrightText = "NOASSERTION"
        }
    }

    /// A relationship (section 11).
    public struct Relationship: Codable, Hashable, Sendable {
        public var spdxElementId: String
        public var relationshipType: String
        public var relatedSpdxElement: String
        public var comment: String?

        public init(_ element: String, _ type: String, _ related: String, comment: String? = nil) {
            self.spdxElementId = element
            self.relationshipType = type
            self.relatedSpdxElement = related
            self.comment = comment
        }
    }

    public var spdxVersion = "SPDX-2.3"
    public var dataLicense = "CC0-1.0"
    public var SPDXID = "SPDXRef-DOCUMENT"
    public var name: String
    public var documentNamespace: String
    public var creationInfo: CreationInfo
    public var comment: String?
    public var packages: [Package]
    public var relationships: [Relationship]

    /// Creates a document.
    public init(name: String, documentNamespace: String, creationInfo: CreationInfo, packages: [Package], relationships: [Relationship]) {
        self.name = name
        self.documentNamespace = documentNamespace
        self.creationInfo = creationInfo
        self.packages = packages
        self.relationships = relationships
    }
}

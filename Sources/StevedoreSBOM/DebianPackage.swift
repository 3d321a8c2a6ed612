/// An installed Debian package, as dpkg's status file records it.
public struct DebianPackage: Hashable, Sendable, Comparable {
    /// The package name, e.g. `zlib1g`.
    public var name: String
    /// The version, e.g. `1:1.2.13.dfsg-1+deb12u1`.
    public var version: String
    /// The architecture, e.g. `amd64` or `all`.
    public var architecture: String
    /// The source package's name, when it differs from ``name`` (e.g. `zlib`).
    public var source: String?
    /// The distribution, `debian-<VERSION_ID>` from the root's `os-release`, when known.
    public var distribution: String?

    /// Creates a package record.
    public init(name: String, version: String, architecture: String, source: String? = nil, distribution: String? = nil) {
        self.name = name
        self.version = version
        self.architecture = architecture
        self.source = source
        self.distribution = distribution
    }

    /// `pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-N`.
    public var packageURL: PackageURL {
        var qualifiers = ["arch": architecture]
        if let distribution { qualifiers["distro"] = distribution }
        return PackageURL(type: "deb", namespace: ["debian"], name: name, version: version, qualifiers: qualifiers)
    }

    public static func < (lhs: DebianPackage, rhs: DebianPackage) -> Bool {
        (lhs.name, lhs.architecture, lhs.version) < (rhs.name, rhs.architecture, rhs.version)
    }
}

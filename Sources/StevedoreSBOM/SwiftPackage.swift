/// A Swift package the executable was built from, as `Package.resolved` pins it.
public struct SwiftPackage: Hashable, Sendable, Comparable {
    /// SwiftPM's identity, the last path component of the location in lowercase, e.g. `swift-nio`.
    public var identity: String
    /// Where the package comes from: a repository URL (`https://github.com/apple/swift-nio.git`), a local path, or
    /// a registry identity.
    public var location: String
    /// The version pinned, e.g. `2.81.0`; `nil` for a branch or revision pin.
    public var version: String?
    /// The commit pinned, if any.
    public var revision: String?
    /// The branch pinned, if any.
    public var branch: String?

    /// Creates a package pin.
    public init(identity: String, location: String, version: String? = nil, revision: String? = nil, branch: String? = nil) {
        self.identity = identity
        self.location = location
        self.version = version
        self.revision = revision
        self.branch = branch
    }

    /// The version an SBOM shows: the version, else the revision, else the branch.
    public var versionText: String? { version ?? revision ?? branch }

    /// The repository URL to download it from, when ``location`` is one (`https://`, `http://`, `git@`, `ssh://`).
    public var downloadLocation: String? {
        let schemes = ["https://", "http://", "ssh://", "git://", "git@"]
        return schemes.contains { location.hasPrefix($0) } ? location : nil
    }

    /// `pkg:swift/<host>/<path>@<version>` (e.g. `pkg:swift/github.com/apple/swift-nio@2.81.0`), from a repository
    /// location with `.git` and any user dropped; `nil` for a local package.
    public var packageURL: PackageURL? {
        guard downloadLocation != nil else { return nil }
        var rest = location
        let scheme = rest.range(of: "://")
        if let scheme { rest = String(rest[scheme.upperBound...]) }
        if let at = rest.firstIndex(of: "@"), rest[..<at].firstIndex(of: "/") == nil { rest = String(rest[rest.index(after: at)...]) }
        if rest.hasSuffix(".git") { rest = String(rest.dropLast(4)) }
        // scp-like `host:owner/repo`.
        if scheme == nil, let colon = rest.firstIndex(of: ":"), rest[..<colon].firstIndex(of: "/") == nil {
            rest.replaceSubrange(colon...colon, with: "/")
        }
        var segments = rest.split(separator: "/").map(String.init)
        guard segments.count >= 2, let name = segments.popLast() else { return nil }
        if let port = segments[0].firstIndex(of: ":") { segments[0] = String(segments[0][..<port]) }
        return PackageURL(type: "swift", namespace: segments, name: name, version: versionText)
    }

    public static func < (lhs: SwiftPackage, rhs: SwiftPackage) -> Bool {
        (lhs.identity, lhs.location) < (rhs.identity, rhs.location)
    }
}

/// The platform an image runs on: operating system, CPU architecture and variant.
///
/// Names follow Go's `GOOS`/`GOARCH`, as the OCI specification asks (`amd64`, `arm64`, `arm` with variant `v7`…).
public struct Platform: Hashable, Sendable, Codable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?
    public var osVersion: String?
    public var osFeatures: [String]?

    enum CodingKeys: String, CodingKey {
        case os, architecture, variant
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// Parses `os/architecture[/variant]`, e.g. `linux/arm64/v8`, normalising common aliases
    /// (`x86_64` → `amd64`, `aarch64` → `arm64`, `armhf` → `arm/v7`).
    ///
    /// - Throws: ``StevedoreError`` with code `invalidPlatform`.
    public init(parsing string: String) throws {
        let parts = string.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0 == $0.lowercased() }) else {
            throw StevedoreError(.invalidPlatform, "invalid platform '\(string)': expected os/architecture[/variant] in lowercase, e.g. linux/amd64 or linux/arm64/v8")
        }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
        self = normalized
    }

    /// The platform with aliases replaced by their canonical names; `arm64` has no variant or `v8`, compared alike.
    public var normalized: Platform {
        var result = self
        switch architecture {
        case "x86_64", "x86-64": result.architecture = "amd64"
        case "aarch64": result.architecture = "arm64"
        case "armhf": result.architecture = "arm"; result.variant = result.variant ?? "v7"
        case "armel": result.architecture = "arm"; result.variant = result.variant ?? "v6"
        case "i386", "i686": result.architecture = "386"
        default: break
        }
        return result
    }

    /// Whether an image for `other` satisfies a request for this platform (an absent variant matches any,
    /// and `arm64` equals `arm64/v8`).
    public func matches(_ other: Platform) -> Bool {
        let a = normalized, b = other.normalized
        guard a.os == b.os, a.architecture == b.architecture else { return false }
        func variant(_ p: Platform) -> String? { p.architecture == "arm64" && p.variant == "v8" ? nil : p.variant }
        guard let wanted = variant(a) else { return true }
        return wanted == variant(b)
    }

    public var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }

    /// The platform of the machine running this code.
    public static var host: Platform {
        #if arch(x86_64)
        return Platform(os: "linux", architecture: "amd64")
        #elseif arch(arm64)
        return Platform(os: "linux", architecture: "arm64", variant: "v8")
        #elseif arch(arm)
        return Platform(os: "linux", architecture: "arm", variant: "v7")
        #else
        return Platform(os: "linux", architecture: "unknown")
        #endif
    }
}

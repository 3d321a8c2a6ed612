/// The Swift runtime (standard library, Foundation, Dispatch…) an image carries: copied in as shared libraries, or
/// linked statically into the executable.
public struct SwiftRuntime: Hashable, Sendable {
    /// How the runtime got into the image.
    public enum Linkage: String, Hashable, Sendable {
        /// `libswiftCore.so` and its siblings were copied from a toolchain.
        case copied
        /// The executable has Swift metadata sections but needs no `libswiftCore.so`: `-static-stdlib`.
        case linkedStatically
    }

    /// How the runtime got into the image.
    public var linkage: Linkage
    /// The toolchain's version, e.g. `6.1.2`, from `swift --version` of the toolchain that holds the copied
    /// `libswiftCore.so`; `nil` when no such toolchain answered, and always for a static executable, whose bytes
    /// do not record the compiler's version.
    public var version: String?
    /// The first line of `swift --version`, e.g. `Swift version 6.1.2 (swift-6.1.2-RELEASE)`, when it was run.
    public var versionDescription: String?

    /// Creates a runtime record.
    public init(linkage: Linkage, version: String? = nil, versionDescription: String? = nil) {
        self.linkage = linkage
        self.version = version
        self.versionDescription = versionDescription
    }
}

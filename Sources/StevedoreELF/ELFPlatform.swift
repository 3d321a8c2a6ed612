/// The OCI platform an ELF file runs on, named as the OCI image specification names it (Go's `GOOS`/`GOARCH`).
///
/// StevedoreELF depends on nothing but the system library, so this is a plain value; callers convert it to
/// `StevedoreCore.Platform` with `Platform(os: p.os, architecture: p.architecture, variant: p.variant)`.
public struct ELFPlatform: Hashable, Sendable, CustomStringConvertible {
    /// Always `linux` for the files this module reads.
    public var os: String
    /// `amd64`, `arm64`, `arm`, `386`, `riscv64`, `ppc64le`, `s390x`…
    public var architecture: String
    /// `v8` for `arm64`; `v7` or `v6` for `arm`; otherwise `nil`.
    public var variant: String?

    /// Creates a platform.
    public init(os: String = "linux", architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// `os/architecture[/variant]`, e.g. `linux/arm64/v8`.
    public var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }
}

import StevedoreCore

/// One executable of a build and the platform it is for: `PATH`, or `OS/ARCH[/VARIANT]=PATH` to state the
/// platform (it must agree with the ELF header).
public struct BuildExecutable: Hashable, Sendable, CustomStringConvertible {
    /// The ELF file on the host.
    public var path: String
    /// The platform stated for it; `nil` reads it from the ELF header.
    public var platform: Platform?

    public init(path: String, platform: Platform? = nil) {
        self.path = path
        self.platform = platform
    }

    /// Parses `PATH` or `OS/ARCH[/VARIANT]=PATH`.
    ///
    /// - Throws: ``StevedoreError`` `invalidPlatform` when the text before `=` is not a platform.
    public init(parsing text: String) throws {
        if let equals = text.firstIndex(of: "="), text[..<equals].contains("/") {
            self.init(path: String(text[text.index(after: equals)...]), platform: try Platform(parsing: String(text[..<equals])))
        } else {
            self.init(path: text)
        }
    }

    public var description: String { platform.map { "\($0)=\(path)" } ?? path }
}

/// A root file system in which a platform's shared libraries are looked for, instead of the host's own
/// directories (`--sysroot [OS/ARCH[/VARIANT]=]DIR`): a cross toolchain's sysroot, an unpacked Debian root.
public struct LibraryRoot: Hashable, Sendable, CustomStringConvertible {
    /// The platform it serves; `nil` serves every platform that has no root of its own.
    public var platform: Platform?
    /// The directory.
    public var path: String

    public init(path: String, platform: Platform? = nil) {
        self.path = path
        self.platform = platform
    }

    /// Parses `DIR` or `OS/ARCH[/VARIANT]=DIR`.
    ///
    /// - Throws: ``StevedoreError`` `invalidPlatform` when the text before `=` is not a platform.
    public init(parsing text: String) throws {
        let executable = try BuildExecutable(parsing: text)
        self.init(path: executable.path, platform: executable.platform)
    }

    /// The root for `platform` among `roots`: its own, else the one for every platform, else `nil` (the host).
    public static func root(for platform: Platform, in roots: [LibraryRoot]) -> String? {
        roots.first { $0.platform.map { platform.matches($0) } ?? false }?.path ?? roots.first { $0.platform == nil }?.path
    }

    public var description: String { platform.map { "\($0)=\(path)" } ?? path }
}

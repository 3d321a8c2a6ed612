/// What the dynamic loader needs to know about one ELF file: its class, byte order, type and machine, the program
/// interpreter, and the dependencies recorded in its dynamic section.
///
/// ``init(path:)`` reads only the ELF header, the program headers, `PT_INTERP`, `PT_DYNAMIC` and the strings the
/// dynamic section names, each with a bounded read; the file is never loaded whole.
public struct ELFFile: Hashable, Sendable {
    /// `EI_CLASS`: 32-bit or 64-bit objects.
    public enum Class: String, Hashable, Sendable {
        case elf32
        case elf64
        /// The number of bits: 32 or 64.
        public var bits: Int { self == .elf32 ? 32 : 64 }
    }

    /// `EI_DATA`: the byte order of multi-byte fields.
    public enum DataEncoding: String, Hashable, Sendable {
        case littleEndian
        case bigEndian
    }

    /// `e_type`: what kind of object the file is.
    public enum FileType: Hashable, Sendable {
        /// `ET_REL`: an object file for the linker.
        case relocatable
        /// `ET_EXEC`: an executable at fixed addresses.
        case executable
        /// `ET_DYN`: a shared library or a position-independent executable.
        case sharedObject
        /// `ET_CORE`: a core dump.
        case core
        /// Any other value.
        case other(UInt16)

        init(rawValue: UInt16) {
            switch rawValue {
            case 1: self = .relocatable
            case 2: self = .executable
            case 3: self = .sharedObject
            case 4: self = .core
            default: self = .other(rawValue)
            }
        }
    }

    /// `e_machine`: the instruction set architecture.
    public struct Machine: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// `EM_386`.
        public static let i386 = Machine(rawValue: 3)
        /// `EM_MIPS`.
        public static let mips = Machine(rawValue: 8)
        /// `EM_PPC`.
        public static let powerPC = Machine(rawValue: 20)
        /// `EM_PPC64`.
        public static let powerPC64 = Machine(rawValue: 21)
        /// `EM_S390` (31-bit s390 and 64-bit s390x).
        public static let s390 = Machine(rawValue: 22)
        /// `EM_ARM` (32-bit).
        public static let arm = Machine(rawValue: 40)
        /// `EM_X86_64`.
        public static let x86_64 = Machine(rawValue: 62)
        /// `EM_AARCH64`.
        public static let aarch64 = Machine(rawValue: 183)
        /// `EM_RISCV`.
        public static let riscv = Machine(rawValue: 243)
        /// `EM_LOONGARCH`.
        public static let loongArch = Machine(rawValue: 258)

        /// The name `readelf` and the kernel use (`x86_64`, `aarch64`…), or `machine N` for others.
        public var description: String {
            switch self {
            case .i386: "i386"
            case .mips: "mips"
            case .powerPC: "ppc"
            case .powerPC64: "ppc64"
            case .s390: "s390"
            case .arm: "arm"
            case .x86_64: "x86_64"
            case .aarch64: "aarch64"
            case .riscv: "riscv"
            case .loongArch: "loongarch"
            default: "machine \(rawValue)"
            }
        }
    }

    /// The path the file was read from.
    public internal(set) var path: String
    /// 32-bit or 64-bit.
    public internal(set) var elfClass: Class
    /// Little-endian or big-endian.
    public internal(set) var dataEncoding: DataEncoding
    /// `EI_OSABI` (0 for System V, 3 for GNU/Linux).
    public internal(set) var osABI: UInt8
    /// Executable, shared object…
    public internal(set) var fileType: FileType
    /// The instruction set.
    public internal(set) var machine: Machine
    /// `e_flags`, machine-specific (ARM float ABI, RISC-V float ABI…).
    public internal(set) var flags: UInt32
    /// The program interpreter from `PT_INTERP` (e.g. `/lib64/ld-linux-x86-64.so.2`); `nil` for static executables
    /// and for shared libraries.
    public internal(set) var interpreter: String?
    /// Whether the file has a `PT_DYNAMIC` segment.
    public internal(set) var hasDynamicSection: Bool
    /// The `DT_NEEDED` entries in order: the libraries the loader must load for this object.
    public internal(set) var neededLibraries: [String]
    /// The directories of `DT_RUNPATH`, split at `:`, unexpanded (may contain `$ORIGIN`).
    public internal(set) var runPath: [String]
    /// The directories of `DT_RPATH`, split at `:`, unexpanded. The loader ignores them when ``runPath`` is set.
    public internal(set) var rPath: [String]
    /// `DT_SONAME`, the name a shared library is known by (e.g. `libz.so.1`).
    public internal(set) var soname: String?
    /// `DT_FLAGS_1`, 0 when absent.
    public internal(set) var flags1: UInt64

    /// `DF_1_NODEFLIB`: the loader must not search `ld.so.cache`/`ld.so.conf` nor the default directories for this
    /// object's dependencies.
    public var ignoresDefaultLibraryDirectories: Bool { flags1 & 0x800 != 0 }

    /// Whether the file needs no dynamic loader at all: no `PT_INTERP` and no `DT_NEEDED`.
    public var isStatic: Bool { interpreter == nil && neededLibraries.isEmpty }

    /// Creates a value from already-parsed fields (for tests and callers that build descriptions by hand).
    public init(
        path: String, elfClass: Class, dataEncoding: DataEncoding, osABI: UInt8 = 0, fileType: FileType,
        machine: Machine, flags: UInt32 = 0, interpreter: String? = nil, hasDynamicSection: Bool = false,
        neededLibraries: [String] = [], runPath: [String] = [], rPath: [String] = [], soname: String? = nil,
        flags1: UInt64 = 0
    ) {
        self.path = path
        self.elfClass = elfClass
        self.dataEncoding = dataEncoding
        self.osABI = osABI
        self.fileType = fileType
        self.machine = machine
        self.flags = flags
        self.interpreter = interpreter
        self.hasDynamicSection = hasDynamicSection
        self.neededLibraries = neededLibraries
        self.runPath = runPath
        self.rPath = rPath
        self.soname = soname
        self.flags1 = flags1
    }
}

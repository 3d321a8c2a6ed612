extension ELFFile {
    /// The OCI platform of the file, or `nil` for a machine with no OCI name.
    ///
    /// Mapping: `EM_X86_64` → `amd64`; `EM_AARCH64` → `arm64` variant `v8`; `EM_386` → `386`; `EM_RISCV` (64-bit)
    /// → `riscv64`; `EM_PPC64` → `ppc64le` (little-endian) or `ppc64`; `EM_S390` (64-bit) → `s390x`;
    /// `EM_LOONGARCH` (64-bit) → `loong64`; `EM_MIPS` → `mips64le`, `mips64`, `mipsle` or `mips`.
    /// `EM_ARM` → `arm` with variant `v7` when `e_flags` has `EF_ARM_ABI_FLOAT_HARD` (0x400, the hard-float ABI
    /// of Debian's `armhf`, which requires ARMv7), else `v6` (soft-float `armel`; the ELF header does not record
    /// the exact architecture level, which lives in the `.ARM.attributes` section and is not read).
    public var platform: ELFPlatform? {
        let is64 = elfClass == .elf64
        let little = dataEncoding == .littleEndian
        switch machine {
        case .x86_64: return ELFPlatform(architecture: "amd64")
        case .aarch64: return ELFPlatform(architecture: "arm64", variant: "v8")
        case .arm: return ELFPlatform(architecture: "arm", variant: usesARMHardFloat ? "v7" : "v6")
        case .i386: return ELFPlatform(architecture: "386")
        case .riscv where is64: return ELFPlatform(architecture: "riscv64")
        case .powerPC64: return ELFPlatform(architecture: little ? "ppc64le" : "ppc64")
        case .s390 where is64: return ELFPlatform(architecture: "s390x")
        case .loongArch where is64: return ELFPlatform(architecture: "loong64")
        case .mips: return ELFPlatform(architecture: (is64 ? "mips64" : "mips") + (little ? "le" : ""))
        default: return nil
        }
    }

    /// Whether an ARM file uses the hard-float calling convention (`EF_ARM_ABI_FLOAT_HARD`).
    var usesARMHardFloat: Bool { machine == .arm && flags & 0x400 != 0 }

    /// The Debian multiarch triplet of the file's ABI (`x86_64-linux-gnu`, `aarch64-linux-gnu`,
    /// `arm-linux-gnueabihf`…), or `nil` when there is none.
    public var multiarchTriplet: String? {
        let is64 = elfClass == .elf64
        let little = dataEncoding == .littleEndian
        switch machine {
        case .x86_64: return is64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32"
        case .aarch64: return little ? "aarch64-linux-gnu" : "aarch64_be-linux-gnu"
        case .arm: return usesARMHardFloat ? "arm-linux-gnueabihf" : "arm-linux-gnueabi"
        case .i386: return "i386-linux-gnu"
        case .riscv: return is64 ? "riscv64-linux-gnu" : nil
        case .powerPC64: return little ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu"
        case .powerPC: return "powerpc-linux-gnu"
        case .s390: return is64 ? "s390x-linux-gnu" : nil
        case .loongArch: return is64 ? "loongarch64-linux-gnu" : nil
        case .mips: return is64 ? (little ? "mips64el-linux-gnuabi64" : "mips64-linux-gnuabi64") : (little ? "mipsel-linux-gnu" : "mips-linux-gnu")
        default: return nil
        }
    }

    /// The value the kernel usually passes as `AT_PLATFORM`, which the loader substitutes for `$PLATFORM`
    /// (`x86_64`, `aarch64`, `i686`, `v7l`…). It depends on the CPU for some machines (POWER, s390); this is the
    /// common value, and ``SharedLibraryResolver/Configuration`` can override it.
    public var loaderPlatformName: String {
        switch machine {
        case .x86_64: return "x86_64"
        case .aarch64: return "aarch64"
        case .arm: return usesARMHardFloat ? "v7l" : "v6l"
        case .i386: return "i686"
        case .riscv: return "riscv64"
        case .powerPC64: return dataEncoding == .littleEndian ? "power8" : "power7"
        case .s390: return "z13"
        case .loongArch: return "loongarch"
        case .mips: return "mips"
        default: return machine.description
        }
    }

    /// The directories glibc's loader searches last, when nothing else found a library (its "system search
    /// path"): the Debian multiarch directories, then `/lib64` and `/usr/lib64` for 64-bit files of machines whose
    /// other distributions use them (Fedora, SUSE…), then `/lib` and `/usr/lib`.
    public var defaultLibraryDirectories: [String] {
        var directories: [String] = []
        if let multiarchTriplet {
            directories += ["/lib/\(multiarchTriplet)", "/usr/lib/\(multiarchTriplet)"]
        }
        let usesLib64 = elfClass == .elf64 && [Machine.x86_64, .aarch64, .powerPC64, .s390, .loongArch, .mips].contains(machine)
        if usesLib64 { directories += ["/lib64", "/usr/lib64"] }
        directories += ["/lib", "/usr/lib"]
        return directories
    }

    /// What the loader substitutes for `$LIB`: Debian's `lib/<multiarch triplet>`, or `lib` when there is none.
    public var loaderLibraryDirectoryName: String {
        multiarchTriplet.map { "lib/\($0)" } ?? "lib"
    }
}

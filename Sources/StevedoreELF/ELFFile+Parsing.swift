import StevedoreCore
extension ELFFile {
    /// The most program headers accepted; real files have a dozen or two.
    static let maximumProgramHeaderCount = 4096
    /// The largest `PT_INTERP` accepted, in bytes.
    static let maximumInterpreterLength = 4096
    /// The largest `PT_DYNAMIC` accepted, in bytes (a real one has well under a hundred entries).
    static let maximumDynamicSectionSize = 1024 * 1024

    /// Reads the headers of the ELF file at `path`.
    ///
    /// - Throws: ``StevedoreError`` with code `unreadable` (the file cannot be opened or read, with the system's reason),
    ///   `notELF` (a script, a text file, another format: the message says which), `truncated`, `corrupt`,
    ///   `unsupportedClass` or `unsupportedEncoding`.
    public init(path: String) throws {
        try self.init(path: path, tally: nil)
    }

    /// Reads the headers of the ELF file at `path`, counting the bytes read in `tally`.
    init(path: String, tally: ELFFileReader.Tally?) throws {
        var reader = try ELFFileReader.open(path)
        reader.tally = tally
        defer { reader.close() }
        self = try Self.parse(reader)
    }

    private struct ProgramHeader {
        var type: UInt32
        var offset: UInt64
        var virtualAddress: UInt64
        var fileSize: UInt64
    }

    private static func parse(_ reader: ELFFileReader) throws -> ELFFile {
        let path = reader.path
        let start = try reader.available(at: 0, upTo: 512, what: "start")
        guard start.count >= 4, start[0] == 0x7F, start[1] == 0x45, start[2] == 0x4C, start[3] == 0x46 else {
            throw StevedoreError(.notELF, "'\(path)' is not an ELF executable (\(describeNonELF(start))); give the path of a compiled Linux program")
        }
        guard start.count >= 16 else {
            throw StevedoreError(.truncated, "'\(path)' is truncated: it has the ELF magic number but only \(reader.size) bytes")
        }
        let elfClass: Class
        switch start[4] {
        case 1: elfClass = .elf32
        case 2: elfClass = .elf64
        default:
            throw StevedoreError(.unsupportedClass, "'\(path)' has an unsupported ELF class \(start[4]) (expected 1 for 32-bit or 2 for 64-bit); the file is probably corrupt")
        }
        let encoding: DataEncoding
        switch start[5] {
        case 1: encoding = .littleEndian
        case 2: encoding = .bigEndian
        default:
            throw StevedoreError(.unsupportedEncoding, "'\(path)' has an unsupported ELF data encoding \(start[5]) (expected 1 for little-endian or 2 for big-endian); the file is probably corrupt")
        }
        let is64 = elfClass == .elf64
        let headerSize = is64 ? 64 : 52
        let header = ELFFieldDecoder(bytes: try reader.bytes(at: 0, count: headerSize, what: "ELF header"), encoding: encoding, elfClass: elfClass)
        let fileType = FileType(rawValue: header.u16(16))
        let machine = Machine(rawValue: header.u16(18))
        let programHeaderOffset = header.word(is64 ? 32 : 28)
        let sectionHeaderOffset = header.word(is64 ? 40 : 32)
        let flags = header.u32(is64 ? 48 : 36)
        let programHeaderEntrySize = Int(header.u16(is64 ? 54 : 42))
        var programHeaderCount = Int(header.u16(is64 ? 56 : 44))
        let sectionHeaderEntrySize = Int(header.u16(is64 ? 58 : 46))

        if programHeaderCount == 0xFFFF {
            // PN_XNUM: the real count is in sh_info of section header 0.
            guard sectionHeaderOffset != 0, sectionHeaderEntrySize >= (is64 ? 64 : 40) else {
                throw StevedoreError(.corrupt, "'\(path)' is corrupt: it has PN_XNUM program headers but no section header 0 to hold their count")
            }
            let section = ELFFieldDecoder(bytes: try reader.bytes(at: sectionHeaderOffset, count: sectionHeaderEntrySize, what: "section header 0"), encoding: encoding, elfClass: elfClass)
            programHeaderCount = Int(section.u32(is64 ? 44 : 28))
        }
        guard programHeaderCount <= maximumProgramHeaderCount else {
            throw StevedoreError(.corrupt, "'\(path)' is corrupt: it claims \(programHeaderCount) program headers")
        }
        var programHeaders: [ProgramHeader] = []
        if programHeaderCount > 0 {
            guard programHeaderEntrySize >= (is64 ? 56 : 32) else {
                throw StevedoreError(.corrupt, "'\(path)' is corrupt: its program header entries are \(programHeaderEntrySize) bytes, fewer than ELF\(elfClass.bits) requires")
            }
            let table = try reader.bytes(at: programHeaderOffset, count: programHeaderEntrySize * programHeaderCount, what: "program header table")
            for index in 0..<programHeaderCount {
                let entry = ELFFieldDecoder(bytes: Array(table[(index * programHeaderEntrySize)..<((index + 1) * programHeaderEntrySize)]), encoding: encoding, elfClass: elfClass)
                programHeaders.append(ProgramHeader(
                    type: entry.u32(0),
                    offset: entry.word(is64 ? 8 : 4),
                    virtualAddress: entry.word(is64 ? 16 : 8),
                    fileSize: entry.word(is64 ? 32 : 16)
                ))
            }
        }

        var interpreter: String?
        if let interp = programHeaders.first(where: { $0.type == 3 }) {
            guard interp.fileSize > 0, interp.fileSize <= UInt64(maximumInterpreterLength) else {
                throw StevedoreError(.corrupt, "'\(path)' is corrupt: its PT_INTERP segment is \(interp.fileSize) bytes")
            }
            let bytes = try reader.bytes(at: interp.offset, count: Int(interp.fileSize), what: "PT_INTERP segment")
            let text = bytes.prefix(while: { $0 != 0 })
            guard !text.isEmpty else {
                throw StevedoreError(.corrupt, "'\(path)' is corrupt: its PT_INTERP segment is empty")
            }
            interpreter = String(decoding: text, as: UTF8.self)
        }

        var result = ELFFile(
            path: path, elfClass: elfClass, dataEncoding: encoding, osABI: start[7], fileType: fileType,
            machine: machine, flags: flags, interpreter: interpreter
        )
        guard let dynamic = programHeaders.first(where: { $0.type == 2 }) else { return result }
        let loads = programHeaders.filter { $0.type == 1 }
        try result.readDynamicSection(reader, offset: dynamic.offset, size: dynamic.fileSize, loads: loads)
        return result
    }

    private mutating func readDynamicSection(_ reader: ELFFileReader, offset: UInt64, size: UInt64, loads: [ProgramHeader]) throws {
        let path = reader.path
        guard size <= UInt64(Self.maximumDynamicSectionSize) else {
            throw StevedoreError(.corrupt, "'\(path)' is corrupt: its PT_DYNAMIC segment is \(size) bytes")
        }
        let entrySize = elfClass == .elf64 ? 16 : 8
        let bytes = try reader.bytes(at: offset, count: Int(size), what: "PT_DYNAMIC segment")
        let table = ELFFieldDecoder(bytes: bytes, encoding: dataEncoding, elfClass: elfClass)
        var needed: [UInt64] = []
        var runPathOffset: UInt64?
        var rPathOffset: UInt64?
        var sonameOffset: UInt64?
        var stringTableAddress: UInt64?
        var stringTableSize: UInt64?
        var flags1: UInt64 = 0
        var position = 0
        while position + entrySize <= bytes.count {
            let tag = table.signedWord(position)
            let value = table.word(position + entrySize / 2)
            position += entrySize
            switch tag {
            case 0: position = bytes.count
            case 1: needed.append(value)
            case 5: stringTableAddress = value
            case 10: stringTableSize = value
            case 14: sonameOffset = value
            case 15: rPathOffset = value
            case 29: runPathOffset = value
            case 0x6FFF_FFFB: flags1 = value
            default: break
            }
        }
        hasDynamicSection = true
        self.flags1 = flags1
        let usesStrings = !needed.isEmpty || runPathOffset != nil || rPathOffset != nil || sonameOffset != nil
        guard usesStrings else { return }
        guard let stringTableAddress else {
            throw StevedoreError(.corrupt, "'\(path)' is corrupt: its dynamic section names libraries but has no DT_STRTAB")
        }
        // DT_STRTAB is a virtual address: find the PT_LOAD segment that maps it to learn its offset in the file.
        guard let load = loads.first(where: { stringTableAddress >= $0.virtualAddress && stringTableAddress - $0.virtualAddress < $0.fileSize }) else {
            throw StevedoreError(.corrupt, "'\(path)' is corrupt: its DT_STRTAB address 0x\(String(stringTableAddress, radix: 16)) lies in no PT_LOAD segment")
        }
        let tableOffset = load.offset &+ (stringTableAddress - load.virtualAddress)
        let tableLimit = stringTableSize ?? (load.fileSize - (stringTableAddress - load.virtualAddress))
        func string(_ index: UInt64, _ what: String) throws -> String {
            guard index < tableLimit else {
                throw StevedoreError(.corrupt, "'\(path)' is corrupt: its \(what) string offset \(index) is outside the \(tableLimit)-byte string table")
            }
            return try reader.cString(at: tableOffset &+ index, limit: tableLimit - index, what: what)
        }
        func directories(_ text: String) -> [String] {
            text.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        }
        neededLibraries = try needed.map { try string($0, "DT_NEEDED") }
        if let runPathOffset { runPath = directories(try string(runPathOffset, "DT_RUNPATH")) }
        if let rPathOffset { rPath = directories(try string(rPathOffset, "DT_RPATH")) }
        if let sonameOffset { soname = try string(sonameOffset, "DT_SONAME") }
    }

    /// Says what a file that is not ELF seems to be, from its first bytes.
    private static func describeNonELF(_ start: [UInt8]) -> String {
        if start.isEmpty { return "it is empty" }
        if start.starts(with: [0x23, 0x21]) {
            let line = start.dropFirst(2).prefix(while: { $0 != 0x0A && $0 != 0x0D })
            let interpreter = String(decoding: line, as: UTF8.self).trimmingSpaces
            return "it starts with '#!\(interpreter)' — a script?"
        }
        let magic = start.prefix(4).reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
        switch magic {
        case 0xFEED_FACE, 0xFEED_FACF, 0xCEFA_EDFE, 0xCFFA_EDFE, 0xCAFE_BABE:
            return "it is a Mach-O file — built for macOS rather than Linux?"
        default: break
        }
        if start.starts(with: [0x4D, 0x5A]) { return "it is a Windows PE file" }
        let isText = start.allSatisfy { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || ($0 >= 0x20 && $0 != 0x7F) }
        if isText { return "it is a text file" }
        let hex = start.prefix(4).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
        return "it starts with the bytes \(hex)"
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

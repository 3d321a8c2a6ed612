import Foundation
@testable import StevedoreELF
import StevedoreTestSupport
import Testing
import StevedoreCore

@Suite(.dedicatedThread) struct ELFFileTests {
    static let zlibProgram = """
        #include <stdio.h>
        #include <zlib.h>
        int main(void) { printf("zlib %s\\n", zlibVersion()); return 0; }
        """

    @Test(arguments: [
        (["-pie"], ELFFile.FileType.sharedObject),
        (["-no-pie"], ELFFile.FileType.executable),
    ])
    func readsADynamicExecutable(flags: [String], fileType: ELFFile.FileType) throws {
        let directory = try TemporaryDirectory("elf-file")
        let path = try CCompiler(directory: directory).compile(Self.zlibProgram, to: "prog", flags + ["-lz"])
        let file = try ELFFile(path: path)
        #expect(file.elfClass == .elf64)
        #expect(file.dataEncoding == .littleEndian)
        #expect(file.machine == .x86_64)
        #expect(file.fileType == fileType)
        #expect(file.platform == ELFPlatform(os: "linux", architecture: "amd64"))
        #expect(file.platform?.description == "linux/amd64")
        #expect(file.interpreter == "/lib64/ld-linux-x86-64.so.2")
        #expect(file.neededLibraries == ["libz.so.1", "libc.so.6"])
        #expect(file.runPath.isEmpty && file.rPath.isEmpty && file.soname == nil)
        #expect(!file.isStatic)
    }

    @Test(arguments: [["-static"], ["-static-pie"]])
    func readsAStaticExecutable(flags: [String]) throws {
        let directory = try TemporaryDirectory("elf-file")
        let path = try CCompiler(directory: directory).compile(Self.zlibProgram, to: "prog", flags + ["-lz"])
        let file = try ELFFile(path: path)
        #expect(file.interpreter == nil)
        #expect(file.neededLibraries.isEmpty)
        #expect(file.isStatic)
        #expect(file.platform?.architecture == "amd64")
    }

    @Test(arguments: [
        (["-Wl,--enable-new-dtags", "-Wl,-rpath,/opt/a:$ORIGIN/../lib"], ["/opt/a", "$ORIGIN/../lib"], [String](), false),
        (["-Wl,--disable-new-dtags", "-Wl,-rpath,/opt/b"], [String](), ["/opt/b"], false),
        (["-Wl,-z,nodefaultlib"], [String](), [String](), true),
    ])
    func readsTheDynamicSectionOfALibrary(flags: [String], runPath: [String], rPath: [String], noDefaultLibraries: Bool) throws {
        let directory = try TemporaryDirectory("elf-file")
        let path = try CCompiler(directory: directory).sharedLibrary("libthing.so.1.2", function: "thing", returning: 1, ["-Wl,-soname,libthing.so.1", "-Wl,--no-as-needed", "-lz"] + flags)
        let file = try ELFFile(path: path)
        #expect(file.fileType == .sharedObject)
        #expect(file.interpreter == nil)
        #expect(file.soname == "libthing.so.1")
        #expect(file.neededLibraries == ["libz.so.1", "libc.so.6"])
        #expect(file.runPath == runPath)
        #expect(file.rPath == rPath)
        #expect(file.ignoresDefaultLibraryDirectories == noDefaultLibraries)
    }

    /// The parser agrees with `readelf` on real files of the system.
    @Test(arguments: ["/usr/bin/ls", "/opt/swift/usr/bin/swift-frontend", "/opt/swift/usr/lib/swift/linux/libswiftCore.so", "/usr/bin/skopeo"])
    func agreesWithReadelf(path: String) throws {
        try #require(FileManager.default.fileExists(atPath: path))
        let file = try ELFFile(path: path)
        let dynamic = try ProcessRunner.run(["readelf", "-dW", path]).stdout
        func values(_ tag: String) -> [String] {
            dynamic.split(separator: "\n").filter { $0.contains("(\(tag))") }.compactMap { line in
                guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
                return String(line[line.index(after: open)..<close])
            }
        }
        #expect(file.neededLibraries == values("NEEDED"))
        #expect(file.soname == values("SONAME").first)
        #expect(file.runPath == (values("RUNPATH").first?.split(separator: ":").map(String.init) ?? []))
        #expect(file.rPath == (values("RPATH").first?.split(separator: ":").map(String.init) ?? []))
        let program = try ProcessRunner.run(["readelf", "-lW", path]).stdout
        let interpreter = program.split(separator: "\n").first { $0.contains("Requesting program interpreter") }.flatMap { line -> String? in
            guard let colon = line.range(of: ": "), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[colon.upperBound..<close])
        }
        #expect(file.interpreter == interpreter)
    }

    /// A hand-made 32-bit big-endian MIPS executable: the class, byte order, PT_INTERP, and a dynamic section whose
    /// string table is found through a PT_LOAD segment.
    @Test func readsA32BitBigEndianFile() throws {
        let directory = try TemporaryDirectory("elf-file")
        let path = directory.appending("mips")
        try Data(Self.bigEndianELF32()).write(to: URL(fileURLWithPath: path))
        let file = try ELFFile(path: path)
        #expect(file.elfClass == .elf32)
        #expect(file.dataEncoding == .bigEndian)
        #expect(file.machine == .mips)
        #expect(file.fileType == .executable)
        #expect(file.platform?.description == "linux/mips")
        #expect(file.interpreter == "/lib/ld.so.1")
        #expect(file.neededLibraries == ["libc.so.6"])
        #expect(file.soname == "libbe.so")
        #expect(file.runPath == ["/a", "/b"])
    }

    @Test(arguments: [
        (ELFFile.Machine.x86_64, ELFFile.Class.elf64, ELFFile.DataEncoding.littleEndian, UInt32(0), "linux/amd64"),
        (.aarch64, .elf64, .littleEndian, 0, "linux/arm64/v8"),
        (.arm, .elf32, .littleEndian, 0x0500_0400, "linux/arm/v7"),
        (.arm, .elf32, .littleEndian, 0x0500_0200, "linux/arm/v6"),
        (.i386, .elf32, .littleEndian, 0, "linux/386"),
        (.riscv, .elf64, .littleEndian, 0x5, "linux/riscv64"),
        (.powerPC64, .elf64, .littleEndian, 2, "linux/ppc64le"),
        (.s390, .elf64, .bigEndian, 0, "linux/s390x"),
    ])
    func mapsMachinesToOCIPlatforms(machine: ELFFile.Machine, elfClass: ELFFile.Class, encoding: ELFFile.DataEncoding, flags: UInt32, expected: String) {
        let file = ELFFile(path: "x", elfClass: elfClass, dataEncoding: encoding, fileType: .executable, machine: machine, flags: flags)
        #expect(file.platform?.description == expected)
    }

    @Test func unknownMachinesHaveNoPlatform() {
        let file = ELFFile(path: "x", elfClass: .elf64, dataEncoding: .littleEndian, fileType: .executable, machine: ELFFile.Machine(rawValue: 0x1234))
        #expect(file.platform == nil)
        #expect(file.machine.description == "machine 4660")
    }

    @Test(arguments: [
        ("#!/bin/sh\necho hi\n", "is not an ELF executable (it starts with '#!/bin/sh' — a script?)"),
        ("hello, world\n", "is not an ELF executable (it is a text file)"),
        ("", "is not an ELF executable (it is empty)"),
    ])
    func rejectsFilesThatAreNotELF(contents: String, message: String) throws {
        let directory = try TemporaryDirectory("elf-file")
        let path = try directory.write("thing", contents, mode: 0o755)
        let error = try #require(throws: StevedoreError.self) { try ELFFile(path: path) }
        #expect(error.code == .notELF)
        #expect(error.message == "'\(path)' \(message); give the path of a compiled Linux program")
    }

    @Test func rejectsAMachOFile() throws {
        let directory = try TemporaryDirectory("elf-file")
        let path = directory.appending("macho")
        try Data([0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1] + [UInt8](repeating: 0, count: 24)).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: StevedoreError.self) { try ELFFile(path: path) }
        #expect(error.code == .notELF)
        #expect(error.message.contains("Mach-O file — built for macOS rather than Linux?"))
    }

    @Test(arguments: [
        (10, "it has the ELF magic number but only 10 bytes"),
        (40, "its ELF header lies at bytes 0..<64 but the file has only 40 bytes"),
        (0x300, "its program header table lies at bytes 64..<"),
        (0x2000, "its PT_DYNAMIC segment lies at bytes"),
    ])
    func rejectsATruncatedFile(length: Int, fragment: String) throws {
        let directory = try TemporaryDirectory("elf-file")
        let full = try CCompiler(directory: directory).compile(Self.zlibProgram, to: "prog", ["-lz"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: full)).prefix(length)
        let path = directory.appending("truncated")
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: StevedoreError.self) { try ELFFile(path: path) }
        #expect(error.code == .truncated)
        #expect(error.message.hasPrefix("'\(path)' is truncated: "))
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    @Test(arguments: [
        (4, UInt8(3), StevedoreError.Code.unsupportedClass, "has an unsupported ELF class 3"),
        (5, UInt8(7), StevedoreError.Code.unsupportedEncoding, "has an unsupported ELF data encoding 7"),
    ])
    func rejectsUnsupportedIdentification(index: Int, value: UInt8, code: StevedoreError.Code, fragment: String) throws {
        let directory = try TemporaryDirectory("elf-file")
        let full = try CCompiler(directory: directory).compile(Self.zlibProgram, to: "prog", ["-lz"])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: full))
        bytes[index] = value
        let path = directory.appending("patched")
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: StevedoreError.self) { try ELFFile(path: path) }
        #expect(error.code == code)
        #expect(error.message.contains(fragment))
    }

    @Test func rejectsAStringTableOutsideTheLoadSegments() throws {
        var bytes = Self.bigEndianELF32()
        // Point DT_STRTAB (the fifth dynamic entry's value, at 164 + 4 * 8 + 4) far away.
        bytes.replaceSubrange((164 + 36)..<(164 + 40), with: [0x7F, 0, 0, 0])
        let directory = try TemporaryDirectory("elf-file")
        let path = directory.appending("corrupt")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: StevedoreError.self) { try ELFFile(path: path) }
        #expect(error.code == .corrupt)
        #expect(error.message.contains("DT_STRTAB address 0x7f000000 lies in no PT_LOAD segment"))
    }

    @Test func reportsUnreadablePaths() throws {
        let directory = try TemporaryDirectory("elf-file")
        let missing = directory.appending("missing")
        let error = try #require(throws: StevedoreError.self) { try ELFFile(path: missing) }
        #expect(error.code == .unreadable)
        #expect(error.message == "cannot open '\(missing)': No such file or directory")
        let directoryError = try #require(throws: StevedoreError.self) { try ELFFile(path: directory.path) }
        #expect(directoryError.code == .unreadable)
        #expect(directoryError.message.contains("is a directory"))
    }

    /// Only the headers are read: of an 8 GiB (sparse) file that starts with a small program, the parser reads
    /// no more bytes than the program's headers, counted at the reader.
    @Test func readsOnlyTheHeadersOfAHugeFile() throws {
        let directory = try TemporaryDirectory("elf-file")
        let program = try CCompiler(directory: directory).compile(Self.zlibProgram, to: "prog", ["-lz"])
        let huge = directory.appending("huge")
        try FileManager.default.copyItem(atPath: program, toPath: huge)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: huge))
        try handle.truncate(atOffset: 8 << 30)
        try handle.close()
        let small = ELFFileReader.Tally()
        _ = try ELFFile(path: program, tally: small)
        let tally = ELFFileReader.Tally()
        let file = try ELFFile(path: huge, tally: tally)
        #expect(file.neededLibraries == ["libz.so.1", "libc.so.6"])
        // The same reads as for the small program it starts with: nothing depends on the file's size.
        #expect(tally.bytes == small.bytes)
        #expect(tally.bytes > 64 && tally.bytes < 16 * 1024, "read \(tally.bytes) bytes")
    }

    /// Damaged headers produce an ``StevedoreError`` or a value, never a crash: bytes of the headers, program headers and
    /// dynamic section of a real program are overwritten with pseudo-random values, many times over. The damage must
    /// matter: both outcomes occur, damage to the dynamic section (located from the program headers, not assumed)
    /// changes what is read or is rejected, and every rejection names the file with a parse error's code.
    @Test func survivesDamagedHeaders() throws {
        let directory = try TemporaryDirectory("elf-file")
        let program = try CCompiler(directory: directory).compile(Self.zlibProgram, to: "prog", ["-lz", "-Wl,-rpath,/opt/x"])
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: program)))
        let undamaged = try ELFFile(path: program)
        let dynamic = try #require(Self.dynamicSegment(of: original))
        #expect(dynamic.count >= 16 * 10, "PT_DYNAMIC of \(dynamic.count) bytes")
        let path = directory.appending("damaged")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let parseCodes: Set<StevedoreError.Code> = [.notELF, .truncated, .corrupt, .unsupportedClass, .unsupportedEncoding]
        var parsed = 0
        var rejected = 0
        var dynamicDamageNoticed = 0
        var unexpected: [String] = []
        for _ in 0..<400 {
            var bytes = original
            // Either the ELF header and program headers (first 1 KiB) or the dynamic section.
            let inDynamic = next() % 2 == 1
            for _ in 0..<(1 + Int(next() % 4)) {
                let index = inDynamic ? dynamic.lowerBound + Int(next() % UInt64(dynamic.count)) : Int(next() % 1024)
                bytes[index] = UInt8(truncatingIfNeeded: next())
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let file = try ELFFile(path: path)
                parsed += 1
                if inDynamic, file.neededLibraries != undamaged.neededLibraries || file.runPath != undamaged.runPath || file.soname != undamaged.soname {
                    dynamicDamageNoticed += 1
                }
            } catch let error as StevedoreError {
                rejected += 1
                if inDynamic { dynamicDamageNoticed += 1 }
                if !parseCodes.contains(error.code) || !error.message.contains("'\(path)'") { unexpected.append("\(error.code): \(error.message)") }
            }
        }
        #expect(parsed > 0, "no damaged file parsed")
        #expect(rejected > 0, "no damaged file was rejected")
        #expect(dynamicDamageNoticed > 0, "damage to the dynamic section at \(dynamic) never changed the result")
        #expect(unexpected == [])
    }

    /// The file offsets of the PT_DYNAMIC segment of a 64-bit little-endian ELF file, read from its program headers.
    static func dynamicSegment(of bytes: [UInt8]) -> Range<Int>? {
        func integer(at offset: Int, size: Int) -> Int {
            (0..<size).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        guard bytes.count >= 64, bytes[4] == 2, bytes[5] == 1 else { return nil }
        let tableOffset = integer(at: 32, size: 8)
        let entrySize = integer(at: 54, size: 2)
        for index in 0..<integer(at: 56, size: 2) {
            let entry = tableOffset + index * entrySize
            guard entry + 56 <= bytes.count else { return nil }
            if integer(at: entry, size: 4) == 2 {
                let offset = integer(at: entry + 8, size: 8)
                let size = integer(at: entry + 32, size: 8)
                return offset + size <= bytes.count ? offset..<(offset + size) : nil
            }
        }
        return nil
    }

    /// A 32-bit big-endian MIPS executable: header (52 bytes), three program headers (PT_LOAD, PT_INTERP,
    /// PT_DYNAMIC; 96 bytes), the interpreter string at 148, the dynamic section at 164, the string table at 212.
    static func bigEndianELF32() -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        func u32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        let interpreter = Array("/lib/ld.so.1".utf8) + [0]
        let strings = [0] + Array("libc.so.6".utf8) + [0] + Array("libbe.so".utf8) + [0] + Array("/a:/b".utf8) + [0]
        let loadAddress = 0x1000
        let stringTableOffset = 212
        let total = stringTableOffset + strings.count
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 1, 2, 1, 0] + [UInt8](repeating: 0, count: 8)
        bytes += u16(2) + u16(8) + u32(1) + u32(0) + u32(52) + u32(0) + u32(0) + u16(52) + u16(32) + u16(3) + u16(0) + u16(0) + u16(0)
        bytes += u32(1) + u32(0) + u32(loadAddress) + u32(loadAddress) + u32(total) + u32(total) + u32(5) + u32(0x1000)
        bytes += u32(3) + u32(148) + u32(loadAddress + 148) + u32(0) + u32(interpreter.count) + u32(interpreter.count) + u32(4) + u32(1)
        bytes += u32(2) + u32(164) + u32(loadAddress + 164) + u32(0) + u32(48) + u32(48) + u32(6) + u32(4)
        bytes += interpreter + [0, 0, 0]
        bytes += u32(1) + u32(1) + u32(14) + u32(11) + u32(29) + u32(20) + u32(10) + u32(strings.count) + u32(5) + u32(loadAddress + stringTableOffset) + u32(0) + u32(0)
        bytes += strings
        return bytes
    }
}

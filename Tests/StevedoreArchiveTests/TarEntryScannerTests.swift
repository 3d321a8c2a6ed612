import StevedoreTestSupport
import Testing
@testable import StevedoreArchive

/// Crafted tar streams: sizes no layer can have are corruption, not a crash (issue 9, item 7); entries worth a
/// reviewer's look are warnings (item 19).
@Suite(.dedicatedThread) struct TarEntryScannerTests {
    static func scan(_ tar: CraftedTar) throws -> LayerReport {
        let scanner = LayerScanner(compression: .none)
        try tar.bytes.withUnsafeBytes { try scanner.consume($0) }
        return try scanner.finish()
    }

    static let hugeSizes: [Int64] = [Int64.max, Int64.max - 1, Int64.max - 256, Int64.max - 510]

    @Test(arguments: hugeSizes)
    func paxSizeNearInt64MaxIsCorrupt(size: Int64) throws {
        var tar = CraftedTar()
        tar.pax([("size", String(size))])
        tar.entry("big", data: Array("x".utf8))
        tar.end()
        let report = try Self.scan(tar)
        #expect(report.problems.map(\.kind) == [.corruptTar])
        #expect(report.problems.first?.message.contains("more than any tar can hold") == true)
    }

    @Test(arguments: hugeSizes)
    func base256SizeNearInt64MaxIsCorrupt(size: Int64) throws {
        var tar = CraftedTar()
        tar.entry("big", data: Array("x".utf8), size: size, base256: true)
        tar.end()
        let report = try Self.scan(tar)
        #expect(report.problems.map(\.kind) == [.corruptTar])
    }

    @Test(arguments: hugeSizes)
    func globalHeaderSizeNearInt64MaxIsCorrupt(size: Int64) throws {
        var tar = CraftedTar()
        tar.entry("PaxHeaders/g", typeFlag: "g", size: size, base256: true)
        tar.entry("a", data: Array("a".utf8))
        tar.end()
        let report = try Self.scan(tar)
        #expect(report.problems.map(\.kind) == [.corruptTar])
    }

    /// The largest size that can be padded is accepted as a size; the stream then ends inside the entry.
    @Test func largestPaddableSizeIsATruncatedEntry() throws {
        var tar = CraftedTar()
        tar.entry("big", data: Array("x".utf8), size: TarEntryScanner.sizeLimit, base256: true)
        tar.end()
        let report = try Self.scan(tar)
        #expect(report.entries == ["big"])
        #expect(report.problems.map(\.kind) == [.corruptTar])
        #expect(report.problems.first?.message.contains("truncated") == true)
    }

    @Test func negativePaxSizeIsCorrupt() throws {
        var tar = CraftedTar()
        tar.pax([("size", "-1")])
        tar.entry("a")
        tar.end()
        #expect(try Self.scan(tar).problems.map(\.kind) == [.corruptTar])
    }

    @Test func symlinkThenWriteIsAWarning() throws {
        var tar = CraftedTar()
        tar.entry("etc", typeFlag: "2", mode: 0o777, linkName: "/host/etc")
        tar.entry("./etc/passwd", data: Array("root::0:0::/:/bin/sh\n".utf8))
        tar.entry("etcetera/file", data: Array("x".utf8))
        tar.end()
        let report = try Self.scan(tar)
        #expect(report.problems.isEmpty)
        #expect(report.warnings.map(\.kind) == [.pathThroughSymlink])
        #expect(report.warnings.first?.path == "./etc/passwd")
        #expect(report.warnings.first?.message.contains("'etc'") == true)
    }

    @Test func devicesSetuidAndForeignHardLinksAreWarnings() throws {
        var tar = CraftedTar()
        tar.entry("dev/sda", typeFlag: "4", mode: 0o660)
        tar.entry("dev/null", typeFlag: "3", mode: 0o666)
        tar.entry("usr/bin/su", mode: 0o4755, data: Array("su".utf8))
        tar.entry("usr/bin/wall", mode: 0o2755, data: Array("wall".utf8))
        tar.entry("var/mail", typeFlag: "5", mode: 0o2775)
        tar.entry("usr/bin/su2", typeFlag: "1", linkName: "usr/bin/su")
        tar.entry("usr/bin/shadow", typeFlag: "1", linkName: "etc/shadow")
        tar.end()
        let report = try Self.scan(tar)
        #expect(report.problems.isEmpty)
        #expect(report.warnings.map(\.kind) == [.deviceNode, .deviceNode, .setuidOrSetgid, .setuidOrSetgid, .hardLinkOutsideLayer])
        #expect(report.warnings.map(\.path) == ["dev/sda", "dev/null", "usr/bin/su", "usr/bin/wall", "usr/bin/shadow"])
        #expect(report.warnings[0].message.contains("block device"))
        #expect(report.warnings[2].message.contains("setuid bit"))
        #expect(report.warnings[3].message.contains("setgid bit"))
        #expect(report.isValid)
    }
}

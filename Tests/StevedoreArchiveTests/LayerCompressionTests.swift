import StevedoreCore
import Testing
@testable import StevedoreArchive

@Suite struct LayerCompressionTests {
    @Test(arguments: [
        ("gzip", LayerCompression.gzip(level: 6)), ("gzip:1", .gzip(level: 1)), ("GZIP:9", .gzip(level: 9)),
        ("zstd", .zstd(level: 3)), ("zstd:1", .zstd(level: 1)), ("zstd:19", .zstd(level: 19)),
    ])
    func parses(text: String, expected: LayerCompression) throws {
        let compression = try LayerCompression(parsing: text)
        #expect(compression == expected)
        #expect(try LayerCompression(parsing: compression.description) == compression)
    }

    @Test(arguments: [
        ("zstd:0", "zstd level 0 is out of range; use 1 (fastest) to 19 (smallest)"),
        ("zstd:20", "zstd level 20 is out of range"),
        ("zstd:fast", "'fast' in 'zstd:fast' is not a compression level"),
        ("gzip:10", "gzip level 10 is out of range"),
        ("lz4", "use gzip, gzip:LEVEL, zstd or zstd:LEVEL"),
    ])
    func refuses(text: String, message: String) {
        let error = #expect(throws: StevedoreError.self) { try LayerCompression(parsing: text) }
        #expect(error?.code == .invalidOptions)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func mediaTypesAndLevels() {
        #expect(LayerCompression.zstd(level: 3).mediaType == .ociLayerZstd)
        #expect(LayerCompression.gzip(level: 6).mediaType == .ociLayerGzip)
        #expect(LayerCompression.zstd(level: 7).level == 7)
        #expect(LayerCompression.default == .gzip(level: 6))
    }
}

import Foundation
import StevedoreArchive
import StevedoreCore
import Testing

@Suite struct LayerCacheKeyTests {
    static func key(_ build: (inout FileTree) throws -> Void, options: LayerOptions = LayerOptions(), content: String = "abc") throws -> LayerCacheKey {
        var tree = FileTree()
        try build(&tree)
        let bytes = Array(content.utf8)
        return try LayerCacheKey(tree: tree, options: options, hostFiles: ["/host/file": .init(size: Int64(bytes.count), digest: Digest.sha256(of: bytes))])
    }

    static func base(_ tree: inout FileTree) throws {
        try tree.addFile("app/file", hostPath: "/host/file", mode: 0o644)
        try tree.addSymbolicLink("app/link", target: "file")
    }

    /// Every input that changes the bytes changes the key; the thread count does not.
    @Test func everyInputOfTheBytesIsInTheKey() throws {
        let reference = try Self.key(Self.base)
        #expect(try Self.key(Self.base) == reference)
        #expect(try Self.key(Self.base, options: LayerOptions(threads: 7)) == reference)
        let variants: [LayerCacheKey] = [
            try Self.key(Self.base, content: "abd"),
            try Self.key(Self.base, options: LayerOptions(modificationTime: 1)),
            try Self.key(Self.base, options: LayerOptions(compression: .gzip(level: 9))),
            try Self.key(Self.base, options: LayerOptions(blockSize: 256 << 10)),
            try Self.key { try $0.addFile("app/file", hostPath: "/host/file", mode: 0o755); try $0.addSymbolicLink("app/link", target: "file") },
            try Self.key { try $0.addFile("app/file", hostPath: "/host/file", owner: FileOwner(uid: 1)); try $0.addSymbolicLink("app/link", target: "file") },
            try Self.key { try $0.addFile("app/file", hostPath: "/host/file", owner: FileOwner(userName: "x")); try $0.addSymbolicLink("app/link", target: "file") },
            try Self.key { try $0.addFile("app/file2", hostPath: "/host/file"); try $0.addSymbolicLink("app/link", target: "file") },
            try Self.key { try $0.addFile("app/file", hostPath: "/host/file"); try $0.addSymbolicLink("app/link", target: "file2") },
            try Self.key { try $0.addFile("app/file", hostPath: "/host/file"); try $0.addHardLink("app/link", to: "app/file") },
            try Self.key { try Self.base(&$0); try $0.addDirectory("app/empty") },
        ]
        #expect(Set(variants).count == variants.count)
        #expect(!variants.contains(reference))
    }

    @Test func aHostFileWithoutADigestIsAnError() throws {
        var tree = FileTree()
        try tree.addFile("a", hostPath: "/host/unhashed")
        let error = #expect(throws: StevedoreError.self) { try LayerCacheKey(tree: tree, options: LayerOptions(), hostFiles: [:]) }
        #expect(error?.message.contains("/host/unhashed") == true)
    }
}

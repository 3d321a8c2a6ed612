import StevedoreArchive
import StevedoreTestSupport
import Testing
import StevedoreCore

@Suite(.dedicatedThread) struct FileTreeTests {
    /// Removed when the test ends: Swift Testing makes a suite value per test.
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("stevedore-archive-test") }

    @Test(arguments: [
        ("usr/bin/app", "usr/bin/app"),
        ("/usr/bin/app", "usr/bin/app"),
        ("./etc//passwd/", "etc/passwd"),
        ("a/./b", "a/b"),
        ("héllo/日本", "héllo/日本"),
    ])
    func pathsAreNormalised(input: String, expected: String) throws {
        let entry = try FileTreeEntry(path: input, kind: .directory, mode: 0o755)
        #expect(entry.path == expected)
    }

    @Test(arguments: ["", "/", "./", "a/../b", "..", "../etc", "a\0b"])
    func unusablePathsAreRejected(path: String) {
        let error = #expect(throws: StevedoreError.self) {
            try FileTreeEntry(path: path, kind: .directory, mode: 0o755)
        }
        #expect(error?.code == .invalidPath)
    }

    @Test func modeBeyondPermissionBitsIsRejected() {
        #expect(throws: StevedoreError.self) { try FileTreeEntry(path: "a", kind: .directory, mode: 0o40755) }
    }

    @Test func parentsAreExplicitAndEntriesSortedByBytes() throws {
        var tree = FileTree()
        try tree.addFile("a/b/c.txt", text: "c")
        try tree.addFile("a.txt", text: "a")
        try tree.addFile("a/B", text: "B")
        try tree.addDirectory("Z", mode: 0o700)
        #expect(tree.entries.map(\.path) == ["Z", "a", "a.txt", "a/B", "a/b", "a/b/c.txt"])
        #expect(tree.entry(at: "a/b")?.mode == 0o755)
        #expect(tree.entry(at: "a/b")?.isDirectory == true)
        #expect(tree.entry(at: "Z")?.mode == 0o700)
    }

    @Test func laterAddWins() throws {
        var tree = FileTree()
        try tree.addFile("etc/passwd", text: "first")
        try tree.addFile("etc/passwd", text: "second", mode: 0o600)
        try tree.addDirectory("etc", mode: 0o750)
        #expect(tree.count == 2)
        #expect(tree.entry(at: "etc/passwd")?.kind == .regularFile(.bytes(Array("second".utf8))))
        #expect(tree.entry(at: "etc/passwd")?.mode == 0o600)
        #expect(tree.entry(at: "etc")?.mode == 0o750)
    }

    @Test func conflictsAreRejected() throws {
        var tree = FileTree()
        try tree.addFile("a", text: "file")
        let below = #expect(throws: StevedoreError.self) { try tree.addFile("a/b", text: "x") }
        #expect(below?.code == .pathConflict)
        try tree.addFile("d/child", text: "x")
        let over = #expect(throws: StevedoreError.self) { try tree.addSymbolicLink("d", target: "elsewhere") }
        #expect(over?.code == .pathConflict)
    }

    @Test func hardLinksMustNameAnEarlierRegularFile() async throws {
        for (setup, expectedCode) in [
            ({ (tree: inout FileTree) in try tree.addHardLink("b", to: "missing") }, StevedoreError.Code.invalidHardLink),
            ({ (tree: inout FileTree) in try tree.addDirectory("a"); try tree.addHardLink("b", to: "a") }, .invalidHardLink),
            ({ (tree: inout FileTree) in try tree.addFile("z", text: "z"); try tree.addHardLink("b", to: "z") }, .invalidHardLink),
        ] {
            var tree = FileTree()
            try setup(&tree)
            let store = try FileBlobSink(directory: scratch.appending("blobs"))
            let error = await #expect(throws: StevedoreError.self) { try await LayerWriter().write(tree, to: store) }
            #expect(error?.code == expectedCode)
        }
    }
}

import Foundation
import StevedoreArchive
import StevedoreTestSupport
import Testing
import StevedoreCore

@Suite(.dedicatedThread) struct FileTreeHostDirectoryTests {
    @Test func keepsOnlyWhatMakesLayersReproducible() throws {
        let host = try TemporaryDirectory("stevedore-walk")
        try LayerFixtures.makeHostDirectory(at: host.appending("src"), fileMode: 0o640, directoryMode: 0o700)
        var tree = FileTree()
        try tree.addDirectoryContents(hostPath: host.appending("src"), at: "opt")
        #expect(tree.entry(at: "opt")?.mode == 0o755)
        #expect(tree.entry(at: "opt/lib")?.mode == 0o755)
        #expect(tree.entry(at: "opt/bin/tool")?.mode == 0o755)
        #expect(tree.entry(at: "opt/lib/sub/notes.txt")?.mode == 0o644)
        #expect(tree.entry(at: "opt/empty-dir")?.isDirectory == true)
        #expect(tree.entry(at: "opt/lib/sub/data-link")?.kind == .symbolicLink(target: "../data.bin"))
        #expect(tree.entry(at: "opt/lib-link")?.kind == .symbolicLink(target: "lib"))
        // Three names for one inode: the first in byte order keeps the bytes.
        #expect(tree.entry(at: "opt/bin/a-hard")?.kind == .regularFile(.hostFile(path: host.appending("src/bin/a-hard"))))
        #expect(tree.entry(at: "opt/lib/data.bin")?.kind == .hardLink(to: "opt/bin/a-hard"))
        #expect(tree.entry(at: "opt/lib/z-hard")?.kind == .hardLink(to: "opt/bin/a-hard"))
        #expect(tree.entries.allSatisfy { $0.owner == .root })
    }

    @Test(arguments: ["/etc/passwd", "../../outside", "../sub/../../outside"])
    func symlinksLeavingTheSourceAreRejected(target: String) throws {
        let host = try TemporaryDirectory("stevedore-escape")
        try host.write("src/sub/file", "x")
        symlink(target, host.appending("src/sub/link"))
        var tree = FileTree()
        let error = #expect(throws: StevedoreError.self) { try tree.addDirectoryContents(hostPath: host.appending("src"), at: "") }
        #expect(error?.code == .symlinkOutsideSource)
        #expect(error?.message.contains(host.appending("src/sub/link")) == true)
    }

    @Test func fifosAreRejected() throws {
        let host = try TemporaryDirectory("stevedore-fifo")
        try host.write("src/file", "x")
        mkfifo(host.appending("src/pipe"), 0o644)
        var tree = FileTree()
        let error = #expect(throws: StevedoreError.self) { try tree.addDirectoryContents(hostPath: host.appending("src"), at: "") }
        #expect(error?.code == .unsupportedFileType)
        #expect(error?.message.contains("pipe") == true)
    }

    @Test func missingDirectoryIsAnError() {
        var tree = FileTree()
        let error = #expect(throws: StevedoreError.self) { try tree.addDirectoryContents(hostPath: "/nonexistent/stevedore", at: "") }
        #expect(error?.code == .unreadableFile)
    }
}

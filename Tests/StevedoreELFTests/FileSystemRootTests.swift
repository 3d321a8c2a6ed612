import Foundation
@testable import StevedoreELF
import StevedoreTestSupport
import Testing
import StevedoreCore

@Suite(.dedicatedThread) struct FileSystemRootTests {
    /// A root with a merged-/usr layout: `/lib` → `usr/lib`, an absolute link `/usr/lib/current` → `/opt/v2`,
    /// and a loop.
    func makeRoot() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory("elf-fsroot")
        try root.write("usr/lib/x86_64-linux-gnu/libz.so.1.2.13", "z")
        try root.write("opt/v2/libv.so", "v")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: root.appending("lib"), withDestinationPath: "usr/lib")
        try manager.createSymbolicLink(atPath: root.appending("usr/lib/x86_64-linux-gnu/libz.so.1"), withDestinationPath: "libz.so.1.2.13")
        try manager.createSymbolicLink(atPath: root.appending("usr/lib/current"), withDestinationPath: "/opt/v2")
        try manager.createSymbolicLink(atPath: root.appending("loop-a"), withDestinationPath: "loop-b")
        try manager.createSymbolicLink(atPath: root.appending("loop-b"), withDestinationPath: "/loop-a")
        return root
    }

    /// `..` after a link is taken from the link's target, as the kernel does: `/lib/current/..` is `/opt`.
    @Test(arguments: [
        ("/lib/x86_64-linux-gnu/libz.so.1", true, "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"),
        ("/lib/x86_64-linux-gnu/libz.so.1", false, "/usr/lib/x86_64-linux-gnu/libz.so.1"),
        ("/lib/current/libv.so", true, "/opt/v2/libv.so"),
        ("/lib/current/../v2/libv.so", true, "/opt/v2/libv.so"),
        ("/lib/current/../x86_64-linux-gnu", true, nil),
        ("/lib/./x86_64-linux-gnu/", true, "/usr/lib/x86_64-linux-gnu"),
    ])
    func resolvesLinksInsideTheRoot(path: String, followingLast: Bool, expected: String?) throws {
        let root = try makeRoot()
        let view = FileSystemRoot(hostDirectory: root.path)
        #expect(try view.resolve(path, followingLast: followingLast)?.path == expected)
    }

    @Test func recordsTheLinksPassed() throws {
        let root = try makeRoot()
        let resolution = try #require(try FileSystemRoot(hostDirectory: root.path).resolve("/lib/current"))
        #expect(resolution.links == [
            FileSystemRoot.Link(path: "/lib", target: "usr/lib"),
            FileSystemRoot.Link(path: "/usr/lib/current", target: "/opt/v2"),
        ])
    }

    @Test func reportsLoops() throws {
        let root = try makeRoot()
        let error = try #require(throws: StevedoreError.self) { try FileSystemRoot(hostDirectory: root.path).resolve("/loop-a/x") }
        #expect(error.code == .symlinkLoop)
        #expect(error.message.contains("more than 40 symbolic links"))
    }

    @Test func missingPathsResolveToNothing() throws {
        let root = try makeRoot()
        let view = FileSystemRoot(hostDirectory: root.path)
        #expect(try view.resolve("/usr/lib/missing/libz.so.1") == nil)
        #expect(try view.resolve("/opt/v2/libv.so/not-a-directory") == nil)
    }

    @Test(arguments: [("/a/b/../c/./d", "/a/c/d"), ("/../x", "/x"), ("/", "/"), ("a//b/", "/a/b")])
    func normalizesLexically(path: String, expected: String) {
        #expect(FileSystemRoot.lexicallyNormalized(path) == expected)
    }
}

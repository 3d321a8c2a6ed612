import Foundation
import StevedoreArchive
import StevedoreCore
import StevedoreTestSupport

/// Trees, host directories and written layers shared by the archive tests.
enum LayerFixtures {
    /// Deterministic pseudo-random bytes (xorshift), incompressible enough to span many gzip blocks.
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        var result = [UInt8](repeating: 0, count: count)
        result.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for index in 0..<words.count {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                words[index] = state
            }
        }
        return result
    }

    /// A long name component of `count` characters.
    static func name(_ character: Character, _ count: Int) -> String { String(repeating: character, count: count) }

    /// A tree made only of in-memory content, so its layer digest is the same everywhere.
    static func inlineTree() throws -> FileTree {
        var tree = FileTree()
        try tree.addDirectory("etc")
        try tree.addFile("etc/passwd", text: "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n")
        try tree.addFile("etc/group", text: "root:x:0:\napp:x:1000:\n")
        try tree.addDirectory("tmp", mode: 0o1777)
        try tree.addDirectory("home/app", owner: FileOwner(uid: 1000, gid: 1000, userName: "app", groupName: "app"))
        try tree.addFile("usr/bin/app", contents: bytes(count: 300_000, seed: 7), mode: 0o755)
        try tree.addFile("usr/share/empty", contents: [])
        try tree.addSymbolicLink("bin", target: "usr/bin")
        try tree.addHardLink("usr/bin/app-hardlink", to: "usr/bin/app")
        try tree.addFile("usr/share/\(name("d", 120))/\(name("f", 150))", text: "long\n")
        try tree.addFile("usr/share/héllo-wörld-日本.txt", text: "utf8\n")
        try tree.addFile("usr/sbin/setuid-tool", text: "#!/bin/sh\n", mode: 0o4755)
        return tree
    }

    /// Creates a host directory with every kind of entry `addDirectoryContents` keeps.
    static func makeHostDirectory(at root: String, fileMode: mode_t = 0o644, directoryMode: mode_t = 0o755) throws {
        let manager = FileManager.default
        let longDirectory = "\(root)/\(name("d", 120))"
        for directory in ["\(root)/bin", "\(root)/lib/sub", "\(root)/empty-dir", longDirectory] {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        func write(_ relative: String, _ contents: [UInt8], executable: Bool = false) throws {
            let path = "\(root)/\(relative)"
            try Data(contents).write(to: URL(fileURLWithPath: path))
            chmod(path, executable ? fileMode | 0o100 : fileMode)
        }
        try write("bin/tool", Array("#!/bin/sh\necho tool\n".utf8), executable: true)
        try write("lib/data.bin", bytes(count: 400_000, seed: 11))
        try write("lib/sub/notes.txt", Array(String(repeating: "stevedore ", count: 5000).utf8))
        try write("lib/empty", [])
        try write("\(name("d", 120))/\(name("f", 150))", Array("long name\n".utf8))
        try write("naïve-日本語.txt", Array("unicode\n".utf8))
        symlink("../data.bin", "\(root)/lib/sub/data-link")
        symlink("lib", "\(root)/lib-link")
        link("\(root)/lib/data.bin", "\(root)/lib/z-hard")
        link("\(root)/lib/data.bin", "\(root)/bin/a-hard")
        for directory in ["\(root)/bin", "\(root)/lib", "\(root)/lib/sub", "\(root)/empty-dir", longDirectory] {
            chmod(directory, directoryMode)
        }
    }

    /// Writes `tree` into a fresh blob store under `scratch`.
    static func write(_ tree: FileTree, options: LayerOptions = LayerOptions(), in scratch: TemporaryDirectory) async throws -> (layer: WrittenLayer, store: FileBlobSink) {
        let store = try FileBlobSink(directory: scratch.appending("blobs-\(UUID().uuidString.prefix(8))"))
        let layer = try await LayerWriter(options: options).write(tree, to: store)
        return (layer, store)
    }

    /// Runs a shell command and returns its standard output, failing the caller when it fails.
    @discardableResult
    static func shell(_ command: String) throws -> String {
        let result = try ProcessRunner.run(["sh", "-c", command], environment: ["LC_ALL": "C.UTF-8"])
        guard result.status == 0 else {
            throw ShellFailure(command: command, status: result.status, output: result.output)
        }
        return result.stdout
    }

    struct ShellFailure: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var output: String
        var description: String { "'\(command)' exited \(status): \(output)" }
    }
}

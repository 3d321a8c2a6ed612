import Foundation
import StevedoreELF
import StevedoreTestSupport

/// A directory populated from a ``SharedLibraryClosure`` and run with `chroot`: the proof that the closure is
/// complete is that the program starts there.
struct ChrootImage {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory("elf-chroot")
    }

    /// Uses an existing directory (e.g. a fake root that is also run).
    init(directory: TemporaryDirectory) {
        self.directory = directory
    }

    /// Copies `path` to `imagePath` inside the directory.
    func copy(_ path: String, to imagePath: String) throws {
        let target = directory.path + imagePath
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
        try FileManager.default.copyItem(atPath: path, toPath: target)
    }

    /// Copies the executable, the interpreter and every library, and creates the listed symbolic links.
    func install(_ closure: SharedLibraryClosure) throws {
        try copy(closure.executable.path, to: closure.executableImagePath)
        for file in closure.files { try copy(file.hostPath, to: file.imagePath) }
        for link in closure.symlinks {
            let target = directory.path + link.path
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: link.target)
        }
    }

    /// Runs `imagePath` in a podman container whose root file system is the directory. Unlike a bare `chroot`,
    /// the container has `/proc`, which glibc reads (`/proc/self/exe`) to expand the executable's `$ORIGIN`.
    func runInContainer(_ imagePath: String) throws -> ProcessResult {
        let storage = try TemporaryDirectory("elf-podman")
        return try Podman.runRetryingLostExitCode([
            "podman", "--root", storage.appending("root"), "--runroot", storage.appending("run"),
            "--runtime", "runc", "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
            "run", "--rm", "--network=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
            "--rootfs", directory.path, imagePath,
        ], timeout: 120)
    }

    /// Runs `imagePath` inside the directory with `chroot`.
    func run(_ imagePath: String, environment: [String: String?] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(["chroot", directory.path, imagePath], environment: environment, timeout: 60)
    }
}

import StevedoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FileTree {
    /// Adds everything below the host directory `hostPath` at `imagePath` (`""` or `"/"` for the image root).
    ///
    /// What is kept is chosen for reproducibility: the result does not depend on directory listing order,
    /// modification times, owners, the umask or where `hostPath` is.
    /// - Directories become `0755`; regular files `0755` when any execute bit is set on the host, else `0644`;
    ///   everything is owned by root.
    /// - Symbolic links are kept as links. A link whose target is absolute or climbs out of `hostPath` (judged
    ///   on the path text) throws ``StevedoreError`` `symlinkOutsideSource`, naming it.
    /// - Regular files with several links to the same inode become one file, at the path that sorts first,
    ///   and tar hard links to it.
    /// - Sockets, FIFOs and device nodes throw ``StevedoreError`` `unsupportedFileType`.
    /// - The directory `imagePath` itself is added as a `0755` directory.
    public mutating func addDirectoryContents(hostPath: String, at imagePath: String) throws {
        let source = hostPath.count > 1 && hostPath.hasSuffix("/") ? String(hostPath.dropLast()) : hostPath
        let prefix = imagePath.split(separator: "/").isEmpty ? "" : try ImagePath.normalize(imagePath)
        var rootStatus = stat()
        guard stat(source, &rootStatus) == 0 else {
            throw StevedoreError(.unreadableFile, "cannot read the directory '\(hostPath)': \(SystemError.text(errno))")
        }
        guard rootStatus.st_mode & S_IFMT == S_IFDIR else {
            throw StevedoreError(.unreadableFile, "'\(hostPath)' is not a directory; give a directory, or add a single file with addFile")
        }

        var found: [HostItem] = []
        var pendingDirectories: [String] = [""]
        while let relativeDirectory = pendingDirectories.popLast() {
            let directoryPath = relativeDirectory.isEmpty ? source : "\(source)/\(relativeDirectory)"
            for name in try Self.listDirectory(directoryPath) {
                let relative = relativeDirectory.isEmpty ? name : "\(relativeDirectory)/\(name)"
                let itemPath = "\(source)/\(relative)"
                var status = stat()
                guard lstat(itemPath, &status) == 0 else {
                    throw StevedoreError(.unreadableFile, "cannot read '\(itemPath)': \(SystemError.text(errno))")
                }
                switch status.st_mode & S_IFMT {
                case S_IFDIR:
                    found.append(HostItem(relativePath: relative, hostPath: itemPath, kind: .directory))
                    pendingDirectories.append(relative)
                case S_IFREG:
                    let executable = status.st_mode & 0o111 != 0
                    found.append(HostItem(
                        relativePath: relative, hostPath: itemPath,
                        kind: .file(executable: executable, device: UInt64(truncatingIfNeeded: status.st_dev), inode: UInt64(status.st_ino), linkCount: UInt64(status.st_nlink))
                    ))
                case S_IFLNK:
                    let target = try Self.readSymbolicLink(itemPath)
                    try Self.checkLinkStaysInside(relative: relative, target: target, hostPath: itemPath, source: hostPath)
                    found.append(HostItem(relativePath: relative, hostPath: itemPath, kind: .symbolicLink(target: target)))
                default:
                    throw StevedoreError(.unsupportedFileType, "'\(itemPath)' is a socket, FIFO or device node, which a layer cannot hold; remove it from '\(hostPath)'")
                }
            }
        }

        // Several names for one inode: the first in byte order holds the bytes, the others link to it.
        var firstPathOfInode: [InodeKey: String] = [:]
        found.sort { ImagePath.precedes($0.relativePath, $1.relativePath) }
        func imagePathOf(_ relative: String) -> String { prefix.isEmpty ? relative : "\(prefix)/\(relative)" }

        if !prefix.isEmpty {
            try addDirectory(prefix, mode: 0o755)
        }
        for item in found {
            let path = imagePathOf(item.relativePath)
            switch item.kind {
            case .directory:
                try addDirectory(path, mode: 0o755)
            case .symbolicLink(let target):
                try addSymbolicLink(path, target: target)
            case .file(let executable, let device, let inode, let linkCount):
                let mode: UInt32 = executable ? 0o755 : 0o644
                if linkCount > 1 {
                    let key = InodeKey(device: device, inode: inode)
                    if let first = firstPathOfInode[key] {
                        try add(FileTreeEntry(path: path, kind: .hardLink(to: first), mode: mode))
                        continue
                    }
                    firstPathOfInode[key] = path
                }
                try addFile(path, hostPath: item.hostPath, mode: mode)
            }
        }
    }

    private struct InodeKey: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private struct HostItem {
        enum Kind {
            case directory
            case file(executable: Bool, device: UInt64, inode: UInt64, linkCount: UInt64)
            case symbolicLink(target: String)
        }
        var relativePath: String
        var hostPath: String
        var kind: Kind
    }

    /// The names in a directory, without `.` and `..`, in no particular order.
    private static func listDirectory(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            throw StevedoreError(.unreadableFile, "cannot list the directory '\(path)': \(SystemError.text(errno))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            errno = 0
            guard let item = readdir(directory) else {
                if errno != 0 {
                    throw StevedoreError(.unreadableFile, "cannot list the directory '\(path)': \(SystemError.text(errno))")
                }
                break
            }
            let name: String? = withUnsafeBytes(of: &item.pointee.d_name) { raw in
                guard let base = raw.baseAddress else { return nil }
                return String(validatingCString: base.assumingMemoryBound(to: CChar.self))
            }
            guard let name else {
                throw StevedoreError(.invalidPath, "a name in '\(path)' is not valid UTF-8; rename it (layers store UTF-8 paths)")
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    private static func readSymbolicLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else {
            throw StevedoreError(.unreadableFile, "cannot read the symbolic link '\(path)': \(SystemError.text(errno))")
        }
        let bytes = buffer[0..<length].map { UInt8(bitPattern: $0) }
        guard let target = String(validating: bytes, as: UTF8.self) else {
            throw StevedoreError(.invalidPath, "the target of the symbolic link '\(path)' is not valid UTF-8")
        }
        return target
    }

    /// Throws when `target`, read relative to the link's directory, leaves the source directory.
    private static func checkLinkStaysInside(relative: String, target: String, hostPath: String, source: String) throws {
        let outside = StevedoreError(
            .symlinkOutsideSource,
            "the symbolic link '\(hostPath)' points at '\(target)', outside '\(source)'; make it a relative link to a file inside that directory, or copy the file in"
        )
        guard !target.hasPrefix("/") else { throw outside }
        var depth = relative.split(separator: "/").count - 1
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                depth -= 1
                if depth < 0 { throw outside }
            default:
                depth += 1
            }
        }
    }
}

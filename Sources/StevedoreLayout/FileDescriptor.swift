#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open POSIX file descriptor that reads and writes whole buffers and reports errors with the path.
struct FileDescriptor: Sendable {
    let raw: Int32
    let path: String

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> FileDescriptor {
        let fd = path.withCString { Glibc.open($0, flags | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw LayoutError(.io, "cannot open \(path): \(Self.errorText())") }
        return FileDescriptor(raw: fd, path: path)
    }

    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let written = Glibc.write(raw, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw LayoutError(.io, "cannot write \(path): \(Self.errorText())")
            }
            offset += written
        }
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(raw, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw LayoutError(.io, "cannot read \(path): \(Self.errorText())")
            }
            return count
        }
    }

    func sync() throws {
        guard fsync(raw) == 0 else { throw LayoutError(.io, "cannot flush \(path) to disk: \(Self.errorText())") }
    }

    func close() { _ = Glibc.close(raw) }

    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Creates `path` and its missing parents, like `mkdir -p`.
    ///
    /// - Throws: ``LayoutError`` `io` naming `path` and the system's reason, e.g. "Not a directory" when a
    ///   parent is a regular file.
    static func makeDirectories(_ path: String, what: String = "") throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/\(component)"
            guard mkdir(current, 0o755) != 0 else { continue }
            var code = errno
            if code == EEXIST {
                var info = stat()
                if stat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { continue }
                code = ENOTDIR
            }
            let place = current == path || "./\(path)" == current ? "" : " (at \(current))"
            throw LayoutError(.io, "cannot create \(what)\(path): \(errorText(code))\(place)")
        }
    }

    /// Flushes a directory so a rename inside it survives a crash.
    static func syncDirectory(_ path: String) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = Glibc.close(fd)
    }
}

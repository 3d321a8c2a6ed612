// The only file of StevedoreLayout that calls the C library, so the module builds with Glibc, Musl and Darwin.
// Everything used here exists under the same name on all three (`O_DIRECTORY`, `flock`, `fsync`, `link`).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import StevedoreCore

/// The path-level system calls the layout needs: directories, sizes, links, renames and locks.
enum SystemCalls {
    /// The system's text for an error number, e.g. "No such file or directory".
    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Creates `path` and its missing parents, like `mkdir -p`.
    ///
    /// - Throws: ``StevedoreError`` `io` naming `path` and the system's reason, e.g. "Not a directory" when a
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
            throw StevedoreError(.io, "cannot create \(what)\(path): \(errorText(code))\(place)")
        }
    }

    /// Flushes a directory so a rename inside it survives a crash.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }

    /// The size of the file at `path`, or `nil` when it cannot be read.
    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// Hard-links `source` as `target`; true when the link was made or `target` already exists.
    static func hardLink(_ source: String, as target: String) -> Bool {
        link(source, target) == 0 || errno == EEXIST
    }

    /// Renames `source` to `target`, replacing `target` atomically.
    ///
    /// - Throws: ``StevedoreError`` `io`: `failure`, then the system's reason.
    static func rename(_ source: String, to target: String, failure: @autoclosure () -> String) throws {
        guard systemRename(source, target) == 0 else {
            let code = errno
            throw StevedoreError(.io, "\(failure()): \(errorText(code))")
        }
    }

    /// Removes the file at `path`, ignoring errors (it may already be gone).
    static func removeFile(_ path: String) {
        unlink(path)
    }

    /// The names in the directory `path` that start with `prefix`; empty when it cannot be read.
    static func names(in path: String, withPrefix prefix: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(prefix) { names.append(name) }
        }
        return names
    }

    /// How many seconds ago the file at `path` was last modified, or `nil` when it cannot be read.
    static func secondsSinceModification(_ path: String) -> Double? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = Double(info.st_mtimespec.tv_sec)
        #else
        let modified = Double(info.st_mtim.tv_sec)
        #endif
        return Double(time(nil)) - modified
    }

    /// Whether some open file holds an exclusive `flock` on the file at `path` (see ``FileDescriptor/lock()``);
    /// `false` when the file cannot be opened.
    static func isLocked(_ path: String) -> Bool {
        let fd = path.withCString { systemOpen($0, O_RDONLY | O_CLOEXEC, 0) }
        guard fd >= 0 else { return false }
        defer { _ = systemClose(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }

    /// Runs `body` holding an exclusive `flock` on the directory `path`.
    ///
    /// - Throws: ``StevedoreError`` `io` when the directory cannot be opened or locked; what `body` throws.
    static func withExclusiveLock<T>(onDirectory path: String, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StevedoreError(.io, "cannot open \(path): \(errorText())") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StevedoreError(.io, "cannot lock \(path): \(errorText())") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

/// An open POSIX file descriptor that reads and writes whole buffers and reports errors with the path.
struct FileDescriptor: Sendable {
    /// Reads the file at `path` to its end and hands `body` each chunk of at most 1 MiB.
    static func forEachChunk(of path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let file = try openForReading(path)
        defer { file.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try file.read(into: buffer)
            if count == 0 { break }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }

    let raw: Int32
    let path: String

    /// Opens an existing file for reading.
    static func openForReading(_ path: String) throws -> FileDescriptor {
        try open(path, O_RDONLY)
    }

    /// Creates a new file for writing; fails when `path` exists.
    static func createNew(_ path: String, mode: mode_t = 0o644) throws -> FileDescriptor {
        try open(path, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
    }

    private static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> FileDescriptor {
        let fd = path.withCString { systemOpen($0, flags | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw StevedoreError(.io, "cannot open \(path): \(SystemCalls.errorText())") }
        return FileDescriptor(raw: fd, path: path)
    }

    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let written = systemWrite(raw, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw StevedoreError(.io, "cannot write \(path): \(SystemCalls.errorText())")
            }
            offset += written
        }
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = systemRead(raw, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw StevedoreError(.io, "cannot read \(path): \(SystemCalls.errorText())")
            }
            return count
        }
    }

    func sync() throws {
        guard fsync(raw) == 0 else { throw StevedoreError(.io, "cannot flush \(path) to disk: \(SystemCalls.errorText())") }
    }

    /// Takes an exclusive `flock` on the file, held until it is closed, so that others can tell it is in use
    /// (``SystemCalls/isLocked(_:)``); a file system without locks leaves it unlocked.
    func lock() {
        _ = flock(raw, LOCK_EX | LOCK_NB)
    }

    func close() { _ = systemClose(raw) }
}

// The C functions under names that FileDescriptor's and SystemCalls' own `open`, `read`, `close`, `rename` do not shadow.
private func systemOpen(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemRename(_ source: String, _ target: String) -> Int32 { rename(source, target) }

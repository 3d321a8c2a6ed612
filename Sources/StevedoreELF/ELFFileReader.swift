import StevedoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounded positional reads from one open file: every read names its offset and length, so memory use does not
/// depend on the size of the file.
///
/// The owner opens it with ``open(_:)`` and must call ``close()`` (parsers do so with `defer`).
struct ELFFileReader {
    /// The path, for messages.
    let path: String
    /// The file's size in bytes.
    let size: UInt64
    private let descriptor: Int32
    /// Counts the bytes read, for tests that prove a parse reads only the headers; `nil` normally.
    var tally: Tally?

    /// A running count of the bytes read from a file; one parse, on one thread, updates it.
    final class Tally: @unchecked Sendable {
        private(set) var bytes: UInt64 = 0
        func add(_ count: Int) { bytes += UInt64(count) }
    }

    /// The largest single read a parser may ask for; larger requests mean a corrupt header.
    static let maximumReadSize = 16 * 1024 * 1024

    /// Opens `path` read-only and records its size.
    ///
    /// - Throws: ``StevedoreError`` `unreadable` with the system's reason, or when `path` is not a regular file.
    static func open(_ path: String) throws -> ELFFileReader {
        let descriptor = path.withCString { systemOpen($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            let reason = systemErrorText(errno)
            throw StevedoreError(.unreadable, "cannot open '\(path)': \(reason)")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = systemErrorText(errno)
            _ = systemClose(descriptor)
            throw StevedoreError(.unreadable, "cannot read '\(path)': \(reason)")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            _ = systemClose(descriptor)
            let kind = (status.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"
            throw StevedoreError(.unreadable, "'\(path)' is \(kind); give the path of an executable file")
        }
        return ELFFileReader(path: path, size: UInt64(status.st_size), descriptor: descriptor)
    }

    /// Closes the file.
    func close() {
        _ = systemClose(descriptor)
    }

    /// Reads exactly `count` bytes at `offset`.
    ///
    /// - Parameter what: names the structure being read, for the error message.
    /// - Throws: ``StevedoreError`` `truncated` when the file ends before `offset + count`, `corrupt` when `count` is
    ///   absurdly large, `unreadable` on an I/O error.
    func bytes(at offset: UInt64, count: Int, what: String) throws -> [UInt8] {
        guard count >= 0, count <= Self.maximumReadSize else {
            throw StevedoreError(.corrupt, "'\(path)' is corrupt: its \(what) claims \(count) bytes")
        }
        let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
        guard !overflow, end <= size else {
            throw StevedoreError(.truncated, "'\(path)' is truncated: its \(what) lies at bytes \(offset)..<\(offset &+ UInt64(count)) but the file has only \(size) bytes")
        }
        return try available(at: offset, upTo: count, what: what)
    }

    /// Reads up to `count` bytes at `offset`, fewer when the file ends first.
    func available(at offset: UInt64, upTo count: Int, what: String) throws -> [UInt8] {
        guard offset < size, count > 0 else { return [] }
        let wanted = Int(min(UInt64(count), size - offset))
        var buffer = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        var attempts = 0
        while filled < wanted {
            attempts += 1
            let got = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(descriptor, base + filled, wanted - filled, off_t(offset) + off_t(filled))
            }
            if got < 0 {
                if errno == EINTR, attempts < 100 { continue }
                throw StevedoreError(.unreadable, "cannot read the \(what) of '\(path)': \(systemErrorText(errno))")
            }
            if got == 0 { break }
            filled += got
        }
        tally?.add(filled)
        guard filled == wanted else {
            throw StevedoreError(.truncated, "'\(path)' is truncated: it ended while reading its \(what)")
        }
        return buffer
    }

    /// Reads a NUL-terminated string at `offset`, reading at most `limit` bytes in small chunks.
    func cString(at offset: UInt64, limit: UInt64, what: String) throws -> String {
        let chunkSize = 256
        let maximumLength: UInt64 = 64 * 1024
        var collected: [UInt8] = []
        var position = offset
        let end = min(offset &+ min(limit, maximumLength), size)
        while position < end {
            let chunk = try available(at: position, upTo: Int(min(UInt64(chunkSize), end - position)), what: what)
            if chunk.isEmpty { break }
            if let terminator = chunk.firstIndex(of: 0) {
                collected.append(contentsOf: chunk[..<terminator])
                return String(decoding: collected, as: UTF8.self)
            }
            collected.append(contentsOf: chunk)
            position += UInt64(chunk.count)
        }
        throw StevedoreError(.corrupt, "'\(path)' is corrupt: its \(what) at offset \(offset) has no terminating NUL byte")
    }
}

/// The C library's `open`, named apart from Swift's.
private func systemOpen(_ path: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
    open(path, flags)
}

/// The C library's `close`, named apart from ``ELFFileReader/close()``.
private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

/// The system's text for `errno` (e.g. "No such file or directory").
func systemErrorText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

import CArchive
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import StevedoreCore

/// Writes ``FileTreeEntry`` values as a POSIX pax (restricted) tar stream with libarchive, handing the bytes to
/// a consumer as they are produced.
///
/// Only what a layer needs is written: path, type, permission bits, uid, gid, user and group names, size,
/// link target and the given modification time. No access, change or birth time, extended attributes, ACLs
/// or file flags. The stream ends with the two zero blocks tar needs and no further padding.
final class TarStreamWriter {
    typealias Consumer = (UnsafeRawBufferPointer) throws -> Void

    /// What libarchive's write callback reaches through its client-data pointer.
    private final class CallbackContext {
        let consumer: Consumer
        var failure: (any Error)?
        init(consumer: @escaping Consumer) { self.consumer = consumer }
    }

    private static let fileTypeRegular: UInt32 = 0o100000
    private static let fileTypeDirectory: UInt32 = 0o040000
    private static let fileTypeSymbolicLink: UInt32 = 0o120000
    private static let readBufferSize = 1 << 20

    private let archive: OpaquePointer
    private let entry: OpaquePointer
    private let context: CallbackContext
    private let modificationTime: Int64
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var isClosed = false
    /// A UTF-8 character locale for this thread, so libarchive converts names without touching the process
    /// locale; `nil` when the system has none (then only ASCII names can be written).
    private let utf8Locale: locale_t?
    private let previousLocale: locale_t?

    init(modificationTime: Int64, consumer: @escaping Consumer) throws {
        guard let archive = archive_write_new() else {
            throw StevedoreError(.archiveFailure, "libarchive could not allocate a tar writer")
        }
        guard let entry = archive_entry_new() else {
            archive_write_free(archive)
            throw StevedoreError(.archiveFailure, "libarchive could not allocate a tar entry")
        }
        self.archive = archive
        self.entry = entry
        self.context = CallbackContext(consumer: consumer)
        self.modificationTime = modificationTime
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 64)
        let locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) ?? newlocale(LC_CTYPE_MASK, "en_US.UTF-8", nil)
        self.utf8Locale = locale
        self.previousLocale = locale.flatMap { uselocale($0) }
        try check(archive_write_set_format_pax_restricted(archive), "choose the pax format")
        try check(archive_write_set_bytes_per_block(archive, 64 << 10), "set the block size")
        try check(archive_write_set_bytes_in_last_block(archive, 1), "turn off end padding")
        let write: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeRawPointer?, Int) -> Int = { _, client, buffer, length in
            guard let client else { return -1 }
            let context = Unmanaged<CallbackContext>.fromOpaque(client).takeUnretainedValue()
            do {
                try context.consumer(UnsafeRawBufferPointer(start: buffer, count: length))
                return length
            } catch {
                context.failure = error
                return -1
            }
        }
        try check(archive_write_open(archive, Unmanaged.passUnretained(context).toOpaque(), nil, write, nil), "start the tar stream")
    }

    deinit {
        archive_entry_free(entry)
        if !isClosed { archive_write_fail(archive) }
        archive_write_free(archive)
        readBuffer.deallocate()
        if let utf8Locale {
            if let previousLocale { uselocale(previousLocale) }
            freelocale(utf8Locale)
        }
    }

    /// Writes one entry: its header and, for a regular file, its bytes.
    func write(_ item: FileTreeEntry) throws {
        if utf8Locale == nil {
            var names = [item.path, item.owner.userName, item.owner.groupName]
            switch item.kind {
            case .symbolicLink(let target), .hardLink(let target): names.append(target)
            default: break
            }
            if names.contains(where: { $0.utf8.contains { $0 >= 0x80 } }) {
                throw StevedoreError(.archiveFailure, "'\(item.path)' has non-ASCII characters but this system has no UTF-8 locale (C.UTF-8) for libarchive to write them; install one or rename the file")
            }
        }
        archive_entry_clear(entry)
        archive_entry_set_pathname_utf8(entry, item.path)
        archive_entry_set_mtime(entry, time_t(modificationTime), 0)
        archive_entry_set_uid(entry, la_int64_t(item.owner.uid))
        archive_entry_set_gid(entry, la_int64_t(item.owner.gid))
        if !item.owner.userName.isEmpty { archive_entry_set_uname_utf8(entry, item.owner.userName) }
        if !item.owner.groupName.isEmpty { archive_entry_set_gname_utf8(entry, item.owner.groupName) }
        archive_entry_set_perm(entry, mode_t(item.mode))
        switch item.kind {
        case .directory:
            archive_entry_set_filetype(entry, Self.fileTypeDirectory)
            archive_entry_set_size(entry, 0)
            try writeHeader(item)
        case .symbolicLink(let target):
            archive_entry_set_filetype(entry, Self.fileTypeSymbolicLink)
            archive_entry_set_symlink_utf8(entry, target)
            archive_entry_set_size(entry, 0)
            try writeHeader(item)
        case .hardLink(let target):
            archive_entry_set_filetype(entry, Self.fileTypeRegular)
            archive_entry_set_hardlink_utf8(entry, target)
            archive_entry_set_size(entry, 0)
            try writeHeader(item)
        case .regularFile(.bytes(let bytes)):
            archive_entry_set_filetype(entry, Self.fileTypeRegular)
            archive_entry_set_size(entry, la_int64_t(bytes.count))
            try writeHeader(item)
            try bytes.withUnsafeBytes { try writeData($0, of: item) }
        case .regularFile(.hostFile(let hostPath)):
            try writeHostFile(item, hostPath: hostPath)
        }
    }

    /// Writes the end-of-archive blocks and flushes everything to the consumer.
    func finish() throws {
        isClosed = true
        let status = archive_write_close(archive)
        if let failure = context.failure { throw failure }
        try check(status, "finish the tar stream")
    }

    private func writeHostFile(_ item: FileTreeEntry, hostPath: String) throws {
        var descriptor: Int32
        repeat {
            descriptor = open(hostPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            throw StevedoreError(.unreadableFile, "cannot read '\(hostPath)' (for '\(item.path)'): \(SystemError.text(errno))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw StevedoreError(.unreadableFile, "cannot read '\(hostPath)' (for '\(item.path)'): \(SystemError.text(errno))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw StevedoreError(.unsupportedFileType, "'\(hostPath)' (for '\(item.path)') is no longer a regular file")
        }
        let size = Int64(status.st_size)
        archive_entry_set_filetype(entry, Self.fileTypeRegular)
        archive_entry_set_size(entry, la_int64_t(size))
        try writeHeader(item)
        var remaining = size
        guard let buffer = readBuffer.baseAddress else { return }
        while remaining > 0 {
            let count = read(descriptor, buffer, Int(min(Int64(Self.readBufferSize), remaining)))
            if count < 0 {
                if errno == EINTR { continue }
                throw StevedoreError(.unreadableFile, "cannot read '\(hostPath)' (for '\(item.path)'): \(SystemError.text(errno))")
            }
            if count == 0 {
                throw StevedoreError(.fileChangedWhileReading, "'\(hostPath)' shrank from \(size) to \(size - remaining) bytes while it was being archived; build again when nothing is writing to it")
            }
            try writeData(UnsafeRawBufferPointer(start: buffer, count: count), of: item)
            remaining -= Int64(count)
        }
        var extra: Int
        repeat { extra = read(descriptor, buffer, 1) } while extra < 0 && errno == EINTR
        if extra > 0 {
            throw StevedoreError(.fileChangedWhileReading, "'\(hostPath)' grew beyond \(size) bytes while it was being archived; build again when nothing is writing to it")
        }
    }

    private func writeHeader(_ item: FileTreeEntry) throws {
        let status = archive_write_header(archive, entry)
        if let failure = context.failure { throw failure }
        guard status == ARCHIVE_OK else {
            throw StevedoreError(.archiveFailure, "libarchive could not write the header of '\(item.path)': \(errorText)")
        }
    }

    private func writeData(_ bytes: UnsafeRawBufferPointer, of item: FileTreeEntry) throws {
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = archive_write_data(archive, base + offset, bytes.count - offset)
            if let failure = context.failure { throw failure }
            guard written > 0 else {
                throw StevedoreError(.archiveFailure, "libarchive could not write the bytes of '\(item.path)': \(errorText)")
            }
            offset += written
        }
    }

    private func check(_ status: Int32, _ action: String) throws {
        guard status == ARCHIVE_OK else {
            throw StevedoreError(.archiveFailure, "libarchive could not \(action): \(errorText)")
        }
    }

    private var errorText: String {
        archive_error_string(archive).map { String(cString: $0) } ?? "no detail given"
    }
}

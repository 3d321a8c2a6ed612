import Foundation
import StevedoreArchive
import StevedoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Hashes host files for ``LayerCacheKey``: several at once, and none whose ``FileIdentity`` matches its
/// record in ``FileDigestRecords``.
public struct FileContentHasher: Sendable {
    /// How many files are read at once.
    public var threads: Int

    public init(threads: Int = LayerOptions.activeProcessorCount) {
        self.threads = max(1, threads)
    }

    /// What hashing found.
    public struct Result: Sendable {
        /// Size and `sha256` by path.
        public var contents: [String: LayerCacheKey.FileContent]
        /// The identity each file had when it was hashed (or found in the records), by path.
        public var identities: [String: FileIdentity]
        /// How many files were read (the others came from the records).
        public var filesRead: Int
        /// How many bytes were read.
        public var bytesRead: Int64
    }

    /// Hashes `paths`, taking unchanged files from `records` and recording the files it reads in it.
    ///
    /// The reading runs on threads of its own, not on Swift's cooperative pool.
    ///
    /// - Throws: ``StevedoreError`` `unreadableFile`, or `fileChangedWhileReading` when a file keeps changing
    ///   while it is read.
    public func hash(_ paths: [String], records: inout FileDigestRecords) async throws -> Result {
        var contents: [String: LayerCacheKey.FileContent] = [:]
        var identities: [String: FileIdentity] = [:]
        var pending: [String] = []
        for path in paths {
            let identity = try FileIdentity(path: path)
            identities[path] = identity
            if let content = records.content(of: path, identity: identity) {
                contents[path] = content
            } else {
                pending.append(path)
            }
        }
        let hashedAt = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        let read = try await Self.hashConcurrently(pending, threads: threads)
        var bytesRead: Int64 = 0
        for (path, (identity, content)) in zip(pending, read) {
            contents[path] = content
            identities[path] = identity
            bytesRead += content.size
            records.record(path, identity: identity, content: content, hashedAt: hashedAt)
        }
        return Result(contents: contents, identities: identities, filesRead: pending.count, bytesRead: bytesRead)
    }

    private static func hashConcurrently(_ paths: [String], threads: Int) async throws -> [(FileIdentity, LayerCacheKey.FileContent)] {
        guard !paths.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let results = ResultSlots(count: paths.count)
                DispatchQueue.concurrentPerform(iterations: min(threads, paths.count)) { worker in
                    var index = worker
                    while index < paths.count, !results.hasFailed {
                        results.set(index, Swift.Result { try hashFile(paths[index]) })
                        index += min(threads, paths.count)
                    }
                }
                continuation.resume(with: Swift.Result { try results.values() })
            }
        }
    }

    /// Reads and hashes one file; a file whose identity differs after reading is read once more, then refused.
    private static func hashFile(_ path: String) throws -> (FileIdentity, LayerCacheKey.FileContent) {
        for _ in 0..<2 {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else {
                throw StevedoreError(.unreadableFile, "cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            var before = stat()
            guard fstat(descriptor, &before) == 0 else {
                throw StevedoreError(.unreadableFile, "cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            var hasher = DigestHasher()
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { buffer.deallocate() }
            while let base = buffer.baseAddress {
                let count = read(descriptor, base, buffer.count)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw StevedoreError(.unreadableFile, "cannot read '\(path)': \(String(cString: strerror(errno)))")
                }
                if count == 0 { break }
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            }
            var after = stat()
            guard fstat(descriptor, &after) == 0 else {
                throw StevedoreError(.unreadableFile, "cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            let identity = FileIdentity(after)
            if FileIdentity(before) == identity, hasher.count == identity.size {
                return (identity, LayerCacheKey.FileContent(size: identity.size, digest: hasher.finalize()))
            }
        }
        throw StevedoreError(.fileChangedWhileReading, "'\(path)' changed while it was being hashed; build again when nothing is writing to it")
    }
}

/// One result slot per file, filled from several threads.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<(FileIdentity, LayerCacheKey.FileContent), any Error>?]
    private var failed = false

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var hasFailed: Bool { lock.withLock { failed } }

    func set(_ index: Int, _ result: Result<(FileIdentity, LayerCacheKey.FileContent), any Error>) {
        lock.withLock {
            slots[index] = result
            if case .failure = result { failed = true }
        }
    }

    /// Every value in order, or the first error.
    func values() throws -> [(FileIdentity, LayerCacheKey.FileContent)] {
        try lock.withLock {
            for case .failure(let error)? in slots { throw error }
            return try slots.map { slot in
                guard let slot else { throw StevedoreError(.unreadableFile, "a file was not hashed") }
                return try slot.get()
            }
        }
    }
}

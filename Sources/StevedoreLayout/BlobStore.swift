import Foundation
import StevedoreCore

/// The content-addressed blobs of an OCI image layout: `blobs/<algorithm>/<encoded>`.
///
/// Writes are atomic: bytes go to a temporary file in the same directory, are hashed while written, flushed
/// with `fsync`, checked against the expected digest and size, and only then renamed into place. Two
/// processes writing the same blob at once both succeed, and a reader never sees a partial blob.
/// See <https://github.com/opencontainers/image-spec/blob/main/image-layout.md>.
public struct BlobStore: BlobSink, BlobSource, Sendable {
    /// The layout directory holding `blobs/`.
    public let root: String

    /// Opens the blob store under `root`, creating `blobs/sha256` if needed.
    ///
    /// - Throws: ``StevedoreError`` when the directory cannot be created.
    public init(root: String) throws {
        self.root = root
        try SystemCalls.makeDirectories("\(root)/blobs/sha256", what: "the blob directory ")
    }

    /// The file that holds (or would hold) a blob.
    public func path(for digest: Digest) -> String {
        "\(root)/blobs/\(digest.algorithm)/\(digest.encoded)"
    }

    public func hasBlob(_ digest: Digest) async throws -> Bool {
        contains(digest)
    }

    /// Whether the blob's file exists.
    public func contains(_ digest: Digest) -> Bool {
        FileManager.default.fileExists(atPath: path(for: digest))
    }

    /// The size of a stored blob, or `nil` when it is absent.
    public func size(of digest: Digest) -> Int64? {
        SystemCalls.fileSize(path(for: digest))
    }

    public func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        let file: FileDescriptor
        do {
            file = try FileDescriptor.openForReading(path(for: descriptor.digest))
        } catch {
            throw StevedoreError(.blobNotFound, "blob \(descriptor.digest) (\(descriptor.mediaType)) is missing from \(root)/blobs")
        }
        defer { file.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try file.read(into: buffer)
            if count == 0 { break }
            try await consumer(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }

    public func makeBlobWriter() throws -> any BlobWriter {
        try AtomicBlobWriter(store: self)
    }

    /// Stores a small blob whole (a manifest, a configuration) and returns its digest and size.
    @discardableResult
    public func write(_ data: Data) throws -> (digest: Digest, size: Int64) {
        let writer = try AtomicBlobWriter(store: self)
        do {
            try data.withUnsafeBytes { try writer.write($0) }
            return try writer.commit(expected: nil)
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Adds an existing blob file from another store by hard link, or by copy across file systems.
    public func link(_ digest: Digest, from other: BlobStore) throws {
        guard !contains(digest) else { return }
        let source = other.path(for: digest)
        let target = path(for: digest)
        if SystemCalls.hardLink(source, as: target) { return }
        let writer = try AtomicBlobWriter(store: self)
        do {
            try FileDescriptor.forEachChunk(of: source) { try writer.write($0) }
            _ = try writer.commit(expected: (digest, other.size(of: digest) ?? -1))
        } catch {
            writer.abort()
            throw error
        }
    }
}

/// Writes one blob to a temporary file and renames it into place on commit.
final class AtomicBlobWriter: BlobWriter {
    private let store: BlobStore
    private let temporaryPath: String
    private var file: FileDescriptor?
    private var hasher = DigestHasher()

    init(store: BlobStore) throws {
        self.store = store
        store.removeStaleTemporaryFilesOnce()
        temporaryPath = "\(store.root)/blobs/sha256/\(BlobStore.temporaryPrefix)\(UUID().uuidString)"
        let file = try FileDescriptor.createNew(temporaryPath)
        file.lock()
        self.file = file
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let file else { throw StevedoreError(.io, "blob writer for \(store.root) used after it finished") }
        hasher.update(bytes)
        do {
            try file.writeAll(bytes)
        } catch {
            abort()
            throw error
        }
    }

    /// Stores the blob under the digest it was verified against: `expected`'s when given (of any algorithm
    /// ``Digest`` accepts, recomputed from the written bytes when it is not `sha256`), else its `sha256`.
    func commit(expected: (digest: Digest, size: Int64)?) throws -> (digest: Digest, size: Int64) {
        guard let file else { throw StevedoreError(.io, "blob writer for \(store.root) used after it finished") }
        var digest = hasher.finalize()
        let size = hasher.count
        do {
            try file.sync()
            if let expected {
                guard expected.size < 0 || expected.size == size else {
                    throw StevedoreError(.sizeMismatch, "blob \(expected.digest) is \(size) bytes, expected \(expected.size); nothing was stored")
                }
                if expected.digest.algorithm != digest.algorithm {
                    digest = try rehash(like: expected.digest)
                }
                guard expected.digest == digest else {
                    throw StevedoreError(.digestMismatch, "blob content has digest \(digest), expected \(expected.digest); nothing was stored")
                }
            }
            file.close()
            self.file = nil
            let directory = "\(store.root)/blobs/\(digest.algorithm)"
            if digest.algorithm != "sha256" {
                try SystemCalls.makeDirectories(directory, what: "the blob directory ")
            }
            let target = store.path(for: digest)
            try SystemCalls.rename(temporaryPath, to: target, failure: "cannot move blob into \(target)")
            SystemCalls.syncDirectory(directory)
            return (digest, size)
        } catch {
            abort()
            throw error
        }
    }

    /// The digest of the written bytes with `digest`'s algorithm, read back from the temporary file.
    private func rehash(like digest: Digest) throws -> Digest {
        var hasher = DigestHasher(algorithmOf: digest)
        try FileDescriptor.forEachChunk(of: temporaryPath) { hasher.update($0) }
        return hasher.finalize()
    }

    func abort() {
        file?.close()
        file = nil
        SystemCalls.removeFile(temporaryPath)
    }

    deinit { abort() }
}

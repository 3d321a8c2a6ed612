import Foundation
import StevedoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A blob store in a directory, `<directory>/sha256/<hex>`, for tests: a ``BlobSink`` that hashes what it is
/// given and a ``BlobSource`` that streams blobs back.
public struct FileBlobSink: BlobSink, BlobSource {
    /// The directory blobs are stored under.
    public let directory: String

    /// A store under `directory`, which is created.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: "\(directory)/sha256", withIntermediateDirectories: true)
    }

    /// The path of a committed blob.
    public func path(of digest: Digest) -> String { "\(directory)/\(digest.algorithm)/\(digest.encoded)" }

    /// The file names in the store's directories: committed blobs and any temporary files left behind.
    public func storedFiles() throws -> [String] {
        let top = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0 != "sha256" }
        let blobs = try FileManager.default.contentsOfDirectory(atPath: "\(directory)/sha256").map { "sha256/\($0)" }
        return (top + blobs).sorted()
    }

    public func makeBlobWriter() throws -> any BlobWriter {
        try FileBlobWriter(directory: directory)
    }

    public func hasBlob(_ digest: Digest) async throws -> Bool {
        FileManager.default.fileExists(atPath: path(of: digest))
    }

    public func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        let file = path(of: descriptor.digest)
        let descriptorNumber = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptorNumber >= 0 else {
            throw StevedoreError(.digestMismatch, "blob \(descriptor.digest) is not in \(directory)")
        }
        defer { close(descriptorNumber) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptorNumber, buffer.baseAddress, buffer.count)
            guard count > 0 else { break }
            try await consumer(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}

/// A blob being written into a ``FileBlobSink``: a temporary file renamed to its digest on commit.
public final class FileBlobWriter: BlobWriter {
    private let directory: String
    private let temporaryPath: String
    private var descriptorNumber: Int32
    private var hasher = DigestHasher()

    init(directory: String) throws {
        self.directory = directory
        temporaryPath = "\(directory)/tmp-\(UUID().uuidString)"
        descriptorNumber = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptorNumber >= 0 else {
            throw StevedoreError(.sizeMismatch, "cannot create \(temporaryPath): errno \(errno)")
        }
    }

    deinit { if descriptorNumber >= 0 { close(descriptorNumber) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = systemWrite(descriptorNumber, base + offset, bytes.count - offset)
            guard written > 0 else { throw StevedoreError(.sizeMismatch, "cannot write \(temporaryPath): errno \(errno)") }
            offset += written
        }
    }

    public func commit(expected: (digest: Digest, size: Int64)?) throws -> (digest: Digest, size: Int64) {
        close(descriptorNumber)
        descriptorNumber = -1
        let digest = hasher.finalize()
        if let expected, expected.digest != digest || expected.size != hasher.count {
            unlink(temporaryPath)
            throw StevedoreError(.digestMismatch, "expected \(expected.digest), got \(digest)")
        }
        guard rename(temporaryPath, "\(directory)/sha256/\(digest.encoded)") == 0 else {
            throw StevedoreError(.digestMismatch, "cannot store \(digest): errno \(errno)")
        }
        return (digest, hasher.count)
    }

    public func abort() {
        if descriptorNumber >= 0 { close(descriptorNumber) }
        descriptorNumber = -1
        unlink(temporaryPath)
    }
}

/// The C library's `write`, named apart from the writer's own `write`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

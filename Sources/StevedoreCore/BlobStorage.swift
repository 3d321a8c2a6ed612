import Foundation

/// A destination that content-addressed blobs stream into, such as an OCI layout's blob store.
public protocol BlobSink: Sendable {
    /// Starts a new blob. Bytes written go to a temporary place until ``BlobWriter/commit(expected:)``.
    func makeBlobWriter() throws -> any BlobWriter
}

/// One blob being written. Used from one thread at a time; abandon it with ``abort()``.
public protocol BlobWriter: AnyObject {
    /// Appends bytes to the blob.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Makes the blob visible under its digest, atomically.
    ///
    /// - Parameter expected: the digest and size the bytes must have, when known in advance.
    /// - Returns: the digest and size of what was written.
    /// - Throws: when the bytes do not match `expected`; the blob is then discarded.
    func commit(expected: (digest: Digest, size: Int64)?) throws -> (digest: Digest, size: Int64)
    /// Discards what was written.
    func abort()
}

/// A place blobs can be read from: an OCI layout, a docker archive, a registry.
public protocol BlobSource: Sendable {
    /// Whether the blob is present.
    func hasBlob(_ digest: Digest) async throws -> Bool
    /// Streams the blob's bytes to `consumer` in bounded chunks, in order.
    func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws
}

extension BlobSource {
    /// Reads a small blob (a manifest, an index, a configuration) whole, refusing more than `limit` bytes.
    public func blobData(_ descriptor: Descriptor, limit: Int = 8 << 20) async throws -> Data {
        guard descriptor.size <= Int64(limit) else {
            throw StevedoreError(.sizeMismatch, "\(descriptor.digest) is \(descriptor.size) bytes, more than the \(limit) allowed for a \(descriptor.mediaType)")
        }
        var data = Data()
        try await readBlob(descriptor) { chunk in
            guard data.count + chunk.count <= limit else {
                throw StevedoreError(.sizeMismatch, "\(descriptor.digest) is larger than the \(limit) bytes allowed for a \(descriptor.mediaType)")
            }
            data.append(contentsOf: chunk)
        }
        return data
    }
}

import StevedoreCore

extension BlobStore {
    /// Streams a blob from `source` into the store, unless the store has it. It becomes visible only when its
    /// digest and size match `descriptor`; otherwise nothing is stored.
    public func copy(_ descriptor: Descriptor, from source: any BlobSource) async throws {
        guard !contains(descriptor.digest) else { return }
        let writer = try makeBlobWriter()
        do {
            try await source.readBlob(descriptor) { try writer.write($0) }
            _ = try writer.commit(expected: (descriptor.digest, descriptor.size))
        } catch {
            writer.abort()
            throw error
        }
    }
}

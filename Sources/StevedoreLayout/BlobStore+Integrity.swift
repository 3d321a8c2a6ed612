import StevedoreCore

extension BlobStore {
    /// Whether the blob is present with exactly the bytes its descriptor names: the file is read and hashed,
    /// so a blob whose file was changed or cut short on disk does not count as present.
    public func containsIntact(_ descriptor: Descriptor) -> Bool {
        guard size(of: descriptor.digest) == descriptor.size else { return false }
        var hasher = DigestHasher(algorithmOf: descriptor.digest)
        do {
            try FileDescriptor.forEachChunk(of: path(for: descriptor.digest)) { hasher.update($0) }
        } catch {
            return false
        }
        return hasher.count == descriptor.size && hasher.finalize() == descriptor.digest
    }

    /// Removes a blob, e.g. one found damaged; nothing happens when it is absent.
    public func remove(_ digest: Digest) {
        SystemCalls.removeFile(path(for: digest))
    }

    /// Adds a blob of `other` by hard link, replacing a file already at its place; false when no link can be
    /// made (another file system) — then nothing changes.
    public func hardLink(_ digest: Digest, from other: BlobStore) -> Bool {
        let target = path(for: digest)
        let temporary = "\(root)/blobs/sha256/\(Self.temporaryPrefix)link-\(digest.encoded.prefix(16))-\(UInt64.random(in: 0 ... .max))"
        guard SystemCalls.hardLink(other.path(for: digest), as: temporary) else { return false }
        do {
            try SystemCalls.rename(temporary, to: target, failure: "cannot move blob into \(target)")
            return true
        } catch {
            SystemCalls.removeFile(temporary)
            return false
        }
    }
}

import Foundation
import NIOCore
import StevedoreCore

/// An image in a registry, read lazily: `inspect`, `verify` and `--from` use it like a layout.
public struct RegistryImageSource: ImageSource {
    /// The client that reads.
    public let client: RegistryClient
    /// The image's reference.
    public let reference: ImageReference

    /// Whether layer downloads are shown on the client's ``RegistryConfiguration/progress`` (a pull); off
    /// when the bytes are shown as they go elsewhere (a copy's upload).
    public var reportsProgress: Bool

    /// A source for `reference`, read through `client`.
    public init(client: RegistryClient, reference: ImageReference, reportsProgress: Bool = false) {
        self.client = client
        self.reference = reference
        self.reportsProgress = reportsProgress
    }

    public var sourceDescription: String { reference.description }

    public var registryOrigin: ImageReference? { reference }

    public func resolveRoot() async throws -> Descriptor {
        try await client.fetchManifest(reference, deadline: client.makeDeadline()).descriptor
    }

    public func hasBlob(_ digest: Digest) async throws -> Bool {
        let request = RegistryRequest(
            method: .HEAD, registry: reference.apiHost, target: "/v2/\(reference.repository)/blobs/\(digest)",
            scopes: [RegistryClient.pullScope(reference)], accepted: [200, 404]
        )
        return try await client.transport.exchange(request, deadline: client.makeDeadline()).status == 200
    }

    /// Streams a blob; manifests and indexes are read from the manifests endpoint. Digest and size are
    /// verified; a mismatch throws after the bytes went to `consumer`, so consumers must not trust partial
    /// content.
    public func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        let deadline = client.makeDeadline()
        if descriptor.mediaType.isManifest || descriptor.mediaType.isIndex {
            let (fetched, data) = try await client.fetchManifest(reference.with(digest: descriptor.digest), deadline: deadline)
            guard fetched.size == descriptor.size else {
                throw StevedoreError(.transferSizeMismatch, "\(descriptor.digest) from \(reference.name) is \(fetched.size) bytes, its descriptor says \(descriptor.size)")
            }
            try await TemporaryBytes.with(copyOf: data) { try await consumer($0) }
            return
        }
        let progress: (any TransferProgress)? = reportsProgress && descriptor.mediaType.isLayer ? client.configuration.progress : nil
        progress?.started(descriptor, upload: false)
        var delivered: Int64 = 0
        try await client.streamBlob(descriptor, from: reference, deadline: deadline) { response in
            // A retried transfer starts again from the beginning: skip what the consumer already has.
            var position: Int64 = 0
            var hasher = DigestHasher(algorithmOf: descriptor.digest)
            do {
                let reader = client.transport.bodyReader(registry: reference.registry, request: "GET \(reference.name)@\(descriptor.digest)", deadline: deadline)
                try await reader.forEachBuffer(of: response) { buffer in
                    let count = Int64(buffer.readableBytes)
                    guard position + count <= descriptor.size else {
                        throw StevedoreError(.transferSizeMismatch, "\(descriptor.digest) from \(reference.name) is larger than the \(descriptor.size) bytes its descriptor says")
                    }
                    try await TemporaryBytes.with(copyOf: buffer.readableBytesView) { bytes in
                        hasher.update(bytes)
                        let skip = Int(max(0, min(count, delivered - position)))
                        if skip < bytes.count {
                            try await consumer(UnsafeRawBufferPointer(rebasing: bytes[skip...]))
                            delivered += Int64(bytes.count - skip)
                            progress?.advanced(descriptor.digest, by: bytes.count - skip)
                        }
                    }
                    position += count
                }
            } catch {
                throw RegistryTransport.asTransient(error, lastAnswer: "connection lost while downloading \(descriptor.digest.shortForm)")
            }
            guard position == descriptor.size else {
                throw StevedoreError(.transferSizeMismatch, "\(descriptor.digest) from \(reference.name) is \(position) bytes, its descriptor says \(descriptor.size)")
            }
            let actual = hasher.finalize()
            guard actual == descriptor.digest else {
                throw StevedoreError(.transferDigestMismatch, "\(reference.name) sent \(actual) when asked for \(descriptor.digest)")
            }
        }
        progress?.finished(descriptor, outcome: .downloaded)
    }
}

/// Bytes copied to memory that stays valid across suspension points, for async consumers.
enum TemporaryBytes {
    static func with<Bytes: Collection<UInt8>, T>(copyOf bytes: Bytes, _ body: (UnsafeRawBufferPointer) async throws -> T) async rethrows -> T {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        defer { memory.deallocate() }
        _ = memory.initializeMemory(as: UInt8.self, from: bytes)
        return try await body(UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count]))
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import StevedoreCore

extension RegistryClient {
    /// Pulls the image `reference` names into `store`: manifest, configuration and layers, each verified
    /// against its digest and size while it streams (a mismatch stores nothing). Blobs already in the store
    /// are not downloaded again.
    ///
    /// - Parameter platform: the image to take from an index; `nil` means the host's platform.
    /// - Returns: the image (its manifest, not the index, when the reference names an index).
    public func pull(_ reference: ImageReference, platform: Platform?, into store: any BlobSink & BlobSource) async throws -> Image {
        let deadline = makeDeadline()
        var (descriptor, data) = try await fetchManifest(reference, deadline: deadline)
        if descriptor.mediaType.isIndex {
            let index = try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index \(descriptor.digest) of \(reference)")
            let wanted = platform ?? Platform.host
            guard let chosen = index.manifest(for: wanted) else {
                let available = index.manifests.compactMap { $0.platform?.description }.joined(separator: ", ")
                throw RegistryError(.unsupported, "\(reference) has no image for \(wanted) (it has: \(available.isEmpty ? "none" : available)); choose one with --platform")
            }
            (descriptor, data) = try await fetchManifest(reference.with(digest: chosen.digest), deadline: deadline)
            descriptor.platform = chosen.platform
        }
        return try await pullImage(reference, descriptor: descriptor, data: data, into: store, deadline: deadline)
    }

    /// Pulls everything `reference` names into `store`: an index with every image in it, or one image.
    ///
    /// - Returns: the descriptor of the root (index or manifest), whose bytes are in the store too.
    public func pullAll(_ reference: ImageReference, into store: any BlobSink & BlobSource) async throws -> Descriptor {
        let deadline = makeDeadline()
        let (descriptor, data) = try await fetchManifest(reference, deadline: deadline)
        if descriptor.mediaType.isIndex {
            let index = try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index \(descriptor.digest) of \(reference)")
            for child in index.manifests where child.mediaType.isManifest {
                let (childDescriptor, childData) = try await fetchManifest(reference.with(digest: child.digest), deadline: deadline)
                _ = try await pullImage(reference, descriptor: childDescriptor, data: childData, into: store, deadline: deadline)
            }
        } else {
            _ = try await pullImage(reference, descriptor: descriptor, data: data, into: store, deadline: deadline)
            return descriptor
        }
        try Self.store(data, descriptor: descriptor, in: store)
        return descriptor
    }

    private func pullImage(_ reference: ImageReference, descriptor: Descriptor, data: Data, into store: any BlobSink & BlobSource, deadline: OperationDeadline) async throws -> Image {
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: data, what: "manifest \(descriptor.digest) of \(reference)")
        let configurationData = try await fetchSmallBlob(reference, manifest.config, deadline: deadline)
        let configuration = try CanonicalJSON.decode(ImageConfiguration.self, from: configurationData, what: "configuration \(manifest.config.digest) of \(reference)")
        try await forEachConcurrently(manifest.layers) { layer in
            try await self.download(layer, from: reference, into: store, deadline: deadline)
        }
        try Self.store(configurationData, descriptor: manifest.config, in: store)
        try Self.store(data, descriptor: descriptor, in: store)
        return Image(manifestDescriptor: descriptor, manifest: manifest, manifestData: data, configuration: configuration, configurationData: configurationData)
    }

    /// Reads a small blob (a configuration) whole and verifies it.
    func fetchSmallBlob(_ reference: ImageReference, _ descriptor: Descriptor, deadline: OperationDeadline) async throws -> Data {
        guard descriptor.size <= 64 << 20 else {
            throw RegistryError(.transferSizeMismatch, "\(descriptor.digest) of \(reference) is \(descriptor.size) bytes, too large for a \(descriptor.mediaType)")
        }
        let request = RegistryRequest(
            method: .GET, registry: reference.apiHost, target: "/v2/\(reference.repository)/blobs/\(descriptor.digest)",
            scopes: [Self.pullScope(reference)], accepted: [200], notFound: .blobNotFound
        )
        let response = try await transport.exchange(request, deadline: deadline, limit: Int(descriptor.size))
        try Self.verify(response.body, descriptor: descriptor, what: "\(descriptor.mediaType) of \(reference)")
        return response.body
    }

    /// Streams one blob into the store, verifying digest and size; retries from the start on transient failures.
    func download(_ descriptor: Descriptor, from reference: ImageReference, into store: any BlobSink & BlobSource, deadline: OperationDeadline) async throws {
        let progress = configuration.progress
        if try await store.hasBlob(descriptor.digest) {
            progress.finished(descriptor, outcome: .alreadyPresent)
            return
        }
        progress.started(descriptor, upload: false)
        try await streamBlob(descriptor, from: reference, deadline: deadline) { response in
            let writer = try store.makeBlobWriter()
            do {
                try await Self.consume(response, descriptor: descriptor, reference: reference, progress: progress) { bytes in
                    try writer.write(bytes)
                }
                _ = try writer.commit(expected: (descriptor.digest, descriptor.size))
            } catch {
                writer.abort()
                throw error
            }
        }
        progress.finished(descriptor, outcome: .downloaded)
    }

    /// GETs a blob and hands the response to `consume`, retrying the whole transfer on transient failures.
    func streamBlob(_ descriptor: Descriptor, from reference: ImageReference, deadline: OperationDeadline, consume: (HTTPClientResponse) async throws -> Void) async throws {
        let request = RegistryRequest(
            method: .GET, registry: reference.apiHost, target: "/v2/\(reference.repository)/blobs/\(descriptor.digest)",
            scopes: [Self.pullScope(reference)], accepted: [200], notFound: .blobNotFound
        )
        try await transport.withRetries(request.summary, registry: reference.apiHost, deadline: deadline) {
            let response = try await transport.attempt(request, deadline: deadline)
            try await consume(response)
        }
    }

    /// Reads a blob response, checking size and digest as bytes pass, and hands each chunk to `sink`.
    /// A connection lost midway is a ``TransientFailure``.
    static func consume(_ response: HTTPClientResponse, descriptor: Descriptor, reference: ImageReference, progress: any TransferProgress, sink: (UnsafeRawBufferPointer) throws -> Void) async throws {
        var hasher = DigestHasher()
        var count: Int64 = 0
        do {
            for try await buffer in response.body {
                count += Int64(buffer.readableBytes)
                guard count <= descriptor.size else {
                    throw RegistryError(.transferSizeMismatch, "\(descriptor.digest) from \(reference.name) is larger than the \(descriptor.size) bytes its descriptor says")
                }
                try buffer.withUnsafeReadableBytes { bytes in
                    hasher.update(bytes)
                    try sink(bytes)
                }
                progress.advanced(descriptor.digest, by: buffer.readableBytes)
            }
        } catch let error as RegistryError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw RegistryError(.timedOut, "the time bound ran out while downloading \(descriptor.digest) from \(reference.name)")
        } catch {
            throw TransientFailure(lastAnswer: "connection lost while downloading \(descriptor.digest.shortForm): \(error)")
        }
        guard count == descriptor.size else {
            throw RegistryError(.transferSizeMismatch, "\(descriptor.digest) from \(reference.name) is \(count) bytes, its descriptor says \(descriptor.size)")
        }
        let actual = hasher.finalize()
        guard descriptor.digest.algorithm != "sha256" || actual == descriptor.digest else {
            throw RegistryError(.transferDigestMismatch, "\(reference.name) sent \(actual) when asked for \(descriptor.digest)")
        }
    }

    static func verify(_ data: Data, descriptor: Descriptor, what: String) throws {
        guard Int64(data.count) == descriptor.size else {
            throw RegistryError(.transferSizeMismatch, "\(what) \(descriptor.digest) is \(data.count) bytes, its descriptor says \(descriptor.size)")
        }
        let actual = Digest.sha256(of: data)
        guard descriptor.digest.algorithm != "sha256" || actual == descriptor.digest else {
            throw RegistryError(.transferDigestMismatch, "\(what) has digest \(actual), expected \(descriptor.digest)")
        }
    }

    /// Writes small verified bytes into the store unless it has them.
    static func store(_ data: Data, descriptor: Descriptor, in store: any BlobSink & BlobSource) throws {
        let writer = try store.makeBlobWriter()
        do {
            try data.withUnsafeBytes { try writer.write($0) }
            _ = try writer.commit(expected: (descriptor.digest, descriptor.size))
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Runs `body` for each element, at most ``RegistryConfiguration/maximumConcurrentTransfers`` at once.
    func forEachConcurrently<Element: Sendable>(_ elements: [Element], _ body: @escaping @Sendable (Element) async throws -> Void) async throws {
        let limit = configuration.maximumConcurrentTransfers
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = elements.makeIterator()
            var running = 0
            while running < limit, let element = iterator.next() {
                group.addTask { try await body(element) }
                running += 1
            }
            while try await group.next() != nil {
                if let element = iterator.next() {
                    group.addTask { try await body(element) }
                }
            }
        }
    }
}

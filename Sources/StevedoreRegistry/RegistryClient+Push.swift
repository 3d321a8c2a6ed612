import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import StevedoreCore
import StevedoreGitHub

extension RegistryClient {
    /// Pushes images: blobs first (each checked with `HEAD` and skipped when present, mounted when it came
    /// from another repository of the registry, else uploaded), largest first and several at once; then the
    /// manifests; then the index, if any; each tag last. An interrupted push never leaves a tag pointing at
    /// missing content.
    ///
    /// - Throws: ``StevedoreError``; ``StevedoreError`` for an invalid tag.
    public func push(_ request: PushRequest) async throws -> PushResult {
        guard !request.images.isEmpty else {
            throw StevedoreError(.unsupported, "nothing to push to \(request.target)")
        }
        guard request.images.count == 1 || request.indexData != nil else {
            throw StevedoreError(.unsupported, "pushing \(request.images.count) images to \(request.target) needs the index that lists them")
        }
        let deadline = makeDeadline()
        let target = request.target
        let origins = request.mountableOrigins
        var scopes: [RegistryScope] = [.pullPush(target.repository)]
        for origin in Set(origins.values.map(\.repository)).sorted() { scopes.append(.pull(origin)) }
        let blobs = request.content.blobs
        let blobScopes = scopes

        let counter = PushCounter()
        try await forEachConcurrently(blobs) { descriptor in
            let outcome = try await self.pushBlob(descriptor, target: request.target, blobs: request.blobs, origin: origins[descriptor.digest], scopes: blobScopes, deadline: deadline)
            await counter.add(outcome, bytes: outcome == .uploaded ? descriptor.size : 0)
        }

        let tags = request.tags
        let rootDigest: Digest
        if let indexData = request.indexData {
            for image in request.images {
                try await putManifest(image.manifestData, mediaType: image.manifestDescriptor.mediaType, digest: image.manifestDescriptor.digest, reference: image.manifestDescriptor.digest.description, target: target, scopes: scopes, deadline: deadline)
            }
            let digest = Digest.sha256(of: indexData)
            let mediaType = MediaType.declared(in: indexData) ?? .ociIndex
            for reference in tags.isEmpty ? [digest.description] : tags {
                try await putManifest(indexData, mediaType: mediaType, digest: digest, reference: reference, target: target, scopes: scopes, deadline: deadline)
            }
            rootDigest = digest
        } else {
            let image = request.images[0]
            let digest = image.manifestDescriptor.digest
            for reference in tags.isEmpty ? [digest.description] : tags {
                try await putManifest(image.manifestData, mediaType: image.manifestDescriptor.mediaType, digest: digest, reference: reference, target: target, scopes: scopes, deadline: deadline)
            }
            rootDigest = digest
        }
        let counts = await counter.counts
        var pinned = ImageReference(registry: target.registry, repository: target.repository, tag: tags.first)
        pinned.digest = rootDigest
        return PushResult(
            digest: rootDigest, reference: pinned, tags: tags,
            uploadedBlobs: counts.uploaded, mountedBlobs: counts.mounted, existingBlobs: counts.existing, uploadedBytes: counts.bytes
        )
    }

    // MARK: Blobs

    func pushBlob(_ descriptor: Descriptor, target: ImageReference, blobs: any BlobSource, origin: ImageReference?, scopes: [RegistryScope], deadline: OperationDeadline) async throws -> BlobOutcome {
        let registry = target.apiHost
        let progress = configuration.progress
        let blobPath = "/v2/\(target.repository)/blobs/\(descriptor.digest)"
        let head = try await transport.exchange(
            RegistryRequest(method: .HEAD, registry: registry, target: blobPath, scopes: scopes, accepted: [200, 404]),
            deadline: deadline
        )
        if head.status == 200 {
            progress.finished(descriptor, outcome: .alreadyPresent)
            return .alreadyPresent
        }
        var pendingLocation: String?
        if let origin {
            let from = origin.repository.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? origin.repository
            let mount = try await transport.exchange(
                RegistryRequest(
                    method: .POST, registry: registry, target: "/v2/\(target.repository)/blobs/uploads/?mount=\(descriptor.digest)&from=\(from)",
                    scopes: scopes, accepted: [201, 202]
                ),
                deadline: deadline
            )
            if mount.status == 201 {
                progress.finished(descriptor, outcome: .mounted)
                return .mounted
            }
            pendingLocation = mount.headers.first(name: "Location")
        }
        // A mount the registry declined (202, e.g. no pull right on the origin) becomes an upload; a layer that
        // was never downloaded (a base to be mounted) streams from its origin then, as go-containerregistry does.
        let source: any BlobSource
        if let origin, !(try await blobs.hasBlob(descriptor.digest)) {
            source = RegistryImageSource(client: self, reference: origin)
        } else {
            source = blobs
        }
        progress.started(descriptor, upload: true)
        var chunked = configuration.alwaysUploadInChunks
            || GitHubContainerRegistry.requiresChunkedUpload(registry: registry, size: descriptor.size, chunkSize: configuration.chunkSize)
        try await transport.withRetries("upload of \(descriptor.digest.shortForm) to \(target.name)", registry: registry, deadline: deadline) {
            let location: String
            if let pending = pendingLocation {
                location = pending
                pendingLocation = nil
            } else {
                location = try await startUpload(target: target, scopes: scopes, deadline: deadline)
            }
            if !chunked {
                let refused = try await uploadWhole(descriptor, source: source, location: location, target: target, scopes: scopes, deadline: deadline)
                guard refused else { return }
                configuration.logger.debug("streamed PUT refused, uploading in chunks", metadata: ["registry": "\(registry)"])
                chunked = true
                let fresh = try await startUpload(target: target, scopes: scopes, deadline: deadline)
                try await uploadChunks(descriptor, source: source, location: fresh, target: target, scopes: scopes, deadline: deadline)
            } else {
                try await uploadChunks(descriptor, source: source, location: location, target: target, scopes: scopes, deadline: deadline)
            }
        }
        progress.finished(descriptor, outcome: .uploaded)
        return .uploaded
    }

    /// `POST /v2/NAME/blobs/uploads/`: the upload's `Location`.
    private func startUpload(target: ImageReference, scopes: [RegistryScope], deadline: OperationDeadline) async throws -> String {
        let response = try await transport.response(
            RegistryRequest(method: .POST, registry: target.apiHost, target: "/v2/\(target.repository)/blobs/uploads/", scopes: scopes, accepted: [202]),
            deadline: deadline
        )
        guard let location = response.headers.first(name: "Location"), !location.isEmpty else {
            throw StevedoreError(.invalidResponse, "\(target.registry) started an upload without a Location header")
        }
        return location
    }

    /// The blob in one streamed `PUT`. Returns `true` when the registry refuses such uploads.
    private func uploadWhole(_ descriptor: Descriptor, source: any BlobSource, location: String, target: ImageReference, scopes: [RegistryScope], deadline: OperationDeadline) async throws -> Bool {
        let url = RegistryTransport.appendingQuery(location, name: "digest", value: descriptor.digest.description)
        let response = try await transport.response(
            RegistryRequest(
                method: .PUT, registry: target.apiHost, target: url,
                headers: [("Content-Type", "application/octet-stream")],
                body: .blob(descriptor, source, configuration.progress),
                scopes: scopes, accepted: [201, 405, 411, 413, 416, 501]
            ),
            deadline: deadline
        )
        if response.status != 201 { return true }
        try checkDigestHeader(response.headers, descriptor.digest, target: target, what: "blob")
        return false
    }

    /// The blob in `PATCH` chunks of at most ``RegistryConfiguration/chunkSize`` bytes, then `PUT ?digest=`.
    private func uploadChunks(_ descriptor: Descriptor, source: any BlobSource, location: String, target: ImageReference, scopes: [RegistryScope], deadline: OperationDeadline) async throws {
        let chunkSize = configuration.chunkSize
        let progress = configuration.progress
        var location = location
        var offset: Int64 = 0
        var buffer = ByteBufferAllocator().buffer(capacity: chunkSize)
        func send() async throws {
            let length = Int64(buffer.readableBytes)
            let response = try await transport.response(
                RegistryRequest(
                    method: .PATCH, registry: target.apiHost, target: location,
                    headers: [("Content-Type", "application/octet-stream"), ("Content-Range", "\(offset)-\(offset + length - 1)")],
                    body: .chunk(buffer), scopes: scopes, accepted: [202]
                ),
                deadline: deadline
            )
            guard let next = response.headers.first(name: "Location"), !next.isEmpty else {
                throw StevedoreError(.invalidResponse, "\(target.registry) accepted a chunk without a Location header")
            }
            location = next
            progress.advanced(descriptor.digest, by: Int(length))
            offset += length
            buffer.clear()
        }
        try await source.readBlob(descriptor) { chunk in
            var start = 0
            while start < chunk.count {
                let take = min(chunkSize - buffer.readableBytes, chunk.count - start)
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: chunk[start..<(start + take)]))
                start += take
                if buffer.readableBytes == chunkSize { try await send() }
            }
        }
        if buffer.readableBytes > 0 { try await send() }
        guard offset == descriptor.size else {
            throw StevedoreError(.transferSizeMismatch, "\(descriptor.digest) is \(offset) bytes in the source, its descriptor says \(descriptor.size)")
        }
        let url = RegistryTransport.appendingQuery(location, name: "digest", value: descriptor.digest.description)
        let response = try await transport.response(
            RegistryRequest(method: .PUT, registry: target.apiHost, target: url, scopes: scopes, accepted: [201]),
            deadline: deadline
        )
        try checkDigestHeader(response.headers, descriptor.digest, target: target, what: "blob")
    }

    // MARK: Manifests

    /// PUTs a manifest or index under `reference` (a tag or its digest) and returns the answer's headers.
    @discardableResult
    func putManifest(_ data: Data, mediaType: MediaType, digest: Digest, reference: String, target: ImageReference, scopes: [RegistryScope], deadline: OperationDeadline) async throws -> HTTPHeaders {
        let response = try await transport.exchange(
            RegistryRequest(
                method: .PUT, registry: target.apiHost, target: "/v2/\(target.repository)/manifests/\(reference)",
                headers: [("Content-Type", mediaType.rawValue)], body: .bytes(data), scopes: scopes, accepted: [200, 201]
            ),
            deadline: deadline
        )
        try checkDigestHeader(response.headers, digest, target: target, what: "manifest", content: data)
        return response.headers
    }

    /// Checks the `Docker-Content-Digest` a registry answered an upload with. A digest of the same algorithm
    /// must be equal; one of another algorithm is checked against `content` when the bytes are at hand (a
    /// manifest), else left to the registry, which verified the upload against the `digest=` it was given.
    private func checkDigestHeader(_ headers: HTTPHeaders, _ digest: Digest, target: ImageReference, what: String, content: Data? = nil) throws {
        guard let header = headers.first(name: "Docker-Content-Digest"), !header.isEmpty else { return }
        guard let announced = try? Digest(parsing: header) else {
            throw StevedoreError(.invalidResponse, "\(target.registry) answered with an invalid Docker-Content-Digest '\(RegistryErrorBody.printable(header))'")
        }
        if announced.algorithm != digest.algorithm, let content {
            guard announced.matches(content) else {
                throw StevedoreError(.transferDigestMismatch, "\(target.registry) stored the \(what) \(digest) as \(announced); the upload was corrupted")
            }
            return
        }
        guard announced.algorithm != digest.algorithm || announced == digest else {
            throw StevedoreError(.transferDigestMismatch, "\(target.registry) stored the \(what) \(digest) as \(announced); the upload was corrupted")
        }
    }
}

/// Counts blob outcomes across concurrent uploads.
actor PushCounter {
    private(set) var counts = (uploaded: 0, mounted: 0, existing: 0, bytes: Int64(0))

    func add(_ outcome: BlobOutcome, bytes: Int64) {
        switch outcome {
        case .uploaded: counts.uploaded += 1
        case .mounted: counts.mounted += 1
        case .alreadyPresent: counts.existing += 1
        case .downloaded: break
        }
        counts.bytes += bytes
    }
}

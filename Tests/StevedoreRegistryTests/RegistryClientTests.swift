import Foundation
import StevedoreAuth
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry
import StevedoreTestSupport
import Testing

/// The registry client against a real docker-registry: faults, time bound, chunked uploads, indexes,
/// token caching, `HEAD` checks and lazy reading.
@Suite(.dedicatedThread)
struct RegistryClientTests {
    static func makeClient(_ env: RegistryTestEnvironment, timeBound: Double = 120, chunks: Bool = false, user: String? = nil, password: String? = nil) throws -> RegistryClient {
        let home = env.directory.appending("client-home")
        var explicit: (registry: String?, credential: Credential)?
        if env.needsCredentials {
            explicit = (nil, Credential(username: user ?? env.user, secret: password ?? env.password, origin: "test"))
        }
        return try RegistryClient(configuration: RegistryConfiguration(
            credentials: CredentialResolver(explicit: explicit, environment: [:], homeDirectory: home),
            caFile: env.certificates?.caCertificate,
            retryPolicy: RetryPolicy(maximumAttempts: 8, initialDelay: 0.1, maximumDelay: 1),
            timeout: timeBound,
            chunkSize: 64 << 10,
            alwaysUploadInChunks: chunks,
            environment: [:]
        ))
    }

    @Test("503s, a reset in the middle of a blob upload and a 429 with Retry-After: the push completes and verifies")
    func pushThroughFaults() async throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let source = env.directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(randomFiles: ["big.bin": 3_000_000]), .init(files: ["a.txt": "a\n"])])
        let bigLayer = image.manifest.layers[0].digest
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [
            .status(503, method: "HEAD", pathContains: "/blobs/", times: 2),
            .status(503, method: "POST", pathContains: "/blobs/uploads/", times: 2),
            .reset(method: "PUT", pathContains: "digest=\(bigLayer)", times: 1),
            .status(429, method: "PUT", pathContains: "/manifests/", times: 1, retryAfter: "1"),
        ])
        defer { proxy.stop() }
        let client = try Self.makeClient(env)
        let started = ContinuousClock.now
        let result: PushResult
        do {
            result = try await client.push(PushRequest(
                image: image, blobs: try OCILayout(path: source, create: false).store,
                target: ImageReference(registry: proxy.address, repository: "team/app", tag: "v1")
            ))
        } catch {
            try? await client.shutdown()
            Issue.record("push failed: \(error)\n\(proxy.log)")
            return
        }
        let elapsed = ContinuousClock.now - started
        #expect(result.digest == image.manifestDescriptor.digest)
        #expect(elapsed >= .seconds(1), "Retry-After: 1 was not honoured")
        // The proxy logs a request after answering it: give it a moment.
        for _ in 0..<50 where !proxy.log.contains("PUT /v2/team/app/manifests/v1 -> 201") {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(proxy.faultCount == 6, "\(proxy.log)")
        #expect(proxy.log.contains("digest=\(bigLayer) -> FAULT reset after "), "\(proxy.log)")
        #expect(proxy.log.contains("PUT /v2/team/app/manifests/v1 -> 201"), "\(proxy.log)")

        // Pulled straight from the registry, every blob verifies.
        let pulled = try await ImageTransfer.copy(
            from: RegistryImageSource(client: client, reference: ImageReference(registry: env.address, repository: "team/app", tag: "v1")),
            to: try OCILayout(path: env.directory.appending("pulled")).destination(tags: [])
        )
        try await client.shutdown()
        #expect(pulled.digest == image.manifestDescriptor.digest)
        #expect(try env.skopeoDigest("\(env.address)/team/app:v1") == image.manifestDescriptor.digest.description)
    }

    @Test("chunked uploads: PATCH chunks within the limit, then PUT with the digest appended to the Location's query")
    func chunkedUpload() async throws {
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        let source = env.directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(randomFiles: ["big.bin": 400_000]), .init(files: ["a.txt": "a\n"])])
        let client = try Self.makeClient(env, chunks: true)
        let result = try await client.push(PushRequest(
            image: image, blobs: try OCILayout(path: source, create: false).store,
            target: ImageReference(registry: env.address, repository: "team/chunked", tag: "v1")
        ))
        try await client.shutdown()
        #expect(result.digest == image.manifestDescriptor.digest)
        let largest = image.manifest.layers.map(\.size).max() ?? 0
        #expect(env.registry.requestCount(method: "PATCH", uriContaining: "/v2/team/chunked/blobs/uploads/", status: 202) >= Int(largest / (64 << 10)))
        // One token serves the whole push (counted before skopeo asks for its own).
        let issued = env.tokenServer?.log.split(separator: "\n").filter { $0.contains("token issued") }.count ?? 0
        #expect(issued == 1, "\(env.tokenServer?.log ?? "")")
        #expect(try env.skopeoDigest("\(env.address)/team/chunked:v1") == image.manifestDescriptor.digest.description)
    }

    @Test("re-pushing uploads nothing; HEAD finds tags; the registry reads back as an image source")
    func rePushAndLookups() async throws {
        let env = try RegistryTestEnvironment(.basicTLS)
        defer { env.stop() }
        let source = env.directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(randomFiles: ["b.bin": 200_000]), .init(files: ["a.txt": "a\n"])])
        let client = try Self.makeClient(env)
        let target = ImageReference(registry: env.address, repository: "team/app", tag: "v1")
        let store = try OCILayout(path: source, create: false).store
        let first = try await client.push(PushRequest(image: image, blobs: store, target: target, additionalTags: [try ImageTag("v1"), try ImageTag("stable")]))
        #expect(first.uploadedBlobs == 3)
        #expect(first.tags == ["v1", "stable"])
        let second = try await client.push(PushRequest(image: image, blobs: store, target: target))
        #expect(second.uploadedBlobs == 0)
        #expect(second.existingBlobs == 3)
        #expect(second.pinnedReference == "\(env.address)/team/app:v1@\(image.manifestDescriptor.digest)")

        let found = try await client.manifestDescriptor(of: target.with(tag: "stable"))
        #expect(found?.digest == image.manifestDescriptor.digest)
        #expect(found?.mediaType == .ociManifest)
        #expect(try await client.manifestDescriptor(of: target.with(tag: "missing")) == nil)

        let remote = RegistryImageSource(client: client, reference: target)
        let loaded = try await remote.loadImage(platform: nil)
        #expect(loaded.manifestData == image.manifestData)
        #expect(loaded.configurationData == image.configurationData)
        #expect(try await remote.hasBlob(image.manifest.layers[0].digest))
        try await client.shutdown()
    }

    @Test("an index of two platforms pushes, pulls per platform, and pulls whole")
    func multiPlatformIndex() async throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let source = env.directory.appending("source")
        let layout = try OCILayout(path: source)
        var images: [Image] = []
        for (number, platform) in [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64")].enumerated() {
            let layers = try TestLayouts.makeLayers([.init(files: ["arch.txt": "\(platform)\n", "n.txt": "\(number)\n"])], in: layout, scratch: env.directory.appending("scratch"))
            let configuration = ImageConfiguration(platform: platform, rootfs: .init(diffIDs: layers.map(\.diffID)), created: "1970-01-01T00:00:00Z")
            let image = try Image(configuration: configuration, layers: layers.map(\.descriptor))
            try layout.write(image, tag: nil)
            images.append(image)
        }
        let indexData = try CanonicalJSON.encode(ImageIndex(manifests: images.map(\.manifestDescriptor)))
        let indexDescriptor = Descriptor(mediaType: .ociIndex, digest: Digest.sha256(of: indexData), size: Int64(indexData.count))
        try layout.store.write(indexData)
        try layout.setTag("multi", for: indexDescriptor)

        // The CLI pushes the index from the layout.
        let push = try env.stevedore(["push", "oci-layout:\(source):multi", "\(env.address)/team/multi:v1"])
        #expect(push.status == 0, "\(push.output)")
        #expect(push.stdout.contains("@\(indexDescriptor.digest)"))
        #expect(try env.skopeoDigest("\(env.address)/team/multi:v1") == indexDescriptor.digest.description)

        let client = try Self.makeClient(env)
        let reference = ImageReference(registry: env.address, repository: "team/multi", tag: "v1")
        let remote = RegistryImageSource(client: client, reference: reference)
        let arm = try await ImageTransfer.copy(from: remote, to: try OCILayout(path: env.directory.appending("arm")).destination(tags: []), platform: Platform(os: "linux", architecture: "arm64"))
        #expect(arm.digest == images[1].manifestDescriptor.digest)
        let whole = try OCILayout(path: env.directory.appending("whole"))
        let root = try await ImageTransfer.copy(from: remote, to: whole.destination(tags: []))
        #expect(root.digest == indexDescriptor.digest)
        for image in images {
            for descriptor in [image.manifestDescriptor, image.manifest.config] + image.manifest.layers {
                #expect(whole.store.contains(descriptor.digest))
            }
        }
        do {
            _ = try await ImageTransfer.copy(from: remote, to: whole.destination(tags: []), platform: Platform(os: "linux", architecture: "s390x"))
            Issue.record("pulling a platform the index lacks succeeded")
        } catch let error as StevedoreError {
            #expect(error.code == .invalidPlatform)
            #expect(error.message.contains("linux/amd64, linux/arm64"))
        }
        try await client.shutdown()
    }

    @Test("a registry that refuses a streamed PUT (413) gets the blob in PATCH chunks")
    func refusedStreamedPutFallsBackToChunks() async throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let source = env.directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(randomFiles: ["big.bin": 300_000])])
        let bigLayer = image.manifest.layers[0].digest
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [
            .status(413, method: "PUT", pathContains: "digest=\(bigLayer)", times: 1),
        ])
        defer { proxy.stop() }
        let client = try Self.makeClient(env)
        let result = try await client.push(PushRequest(
            image: image, blobs: try OCILayout(path: source, create: false).store,
            target: ImageReference(registry: proxy.address, repository: "team/app", tag: "v1")
        ))
        try await client.shutdown()
        #expect(result.digest == image.manifestDescriptor.digest)
        #expect(proxy.faultCount == 1)
        #expect(env.registry.requestCount(method: "PATCH", uriContaining: "/v2/team/app/blobs/uploads/", status: 202) >= 4, "\(proxy.log)")
        #expect(try env.skopeoDigest("\(env.address)/team/app:v1") == image.manifestDescriptor.digest.description)
    }
}

import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedoreLayout

/// ``LayoutImageSource`` through ``ImageSource/loadImage(platform:)``: tags naming manifests and indexes.
struct LayoutImageSourceTests {
    /// Stores an image's configuration and manifest (no layers) and returns its descriptor with the platform.
    static func store(_ platform: String, in layout: OCILayout) throws -> Image {
        var container = ImageConfiguration.ContainerConfiguration()
        container.cmd = ["/bin/\(platform.replacingOccurrences(of: "/", with: "-"))"]
        let image = try Image(configuration: ImageConfiguration(platform: try Platform(parsing: platform), config: container), layers: [])
        try layout.store.write(image.configurationData)
        try layout.store.write(image.manifestData)
        return image
    }

    /// A buildx-style attestation manifest: platform unknown/unknown, annotated with the image it describes.
    static func attestation(for image: Image, in layout: OCILayout) throws -> Descriptor {
        let empty = try layout.store.write(Data("{}".utf8))
        let manifest = ImageManifest(config: Descriptor(mediaType: .ociEmpty, digest: empty.digest, size: empty.size), layers: [])
        let written = try layout.store.write(try CanonicalJSON.encode(manifest))
        return Descriptor(
            mediaType: .ociManifest, digest: written.digest, size: written.size,
            annotations: ["vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": image.manifestDescriptor.digest.description],
            platform: Platform(os: "unknown", architecture: "unknown")
        )
    }

    static func tagIndex(_ manifests: [Descriptor], as tag: String, in layout: OCILayout) throws {
        let written = try layout.store.write(try CanonicalJSON.encode(ImageIndex(manifests: manifests)))
        try layout.setTag(tag, for: Descriptor(mediaType: .ociIndex, digest: written.digest, size: written.size))
    }

    @Test func choosesFromAMultiPlatformIndex() async throws {
        let directory = try TemporaryDirectory("source")
        let layout = try OCILayout(path: directory.path)
        let amd64 = try Self.store("linux/amd64", in: layout)
        let arm64 = try Self.store("linux/arm64/v8", in: layout)
        try Self.tagIndex(
            [amd64.manifestDescriptor, arm64.manifestDescriptor, try Self.attestation(for: amd64, in: layout)],
            as: "multi", in: layout
        )
        let source = layout.image(tag: "multi")

        let chosen = try await source.loadImage(platform: try Platform(parsing: "linux/arm64"))
        #expect(chosen.manifestData == arm64.manifestData)
        #expect(chosen.configuration.config?.cmd == ["/bin/linux-arm64-v8"])
        #expect(try await source.loadImage(platform: try Platform(parsing: "linux/x86_64")).manifestData == amd64.manifestData)

        await #expect {
            try await source.loadImage(platform: nil)
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .invalidPlatform && error.message.contains("index of several images (linux/amd64, linux/arm64/v8); choose one with --platform")
        }
        await #expect {
            try await source.loadImage(platform: try Platform(parsing: "linux/s390x"))
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .invalidPlatform
                && error.message.contains("oci-layout:\(directory.path):multi has no image for linux/s390x (it has: linux/amd64, linux/arm64/v8)")
        }
    }

    @Test func anIndexOfOneImageAndItsAttestationNeedsNoPlatform() async throws {
        let directory = try TemporaryDirectory("source")
        let layout = try OCILayout(path: directory.path)
        let amd64 = try Self.store("linux/amd64", in: layout)
        try Self.tagIndex([amd64.manifestDescriptor, try Self.attestation(for: amd64, in: layout)], as: "single", in: layout)
        let loaded = try await layout.image(tag: "single").loadImage(platform: nil)
        #expect(loaded.manifestData == amd64.manifestData)
        #expect(loaded.configuration.platform == Platform(os: "linux", architecture: "amd64"))
    }

    @Test func aTagNamingAConfigurationIsRejected() async throws {
        let directory = try TemporaryDirectory("source")
        let layout = try OCILayout(path: directory.path)
        let image = try Self.store("linux/amd64", in: layout)
        try layout.setTag("odd", for: image.manifest.config)
        await #expect {
            try await layout.image(tag: "odd").loadImage(platform: nil)
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .invalidMediaType && error.message.contains("not an image manifest or index")
        }
    }

    @Test func aMissingManifestBlobIsNamed() async throws {
        let directory = try TemporaryDirectory("source")
        let layout = try OCILayout(path: directory.path)
        let absent = Digest.sha256(of: Array("absent manifest".utf8))
        try layout.setTag("ghost", for: Descriptor(mediaType: .ociManifest, digest: absent, size: 15))
        await #expect {
            try await layout.image(tag: "ghost").loadImage(platform: nil)
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .blobNotFound && error.message.contains(absent.description)
        }
        await #expect {
            try await layout.image(tag: "nope").loadImage(platform: nil)
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .tagNotFound && error.message.contains("(tags: ghost)")
        }
    }

    @Test func smallBlobReadsAreBoundedAndVerified() async throws {
        let directory = try TemporaryDirectory("source")
        let layout = try OCILayout(path: directory.path)
        let source = layout.image(tag: nil)
        let bytes = Data(repeating: 0x7b, count: 4096)
        let (digest, size) = try layout.store.write(bytes)

        #expect(try await source.blobData(Descriptor(mediaType: .ociConfig, digest: digest, size: size), limit: 4096) == bytes)
        // The descriptor admits to more than the limit: refused before reading.
        await #expect {
            try await source.blobData(Descriptor(mediaType: .ociConfig, digest: digest, size: size), limit: 1000)
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .sizeMismatch && error.message.contains("is 4096 bytes, more than the 1000 allowed")
        }
        // The descriptor lies about the size: reading stops at the limit.
        await #expect {
            try await source.blobData(Descriptor(mediaType: .ociConfig, digest: digest, size: 10), limit: 1000)
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .sizeMismatch && error.message.contains("larger than the 1000 bytes allowed")
        }
        // Verified reads check size and digest against the descriptor.
        await #expect {
            try await source.verifiedData(Descriptor(mediaType: .ociConfig, digest: digest, size: 4000))
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .sizeMismatch && error.message.contains("is 4096 bytes, its descriptor says 4000")
        }
        #expect(try await source.verifiedData(Descriptor(mediaType: .ociConfig, digest: digest, size: size)) == bytes)
    }
}

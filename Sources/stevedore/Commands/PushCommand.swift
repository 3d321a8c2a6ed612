import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry

/// `stevedore push`: send an image from an OCI layout to a registry.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push an image (or a multi-platform index) from an OCI layout to a registry.",
        discussion: """
            Blobs the registry has are skipped, base layers from the same registry are mounted, the rest upload \
            several at once; manifests and tags go last. Prints REF@sha256:…
            Credentials: --username with --password-stdin, STEVEDORE_REGISTRY_USERNAME/STEVEDORE_REGISTRY_PASSWORD, \
            GITHUB_TOKEN (ghcr.io), docker's config.json and credential helpers, podman's auth.json, ~/.netrc.
            """
    )

    @Argument(help: ArgumentHelp("The image: oci-layout:DIR[:TAG].", valueName: "SOURCE"))
    var source: String

    @Argument(help: ArgumentHelp("Where to push: REGISTRY/REPOSITORY[:TAG].", valueName: "REFERENCE"))
    var reference: String

    @Option(help: ArgumentHelp("Another tag to set (repeatable).", valueName: "TAG"))
    var tag: [String] = []

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        for item in tag where !ImageReference.isValidTag(item) {
            throw ValidationError("--tag '\(item)' must be letters, digits, '_', '.', '-' (at most 128, not starting with '.' or '-')")
        }
    }

    func run() async throws {
        guard case .layout(let path, let sourceTag) = try ImageLocation(parsing: source) else {
            throw ValidationError("the source must be an OCI layout, oci-layout:DIR[:TAG]; to copy from a registry use `stevedore copy`")
        }
        let target = try RegistryReferences.parse(reference)
        let layout = try OCILayout(path: path, create: false)
        let content = try await LayoutContent.load(layout, tag: sourceTag)
        let result = try await withRegistryClient(registry, explicitFor: target.registry) { client in
            var request = content.pushRequest(blobs: layout.store, target: target, additionalTags: tag)
            for image in content.images {
                request.mountSources.merge(await client.mountSources(for: image, target: target)) { first, _ in first }
            }
            return try await client.push(request)
        }
        if !registry.quiet {
            FileHandle.standardError.write(Data("pushed \(result.uploadedBlobs) blobs (\(result.uploadedBytes) bytes), mounted \(result.mountedBlobs), \(result.existingBlobs) already present\n".utf8))
        }
        try registry.report(result.pinnedReference)
    }
}

/// Parses the registry references the commands take (with or without `docker://`).
enum RegistryReferences {
    static func parse(_ text: String) throws -> ImageReference {
        guard case .registry(let reference) = try ImageLocation(parsing: text) else {
            throw ValidationError("'\(text)' is not a registry reference; expected REGISTRY/REPOSITORY[:TAG]")
        }
        return reference
    }
}

/// The images a layout tag names: one image, or an index and its images.
struct LayoutContent {
    var images: [Image]
    var indexData: Data?

    static func load(_ layout: OCILayout, tag: String?) async throws -> LayoutContent {
        let root = try layout.resolve(tag: tag)
        let source = layout.image(tag: tag)
        if root.mediaType.isIndex {
            let data = try await source.verifiedData(root)
            let index = try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index \(root.digest)")
            var images: [Image] = []
            for child in index.manifests where child.mediaType.isManifest {
                guard let platform = child.platform else {
                    throw ValidationError("the index \(root.digest) in \(layout.path) lists \(child.digest) without a platform")
                }
                images.append(try await source.loadImage(platform: platform))
            }
            guard !images.isEmpty else {
                throw ValidationError("the index \(root.digest) in \(layout.path) lists no image manifest")
            }
            return LayoutContent(images: images, indexData: data)
        }
        return LayoutContent(images: [try await source.loadImage(platform: nil)], indexData: nil)
    }

    func pushRequest(blobs: any BlobSource, target: ImageReference, additionalTags: [String]) -> PushRequest {
        if let indexData {
            return PushRequest(images: images, indexData: indexData, blobs: blobs, target: target, additionalTags: additionalTags)
        }
        return PushRequest(image: images[0], blobs: blobs, target: target, additionalTags: additionalTags)
    }
}

import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry

/// Artifacts attached to the image at a location (OCI referrers): attach one, list them, read one back.
///
/// In a registry they go through the referrers API or the referrers tag schema (see
/// ``RegistryClient/attach(_:blobs:to:)``); in an OCI layout through the referrers tag in `index.json` (see
/// ``OCILayout/attach(_:blobs:)``). A docker-archive holds none.
extension ImageLocation {
    /// The image here as a source whose referrers can be listed.
    ///
    /// - Throws: ``StevedoreError`` `unusableLocation` for a docker-archive, or a registry without a client.
    public func referrerSource(client: RegistryClient?) throws -> any ImageSource & ReferrerSource {
        switch self {
        case .layout(let path, let tag):
            return try OCILayout(path: path, create: false).image(tag: tag)
        case .dockerArchive(let path, _):
            throw StevedoreError(.unusableLocation, "docker-archive:\(path) cannot hold attached artifacts; use an OCI layout or a registry")
        case .registry(let reference):
            guard let client else { throw StevedoreError(.unusableLocation, "reading \(reference) needs a registry client") }
            return RegistryImageSource(client: client, reference: reference.withDefaultTag)
        }
    }

    /// Where artifacts attached to images here are written.
    ///
    /// - Throws: ``StevedoreError`` `unusableLocation` for a docker-archive, or a registry without a client;
    ///   `notALayout` for a layout that does not exist.
    public func referrerDestination(client: RegistryClient?) throws -> any ReferrerDestination {
        switch self {
        case .layout(let path, _):
            return LayoutImageDestination(layout: try OCILayout(path: path, create: false), tags: [])
        case .dockerArchive(let path, _):
            throw StevedoreError(.unusableLocation, "docker-archive:\(path) cannot hold attached artifacts; use an OCI layout or a registry")
        case .registry(let reference):
            guard let client else { throw StevedoreError(.unusableLocation, "writing to \(reference) needs a registry client") }
            return RegistryImageDestination(client: client, reference: reference)
        }
    }

    /// Attaches `artifact` (an SBOM, …) to the image or index here, as an OCI artifact manifest whose `subject`
    /// it is. Attaching the same artifact twice records it once.
    ///
    /// - Parameters:
    ///   - subject: the descriptor of the image or index (media type, digest, size) when the caller has it,
    ///     e.g. just after writing it; `nil` reads it from the location.
    ///   - client: the client for a registry location (it needs push rights); `nil` for a layout.
    /// - Returns: the artifact manifest's descriptor and where it was recorded.
    /// - Throws: ``StevedoreError`` `unusableLocation` for a docker-archive, the errors of reading the image
    ///   and of writing the artifact.
    @discardableResult
    public func attach(_ artifact: ReferrerArtifact, subject: Descriptor? = nil, client: RegistryClient?) async throws -> ReferrerAttachment {
        let destination = try referrerDestination(client: client)
        let resolved: Descriptor
        if let subject {
            resolved = subject
        } else {
            resolved = try await referrerSource(client: client).resolveRoot()
        }
        return try await destination.attach(try artifact.manifest(subject: resolved), blobs: artifact)
    }

    /// The image or index here and the artifacts attached to it, those of `artifactType` only when it is given.
    public func referrers(artifactType: String? = nil, client: RegistryClient?) async throws -> (subject: Descriptor, referrers: [Descriptor]) {
        let source = try referrerSource(client: client)
        let subject = try await source.resolveRoot()
        return (subject, try await source.referrers(of: subject.digest, artifactType: artifactType))
    }

    /// The artifact attached to the image here with the first of `artifactTypes` that has one (the last
    /// attached of that type), read whole: e.g. `[application/spdx+json, application/vnd.cyclonedx+json]`
    /// for its SBOM.
    ///
    /// - Throws: ``StevedoreError`` `referrerNotFound` naming the image and the types attached when none has
    ///   one of `artifactTypes`; `sizeMismatch` for a blob over `limit` bytes.
    public func attachedArtifact(artifactTypes: [String], client: RegistryClient?, limit: Int = 64 << 20) async throws -> ReferrerArtifact {
        let source = try referrerSource(client: client)
        let subject = try await source.resolveRoot()
        let referrers = try await source.referrers(of: subject.digest, artifactType: nil)
        for type in artifactTypes {
            if let found = referrers.last(where: { $0.artifactType == type && $0.mediaType.isManifest }) {
                return try await ReferrerArtifact.read(found, from: source, limit: limit)
            }
        }
        let present = Set(referrers.compactMap(\.artifactType)).sorted()
        throw StevedoreError(
            .referrerNotFound,
            "no \(artifactTypes.joined(separator: " or ")) artifact is attached to \(self) (\(subject.digest))"
                + (present.isEmpty ? "; it has no referrers" : "; its referrers are of type \(present.joined(separator: ", "))")
        )
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import StevedoreCore

/// A client of the OCI distribution API: pulls images into a blob store, pushes images from a blob source,
/// checks tags. One client keeps connections, the plain-HTTP decision and tokens for every registry it
/// talks to. Call ``shutdown()`` when done; a client released without it closes its connections in the
/// background.
public final class RegistryClient: Sendable {
    /// How the client reaches registries.
    public let configuration: RegistryConfiguration
    let transport: RegistryTransport

    /// Creates a client.
    ///
    /// - Throws: ``StevedoreError`` with code `tlsFailure` when the CA file cannot be read, `invalidProxy`
    ///   when a proxy variable of the configuration's environment is malformed.
    public init(configuration: RegistryConfiguration = RegistryConfiguration()) throws {
        self.configuration = configuration
        self.transport = try RegistryTransport(configuration: configuration)
    }

    /// Closes the connections. Call once, when the client is no longer used.
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    /// Runs `body` with a new client and shuts the client down afterwards, whatever happens.
    public static func withClient<T>(_ configuration: RegistryConfiguration, _ body: (RegistryClient) async throws -> T) async throws -> T {
        let client = try RegistryClient(configuration: configuration)
        do {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The `Accept` header for manifests: OCI and Docker v2 types.
    static let manifestAccept = MediaType.manifestTypes.map(\.rawValue).joined(separator: ", ")

    func makeDeadline() -> OperationDeadline { OperationDeadline(seconds: configuration.timeout) }

    static func pullScope(_ reference: ImageReference) -> RegistryScope { .pull(reference.repository) }

    /// The descriptor of the manifest or index `reference` names (by `HEAD`), or `nil` when the tag or digest
    /// does not exist. Used to check that a tag exists before deploying it.
    ///
    /// - Throws: ``StevedoreError`` for authentication failures, an unknown repository, or an unreachable registry.
    public func manifestDescriptor(of reference: ImageReference) async throws -> Descriptor? {
        let deadline = makeDeadline()
        let request = RegistryRequest(
            method: .HEAD, registry: reference.apiHost, target: "/v2/\(reference.repository)/manifests/\(reference.identifier)",
            headers: [("Accept", Self.manifestAccept)], scopes: [Self.pullScope(reference)], accepted: [200, 404], notFound: .manifestNotFound
        )
        let response = try await transport.exchange(request, deadline: deadline)
        guard response.status == 200 else { return nil }
        if let digestText = response.headers.first(name: "Docker-Content-Digest"), let digest = try? Digest(parsing: digestText),
           let length = response.headers.first(name: "Content-Length").flatMap(Int64.init), length > 0,
           let type = response.headers.first(name: "Content-Type").map(Self.mediaType(fromContentType:)), type.isManifest || type.isIndex {
            return Descriptor(mediaType: type, digest: digest, size: length)
        }
        // Some registries omit headers on HEAD: fetch the manifest.
        return try await fetchManifest(reference, deadline: deadline).descriptor
    }

    /// Fetches the manifest or index `reference` names, verifying its digest.
    func fetchManifest(_ reference: ImageReference, deadline: OperationDeadline) async throws -> (descriptor: Descriptor, data: Data) {
        let request = RegistryRequest(
            method: .GET, registry: reference.apiHost, target: "/v2/\(reference.repository)/manifests/\(reference.identifier)",
            headers: [("Accept", Self.manifestAccept)], scopes: [Self.pullScope(reference)], accepted: [200], notFound: .manifestNotFound
        )
        let response: RegistryResponse
        do {
            response = try await transport.exchange(request, deadline: deadline, limit: 4 << 20)
        } catch let error as StevedoreError where error.code == .manifestNotFound {
            if !(try await repositoryExists(reference, deadline: deadline)) {
                throw StevedoreError(.repositoryNotFound, "repository \(reference.repository) does not exist on \(reference.registry) (looking for \(reference))")
            }
            let what = reference.digest.map { "digest \($0)" } ?? "tag '\(reference.tag ?? "latest")'"
            throw StevedoreError(.manifestNotFound, "\(reference.name) has no \(what)")
        }
        let digest = Digest.sha256(of: response.body)
        // Every accepted algorithm is checked (go-containerregistry verifies sha512 pins the same way).
        if let wanted = reference.digest, !wanted.matches(response.body) {
            throw StevedoreError(.transferDigestMismatch, "\(reference.registry) answered \(reference) with a manifest whose digest is \(wanted.recomputed(for: response.body))")
        }
        if reference.digest == nil, let header = response.headers.first(name: "Docker-Content-Digest"),
           let announced = try? Digest(parsing: header), !announced.matches(response.body) {
            throw StevedoreError(.transferDigestMismatch, "\(reference.registry) announced \(announced) for \(reference) but sent a manifest whose digest is \(digest)")
        }
        var mediaType = MediaType.declared(in: response.body)
        if mediaType == nil, let header = response.headers.first(name: "Content-Type") {
            mediaType = Self.mediaType(fromContentType: header)
        }
        guard let mediaType, mediaType.isManifest || mediaType.isIndex else {
            throw StevedoreError(.unsupported, "\(reference) is \(mediaType?.rawValue ?? "of no known media type"), not an OCI or Docker v2 image manifest or index")
        }
        return (Descriptor(mediaType: mediaType, digest: digest, size: Int64(response.body.count)), response.body)
    }

    /// Whether the repository exists, by listing its tags (`404 NAME_UNKNOWN` when it does not).
    private func repositoryExists(_ reference: ImageReference, deadline: OperationDeadline) async throws -> Bool {
        let request = RegistryRequest(
            method: .GET, registry: reference.apiHost, target: "/v2/\(reference.repository)/tags/list?n=1",
            scopes: [Self.pullScope(reference)], accepted: [200, 404]
        )
        guard let response = try? await transport.exchange(request, deadline: deadline, limit: 1 << 20) else { return true }
        return response.status == 200
    }

    static func mediaType(fromContentType header: String) -> MediaType {
        MediaType(header.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? header)
    }
}

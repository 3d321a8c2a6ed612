import CArchive
import Foundation
import StevedoreCore

/// Writes an image as a docker-archive tarball, the format of `docker save`, which `docker load`,
/// `podman load` and `skopeo … docker-archive:` read.
///
/// The tarball has both forms Docker ≥ 25 writes: `manifest.json` + `repositories` for older loaders, and
/// `oci-layout` + `index.json` + `blobs/sha256/…` for OCI-aware ones. Layers are stored as they are in the
/// image, gzip or zstd (recompressing would change their digests); `podman load` and skopeo read zstd layers,
/// `docker load` from Docker 23 on. The file is written to a temporary name beside the target and renamed when complete, and
/// its bytes depend only on the image and the name.
public struct DockerArchiveWriter: Sendable {
    /// The tarball to write.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Writes `image` with its blobs read from `source`, named `reference` when given.
    ///
    /// - Throws: ``StevedoreError`` when the file cannot be written, or the source's error for a missing
    ///   blob; no partial file is left behind.
    public func write(_ image: Image, from source: any BlobSource, reference: ImageReference?) async throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(directory.isEmpty ? "." : directory)/.\((path as NSString).lastPathComponent).tmp-\(UUID().uuidString.prefix(8))"
        guard let archive = archive_write_new() else { throw StevedoreError(.archive, "libarchive could not start a tar writer") }
        var opened = false
        var finished = false
        defer {
            if !finished { if opened { archive_write_close(archive) }; unlink(temporary) }
            archive_write_free(archive)
        }
        try check(archive_write_set_format_pax_restricted(archive), archive)
        try check(archive_write_set_bytes_in_last_block(archive, 1), archive)
        guard archive_write_open_filename(archive, temporary) == ARCHIVE_OK else {
            throw StevedoreError(.io, "cannot write \(path): \(message(archive))")
        }
        opened = true

        let blobs = ([image.manifest.config] + image.manifest.layers + [image.manifestDescriptor])
        var seen = Set<Digest>()
        try addDirectory("blobs", archive)
        try addDirectory("blobs/sha256", archive)
        for blob in blobs.sorted(by: { $0.digest < $1.digest }) where seen.insert(blob.digest).inserted {
            try addHeader("blobs/sha256/\(blob.digest.encoded)", size: blob.size, archive)
            var written: Int64 = 0
            if blob.digest == image.manifestDescriptor.digest {
                try image.manifestData.withUnsafeBytes { try writeData($0, archive) }
                written = Int64(image.manifestData.count)
            } else {
                try await source.readBlob(blob) { chunk in
                    written += Int64(chunk.count)
                    guard written <= blob.size else {
                        throw StevedoreError(.io, "blob \(blob.digest) is larger than its descriptor's \(blob.size) bytes")
                    }
                    try writeData(chunk, archive)
                }
            }
            guard written == blob.size else {
                throw StevedoreError(.io, "blob \(blob.digest) is \(written) bytes, its descriptor says \(blob.size)")
            }
        }
        for (name, data) in try metadataFiles(image, reference: reference) {
            try addHeader(name, size: Int64(data.count), archive)
            try data.withUnsafeBytes { try writeData($0, archive) }
        }
        guard archive_write_close(archive) == ARCHIVE_OK else {
            throw StevedoreError(.io, "cannot finish \(path): \(message(archive))")
        }
        opened = false
        guard rename(temporary, path) == 0 else {
            throw StevedoreError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        finished = true
    }

    /// `index.json`, `manifest.json`, `oci-layout` and `repositories`, in name order.
    private func metadataFiles(_ image: Image, reference: ImageReference?) throws -> [(String, Data)] {
        var descriptor = image.manifestDescriptor
        descriptor.platform = nil
        var repoTags: [String] = []
        var repositories: [String: [String: String]] = [:]
        if let reference = reference?.withDefaultTag, let tag = reference.tag {
            let familiar = Self.familiarName(reference)
            repoTags = ["\(familiar):\(tag)"]
            repositories[familiar] = [tag: image.manifestDescriptor.digest.encoded]
            descriptor.annotations = [
                AnnotationKey.containerdImageName: "\(reference.name):\(tag)",
                AnnotationKey.refName: tag,
            ]
        }
        let manifestEntry = DockerManifestEntry(
            config: "blobs/sha256/\(image.manifest.config.digest.encoded)",
            repoTags: repoTags,
            layers: image.manifest.layers.map { "blobs/sha256/\($0.digest.encoded)" }
        )
        return [
            ("index.json", try CanonicalJSON.encode(ImageIndex(manifests: [descriptor]))),
            ("manifest.json", try CanonicalJSON.encode([manifestEntry])),
            ("oci-layout", Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8)),
            ("repositories", try CanonicalJSON.encode(repositories)),
        ]
    }

    /// The short name Docker shows: `docker.io/library/x` → `x`, `docker.io/o/x` → `o/x`.
    static func familiarName(_ reference: ImageReference) -> String {
        guard reference.registry == ImageReference.dockerHub else { return reference.name }
        if reference.repository.hasPrefix("library/"), reference.repository.split(separator: "/").count == 2 {
            return String(reference.repository.dropFirst("library/".count))
        }
        return reference.repository
    }

    private func addDirectory(_ name: String, _ archive: OpaquePointer) throws {
        try addEntry(name, type: 0o040000, mode: 0o755, size: 0, archive)
    }

    private func addHeader(_ name: String, size: Int64, _ archive: OpaquePointer) throws {
        try addEntry(name, type: 0o100000, mode: 0o644, size: size, archive)
    }

    private func addEntry(_ name: String, type: UInt32, mode: UInt32, size: Int64, _ archive: OpaquePointer) throws {
        guard let entry = archive_entry_new() else { throw StevedoreError(.archive, "libarchive could not allocate an entry") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, mode_t(mode))
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, 0, 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        guard archive_write_header(archive, entry) == ARCHIVE_OK else {
            throw StevedoreError(.io, "cannot write \(path): \(message(archive))")
        }
    }

    private func writeData(_ bytes: UnsafeRawBufferPointer, _ archive: OpaquePointer) throws {
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = archive_write_data(archive, base + offset, bytes.count - offset)
            guard written > 0 else { throw StevedoreError(.io, "cannot write \(path): \(message(archive))") }
            offset += written
        }
    }

    private func check(_ status: Int32, _ archive: OpaquePointer) throws {
        guard status == ARCHIVE_OK else { throw StevedoreError(.archive, "libarchive: \(message(archive))") }
    }

    private func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
    }
}

/// One entry of a docker-archive's `manifest.json`.
struct DockerManifestEntry: Codable {
    var config: String
    var repoTags: [String]
    var layers: [String]

    enum CodingKeys: String, CodingKey {
        case config = "Config"
        case repoTags = "RepoTags"
        case layers = "Layers"
    }
}

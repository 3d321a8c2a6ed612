import Foundation
import StevedoreCore

/// The file `push-image` writes after a push: one line `REF@sha256:…`, e.g.
/// `ghcr.io/owner/repo:0123…@sha256:abcd…`.
public struct PushedImageRecord: Hashable, Sendable {
    /// The pushed reference, with its tag and without the digest.
    public var reference: ImageReference
    /// The digest of the pushed manifest or index.
    public var digest: Digest

    /// Where `push-image` writes the record, relative to the package directory.
    public static let defaultPath = ".build/stevedore/pushed-image"

    /// Creates a record.
    public init(reference: ImageReference, digest: Digest) {
        var reference = reference
        reference.digest = nil
        self.reference = reference
        self.digest = digest
    }

    /// Parses the one line of the file.
    ///
    /// - Throws: ``StevedoreError`` `invalidPushedImageFile` unless the text is one reference with a tag and a digest.
    public init(parsing text: String, file: String = defaultPath) throws {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let reference: ImageReference
        do {
            reference = try ImageReference(parsing: line)
        } catch let error as StevedoreError {
            throw StevedoreError(.invalidPushedImageFile, "\(file) should hold one line REGISTRY/REPOSITORY:TAG@sha256:…, but: \(error.message); push again to rewrite it")
        }
        guard reference.tag != nil, let digest = reference.digest, !line.contains("\n") else {
            throw StevedoreError(.invalidPushedImageFile, "\(file) should hold one line REGISTRY/REPOSITORY:TAG@sha256:…, but holds '\(line)'; push again to rewrite it")
        }
        self.init(reference: reference, digest: digest)
    }

    /// Reads the record at `path` (relative to `packageDirectory`, or absolute); `nil` when there is no file.
    public static func read(at path: String = defaultPath, packageDirectory: String) throws -> PushedImageRecord? {
        let absolute = KamalConfiguration.absolute(path, in: packageDirectory)
        guard let data = FileManager.default.contents(atPath: absolute) else { return nil }
        return try PushedImageRecord(parsing: String(decoding: data, as: UTF8.self), file: path)
    }

    /// The line to write: `REF@digest` and a newline.
    public var line: String { "\(reference.with(digest: digest))\n" }
}

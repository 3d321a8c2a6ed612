import Foundation
import StevedoreCore

/// A readable account of a multi-platform image: the index and, per platform, its image.
public struct IndexSummary: Sendable {
    public var name: String
    public var content: ImageContent

    public init(name: String, content: ImageContent) { (self.name, self.content) = (name, content) }

    /// The summary as aligned text lines, one per platform.
    public var text: String {
        var lines = [
            "Image".padding(toLength: 14, withPad: " ", startingAt: 0) + name,
            "Digest".padding(toLength: 14, withPad: " ", startingAt: 0) + content.rootDescriptor.digest.description,
            "Media type".padding(toLength: 14, withPad: " ", startingAt: 0) + content.rootDescriptor.mediaType.rawValue,
            "Platforms (\(content.images.count); show one with --platform)",
        ]
        for image in content.images {
            let size = image.manifest.layers.reduce(Int64(0)) { $0 + $1.size }
            let platform = image.configuration.platform.description.padding(toLength: 16, withPad: " ", startingAt: 0)
            lines.append("  \(platform)\(image.manifestDescriptor.digest)  \(image.manifest.layers.count) layers, \(ImageSummary.size(size))")
        }
        let index = content.indexData.flatMap { try? CanonicalJSON.decode(ImageIndex.self, from: $0, what: "index") }
        lines += ImageSummary.annotationLines(index?.annotations)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The index and each platform's manifest digest as one JSON document.
    public func json() throws -> Data {
        struct Platform: Encodable {
            var platform: String
            var digest: Digest
            var layers: Int
        }
        struct Document: Encodable {
            var name: String
            var digest: Digest
            var index: ImageIndex
            var platforms: [Platform]
        }
        let index = try CanonicalJSON.decode(ImageIndex.self, from: content.indexData ?? Data(), what: "index")
        let platforms = content.images.map { Platform(platform: $0.configuration.platform.description, digest: $0.manifestDescriptor.digest, layers: $0.manifest.layers.count) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(Document(name: name, digest: content.rootDescriptor.digest, index: index, platforms: platforms))
    }
}

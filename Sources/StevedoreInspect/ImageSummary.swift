import Foundation
import StevedoreCore

/// A readable account of an image: platform, digests, layers with sizes, and how it runs.
public struct ImageSummary: Sendable {
    public var name: String
    public var image: Image

    public init(name: String, image: Image) { (self.name, self.image) = (name, image) }

    /// The summary as aligned text lines.
    public var text: String {
        let configuration = image.configuration
        let container = configuration.config ?? ImageConfiguration.ContainerConfiguration()
        var lines: [String] = []
        func field(_ label: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value)
        }
        field("Image", name)
        field("Digest", image.manifestDescriptor.digest.description)
        field("Media type", image.manifestDescriptor.mediaType.rawValue)
        field("Platform", configuration.platform.description)
        field("Created", configuration.created)
        field("Config", image.manifest.config.digest.description)
        field("Entrypoint", container.entrypoint.map(Self.argv))
        field("Cmd", container.cmd.map(Self.argv))
        field("User", container.user)
        field("WorkingDir", container.workingDir)
        field("StopSignal", container.stopSignal)
        field("Ports", container.exposedPorts.map { $0.keys.sorted().joined(separator: ", ") })
        field("Volumes", container.volumes.map { $0.keys.sorted().joined(separator: ", ") })
        if let env = container.env, !env.isEmpty {
            lines.append("Env")
            lines += env.map { "  \($0)" }
        }
        if let labels = container.labels, !labels.isEmpty {
            lines.append("Labels")
            lines += labels.sorted { $0.key < $1.key }.map { "  \($0.key)=\($0.value)" }
        }
        lines += Self.annotationLines(image.manifest.annotations)
        let total = image.manifest.layers.reduce(Int64(0)) { $0 + $1.size }
        lines.append("Layers (\(image.manifest.layers.count), \(Self.size(total)) compressed)")
        let history = (configuration.history ?? []).filter { $0.emptyLayer != true }
        for (index, layer) in image.manifest.layers.enumerated() {
            let createdBy = index < history.count ? history[index].createdBy ?? "" : ""
            let size = Self.size(layer.size).padding(toLength: 10, withPad: " ", startingAt: 0)
            lines.append("  \(index + 1). \(layer.digest.encoded.prefix(12))  \(size)  \(createdBy)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The manifest and configuration as one JSON document.
    public func json() throws -> Data {
        struct Document: Encodable {
            var name: String
            var digest: Digest
            var manifest: ImageManifest
            var config: ImageConfiguration
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(Document(name: name, digest: image.manifestDescriptor.digest, manifest: image.manifest, config: image.configuration))
    }

    /// `Annotations` and one indented `KEY=VALUE` line each, sorted; nothing when there are none.
    static func annotationLines(_ annotations: [String: String]?) -> [String] {
        guard let annotations, !annotations.isEmpty else { return [] }
        return ["Annotations"] + annotations.sorted { $0.key < $1.key }.map { "  \($0.key)=\($0.value)" }
    }

    static func argv(_ arguments: [String]) -> String {
        "[" + arguments.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    /// A size in bytes as B, KB, MB or GB (powers of 1000, one decimal).
    public static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

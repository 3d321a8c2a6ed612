import Foundation
import StevedoreCore

/// A built executable product of a Swift package, as the `build-image` and `push-image` plugins hand it over: where
/// its image goes by default, and what to tell the user about it. The built executables themselves (one per
/// platform) travel in the build request.
public struct PackageImageRequest: Hashable, Sendable {
    /// The directory of the package (the root of the user's package).
    public var packageDirectory: String
    /// The name of the executable product.
    public var product: String
    /// SwiftPM resource bundle directories (`<Package>_<Target>.resources`) the executable loads with `Bundle.module`.
    public var resourceBundles: [String]
    /// `--output` locations as given; empty for the default layout under `.build/stevedore/`.
    public var outputs: [ImageLocation]

    /// Creates a request.
    public init(
        packageDirectory: String,
        product: String,
        resourceBundles: [String] = [],
        outputs: [ImageLocation] = []
    ) {
        self.packageDirectory = packageDirectory
        self.product = product
        self.resourceBundles = resourceBundles
        self.outputs = outputs
    }

    /// The directory in the image that holds the executable; resource bundles go beside it, where the
    /// `Bundle.module` accessor SwiftPM generates looks first (`Bundle.main.bundleURL`, the executable's directory).
    public static let executableDirectory = "/usr/local/bin"

    /// The default OCI layout: `<package>/.build/stevedore/oci/<product>`.
    public var defaultLayoutDirectory: String {
        URL(fileURLWithPath: packageDirectory).appendingPathComponent(".build/stevedore/oci/\(product)").path
    }

    /// Where the pushed reference is written: `<package>/.build/stevedore/pushed-image`.
    public var pushedImageFile: String {
        URL(fileURLWithPath: packageDirectory).appendingPathComponent(".build/stevedore/pushed-image").path
    }

    /// Where a pushed image's SBOM is written when no `--sbom-output` names a file (the generated workflow's
    /// `actions/attest-sbom` step reads it): `<package>/.build/stevedore/sbom/<product>.<extension>`, e.g.
    /// `HelloServer.spdx.json`.
    public func defaultSBOMFile(extension fileExtension: String) -> String {
        URL(fileURLWithPath: packageDirectory).appendingPathComponent(".build/stevedore/sbom/\(product).\(fileExtension)").path
    }

    /// The locations `stevedore build` writes. When pushing, an OCI layout is needed to push from: the first one
    /// given, else the default layout is added, tagged `layoutTag`.
    public func resolvedOutputs(layoutTag: String, needsLayout: Bool) -> [ImageLocation] {
        if outputs.isEmpty { return [.layout(path: defaultLayoutDirectory, tag: layoutTag)] }
        let hasLayout = outputs.contains { if case .layout = $0 { return true } else { return false } }
        if needsLayout, !hasLayout { return [.layout(path: defaultLayoutDirectory, tag: layoutTag)] + outputs }
        return outputs
    }

    /// What to tell the user after a build: the digest and how to run each output with podman.
    public static func runInstructions(outputs: [ImageLocation], digest: Digest, port: String?) -> String {
        var lines = ["Image digest: \(digest)"]
        let publish = port.map { "-p \($0):\($0) " } ?? ""
        for location in outputs {
            switch location {
            case .layout(let path, let tag):
                lines.append("OCI layout: \(location)")
                let source = "oci:\(path)\(tag.map { ":\($0)" } ?? "")"
                if path == path.lowercased() {
                    lines.append("  run it:  podman run --rm \(publish)\(source)")
                } else {
                    // podman names an image read from a layout after its path, which must then be lowercase.
                    let name = "localhost/\(storageName(URL(fileURLWithPath: path).lastPathComponent)):\(tag ?? "latest")"
                    lines.append("  run it:  skopeo copy \(source) containers-storage:\(name) && podman run --rm \(publish)\(name)")
                }
            case .dockerArchive(let path, _):
                lines.append("docker-archive: \(path)")
                lines.append("  run it:  podman load -i \(path)   (or docker load -i \(path)), then podman run --rm \(publish)IMAGE")
            case .registry(let reference):
                lines.append("registry: \(reference)")
                lines.append("  run it:  podman run --rm \(publish)\(reference.name)@\(digest)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `name` as an image repository path component: lowercase letters and digits, other characters as `-`.
    static func storageName(_ name: String) -> String {
        let mapped = String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        let trimmed = mapped.split(separator: "-").joined(separator: "-")
        return trimmed.isEmpty ? "image" : trimmed
    }
}

import Foundation
import StevedoreProcess

/// What Stevedore reads from a package's manifest, as `swift package dump-package` prints it.
public struct SwiftPackageManifest: Hashable, Sendable {
    /// The names of the executable products, in manifest order.
    public var executableProducts: [String]

    /// Creates a manifest from its parts.
    public init(executableProducts: [String]) {
        self.executableProducts = executableProducts
    }

    /// Reads the JSON that `swift package dump-package` prints; `nil` when it is not that JSON.
    public init?(json data: Data) {
        guard let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let products = manifest["products"] as? [[String: Any]]
        else { return nil }
        executableProducts = products.compactMap { product in
            guard let name = product["name"] as? String,
                  let type = product["type"] as? [String: Any], type.keys.contains("executable")
            else { return nil }
            return name
        }
    }

    /// Runs `swift package --package-path <packageDirectory> dump-package`; `nil` when swift cannot be run, fails,
    /// takes longer than `timeout` or prints something else.
    public static func load(packageDirectory: String, timeout: Duration = .seconds(300)) async -> SwiftPackageManifest? {
        let dump = ChildProcess("swift", ["package", "--package-path", packageDirectory, "dump-package"], timeout: timeout)
        guard let output = try? await dump.run(), output.status.isSuccess, !output.isTruncated else { return nil }
        return SwiftPackageManifest(json: Data(output.standardOutput))
    }
}

import Foundation
import StevedoreCore

/// The GitHub Actions workflow that builds a package's executable product into an image and pushes it to
/// `ghcr.io/<owner>/<repo>` with the `push-image` plugin, on every push to the default branch. With platforms, a
/// matrix builds each on a runner of its architecture and a last job joins them into one index (see
/// ``platformJobs(_:swiftImage:product:)``).
///
/// The workflow's last top-level key is `jobs:`, so further jobs (the Kamal deploy job) can be appended to the file.
public struct GitHubWorkflowScaffold: Hashable, Sendable {
    /// Where the workflow goes, relative to the package directory.
    public static let relativePath = ".github/workflows/deploy.yml"
    /// The Debian packages a runner needs to build the plugins' `stevedore` tool: the C libraries it links.
    public static let buildPackages = "libarchive-dev zlib1g-dev libzstd-dev libssl-dev"

    /// The executable product to build, `nil` when the package has exactly one and the plugin can pick it.
    public var product: String?
    /// The branch whose pushes run the workflow.
    public var branch: String
    /// The Swift container image the job runs in.
    public var swiftImage: String
    /// The platforms to build, each on its own runner, joined into one index; empty for one job on the
    /// runner's platform.
    public var runners: [WorkflowRunner]

    /// Creates a scaffold.
    ///
    /// - Throws: ``StevedoreError`` with code `invalidProductName` when `product` or `branch` holds
    ///   characters that do not belong in a product or branch name.
    public init(product: String? = nil, branch: String = "main", swiftImage: String = "swift:6.1-noble", runners: [WorkflowRunner] = []) throws {
        if let product, !Self.isPlainName(product) {
            throw StevedoreError(.invalidProductName, "Product name '\(product)' may only use letters, digits, '_', '-' and '.'.")
        }
        guard Self.isPlainName(branch.replacingOccurrences(of: "/", with: "-")) else {
            throw StevedoreError(.invalidProductName, "Branch name '\(branch)' may only use letters, digits, '_', '-', '.' and '/'.")
        }
        self.product = product
        self.branch = branch
        self.swiftImage = swiftImage
        self.runners = runners
    }

    /// The workflow's YAML text.
    public func render() -> String {
        guard runners.isEmpty else { return renderPlatforms() }
        let productArgument = product.map { " --product \($0)" } ?? ""
        return """
        # Builds the package's executable product into an OCI image and pushes it to ghcr.io/<owner>/<repo>,
        # tagged with the commit SHA and `latest`, without a Docker daemon, and attests its build provenance and SBOM
        # with GitHub's artifact attestations. Written by `stevedore init github-actions`.
        \(preamble)
          image:
            runs-on: ubuntu-latest
            container: \(swiftImage)
            outputs:
              image: ${{ steps.push.outputs.image }}
              digest: ${{ steps.push.outputs.digest }}
              tag: ${{ steps.push.outputs.tag }}
            steps:
              \(Self.setUpSteps(cachePrefix: "swiftpm-${{ runner.os }}-"))
              - name: Build and push the image
                id: push
                env:
                  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                run: >
                  swift package --allow-writing-to-package-directory --allow-network-connections all
                  push-image\(productArgument)
              \(Self.attestationSteps)

        """
    }

    /// What every generated workflow says after its comment: its name, the push to the branch and the manual runs
    /// that trigger it, the token's permissions, and `jobs:` (the last line).
    private var preamble: String {
        """
        name: Deploy

        on:
          push:
            branches: [\(branch)]
          workflow_dispatch:

        permissions:
          contents: read
          packages: write
        \(Self.attestationPermissions(indent: "  "))

        jobs:
        """
    }

    /// The workflow with the platform matrix and the joining job.
    private func renderPlatforms() -> String {
        let platforms = runners.map(\.platform.description).joined(separator: ",")
        return """
        # Builds the package's executable product into one OCI image per platform (\(platforms)), each on a
        # runner of its architecture, and pushes it to ghcr.io/<owner>/<repo> under <tag>-<arch>; the `index` job
        # then joins them into one multi-platform index under <tag> (the commit SHA, and `latest`), without a
        # Docker daemon. Written by `stevedore init github-actions --platforms \(platforms)`.
        \(preamble)
        \(Self.platformJobs(runners, swiftImage: swiftImage, product: product))
        """
    }

    /// Writes the workflow into `packageDirectory` and returns the file's path.
    ///
    /// - Throws: ``StevedoreError``: `notAPackage` without a `Package.swift`; `fileExists` when the
    ///   workflow is there and `force` is false; `writeFailed` when the file cannot be written.
    @discardableResult
    public func write(into packageDirectory: String, force: Bool) throws -> String {
        let package = URL(fileURLWithPath: packageDirectory)
        guard FileManager.default.fileExists(atPath: package.appendingPathComponent("Package.swift").path) else {
            throw StevedoreError(.notAPackage, "\(packageDirectory) has no Package.swift; run this in the root of your Swift package or pass --package-dir.")
        }
        let target = package.appendingPathComponent(Self.relativePath)
        if FileManager.default.fileExists(atPath: target.path), !force {
            throw StevedoreError(.fileExists, "\(target.path) already exists; pass --force to replace it.")
        }
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(render().utf8).write(to: target, options: .atomic)
        } catch {
            throw StevedoreError(.workflowWriteFailed, "Could not write \(target.path): \(error.localizedDescription)")
        }
        return target.path
    }

    private static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("-") && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "_-.".unicodeScalars.contains(scalar))
        }
    }
}

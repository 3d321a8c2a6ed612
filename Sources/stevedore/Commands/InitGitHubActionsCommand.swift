import ArgumentParser
import Foundation
import StevedoreGitHub
import StevedoreScaffold

/// `stevedore init github-actions`: writes `.github/workflows/deploy.yml`, which builds the package's executable
/// product into an image and pushes it to ghcr.io with the `push-image` plugin.
struct InitGitHubActionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "github-actions",
        abstract: "Write a GitHub Actions workflow that builds and pushes the package's image to ghcr.io.",
        discussion: "The workflow runs `swift package push-image` with `packages: write` and GITHUB_TOKEN on each push to the branch. It never replaces an existing file unless --force is given."
    )

    @Option(help: "The executable product to build (default: the package's only executable product).")
    var product: String?

    @Option(help: "The branch whose pushes run the workflow.")
    var branch = "main"

    @Option(name: .customLong("package-dir"), help: "The root directory of the Swift package.")
    var packageDirectory = "."

    @Flag(help: "Replace an existing workflow file.")
    var force = false

    func run() async throws {
        let product: String?
        if let chosen = self.product { product = chosen } else { product = try await detectedProduct() }
        let scaffold = try GitHubWorkflowScaffold(product: product, branch: branch)
        let path = try scaffold.write(into: packageDirectory, force: force)
        print("Wrote \(path)\(product.map { " (product \($0))" } ?? "")")
        print("Commit it and push to \(branch): the image goes to ghcr.io/<owner>/<repo>, tagged with the commit SHA and latest.")
    }

    /// The only executable product, read with `swift package dump-package`; `nil` when there is none or it cannot
    /// be read (the plugin then chooses); an error when there are several.
    private func detectedProduct() async throws -> String? {
        guard let products = await SwiftPackageManifest.load(packageDirectory: packageDirectory)?.executableProducts else { return nil }
        if products.count > 1 {
            throw ValidationError("The package has several executable products (\(products.joined(separator: ", "))); choose one with --product NAME.")
        }
        return products.first
    }
}

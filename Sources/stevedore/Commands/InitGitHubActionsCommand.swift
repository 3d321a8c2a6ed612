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
        discussion: """
        The workflow runs `swift package push-image` with `packages: write` and GITHUB_TOKEN on each push to the branch. \
        With --platforms linux/amd64,linux/arm64 it runs push-image --platform-tag on an amd64 and an arm64 runner \
        (ubuntu-24.04, ubuntu-24.04-arm), each pushing <tag>-<arch>, then an `index` job joins them with \
        `stevedore index create` under each tag. It never replaces an existing file unless --force is given.
        """
    )

    @Option(help: "The executable product to build (default: the package's only executable product).")
    var product: String?

    @Option(help: "The branch whose pushes run the workflow.")
    var branch = "main"

    @Option(help: ArgumentHelp("Build these platforms, each on a GitHub-hosted runner of its architecture, and join them into one index.", valueName: "linux/amd64,linux/arm64"), transform: WorkflowRunner.parseList)
    var platforms: [WorkflowRunner] = []

    @Option(name: .customLong("package-dir"), help: "The root directory of the Swift package.")
    var packageDirectory = "."

    @Flag(help: "Replace an existing workflow file.")
    var force = false

    func run() async throws {
        let product: String?
        if let chosen = self.product { product = chosen } else { product = try await detectedProduct() }
        let scaffold = try GitHubWorkflowScaffold(product: product, branch: branch, runners: platforms)
        let path = try scaffold.write(into: packageDirectory, force: force)
        print("Wrote \(path)\(product.map { " (product \($0))" } ?? "")")
        if platforms.isEmpty {
            print("Commit it and push to \(branch): the image goes to ghcr.io/<owner>/<repo>, tagged with the commit SHA and latest.")
        } else {
            let architectures = platforms.map(\.architecture)
            print("Commit it and push to \(branch): each runner pushes ghcr.io/<owner>/<repo>:<tag>-<arch> (\(architectures.joined(separator: ", "))), then the index job joins them under the commit SHA and latest.")
            print("For Kamal: builder.arch: [\(architectures.joined(separator: ", "))] (stevedore init kamal --platforms \(platforms.map(\.platform.description).joined(separator: ",")))")
        }
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

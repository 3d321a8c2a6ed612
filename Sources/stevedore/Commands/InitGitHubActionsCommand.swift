import ArgumentParser
import Foundation
import StevedoreScaffold

/// `stevedore init github-actions`: writes `.github/workflows/deploy.yml`, which builds the package's executable
/// product into an image and pushes it to ghcr.io with the `push-image` plugin.
struct InitGitHubActionsCommand: ParsableCommand {
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

    func run() throws {
        let product = try self.product ?? detectedProduct()
        let scaffold = try GitHubWorkflowScaffold(product: product, branch: branch)
        let path = try scaffold.write(into: packageDirectory, force: force)
        print("Wrote \(path)\(product.map { " (product \($0))" } ?? "")")
        print("Commit it and push to \(branch): the image goes to ghcr.io/<owner>/<repo>, tagged with the commit SHA and latest.")
    }

    /// The only executable product, read with `swift package dump-package`; `nil` when there is none or it cannot
    /// be read (the plugin then chooses); an error when there are several.
    private func detectedProduct() throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "package", "--package-path", packageDirectory, "dump-package"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let products = GitHubWorkflowScaffold.executableProducts(inManifestJSON: data)
        if products.count > 1 {
            throw ValidationError("The package has several executable products (\(products.joined(separator: ", "))); choose one with --product NAME.")
        }
        return products.first
    }
}

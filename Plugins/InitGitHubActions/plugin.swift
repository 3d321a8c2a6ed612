import Foundation
import PackagePlugin

/// `swift package init-github-actions`: runs `stevedore init github-actions` for this package, which writes
/// `.github/workflows/deploy.yml` (build and push the image to ghcr.io on each push to main).
@main
struct InitGitHubActionsPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        if arguments.contains("--help") || arguments.contains("-h") {
            print("""
                OVERVIEW: Write .github/workflows/deploy.yml, which builds and pushes this package's image to ghcr.io.

                USAGE: swift package --allow-writing-to-package-directory init-github-actions [--product NAME] [--branch B]
                       [--platforms linux/amd64,linux/arm64] [--force]

                  --platforms P,P   Build each platform on a GitHub-hosted runner of its architecture (push-image
                                    --platform-tag), then join them into one index with `stevedore index create`.

                PERMISSIONS: grant writing with --allow-writing-to-package-directory (or --disable-sandbox).
                """)
            return
        }
        var extractor = ArgumentExtractor(arguments)
        var toolArguments = ["init", "github-actions", "--package-dir", context.package.directoryURL.path]
        let products = extractor.extractOption(named: "product")
        if let product = products.first {
            toolArguments += ["--product", product]
        } else {
            let executables = context.package.products.compactMap { $0 as? ExecutableProduct }.map(\.name)
            if executables.count == 1 { toolArguments += ["--product", executables[0]] }
        }
        toolArguments += extractor.remainingArguments
        let outcome = try PluginProcess.run(try StevedoreTool.start(context: context).executable(), toolArguments)
        guard outcome.succeeded else {
            throw InitGitHubActionsPluginError(status: outcome.status)
        }
    }
}

/// `stevedore init github-actions` failed; its own message was printed above.
struct InitGitHubActionsPluginError: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "stevedore init github-actions failed (exit status \(status)); see the message above." }
}

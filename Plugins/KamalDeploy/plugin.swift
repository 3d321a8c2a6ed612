import Foundation
import PackagePlugin

/// `swift package kamal-deploy`: runs `stevedore deploy kamal` for this package (checks, then `kamal deploy` of the
/// image `push-image` pushed). Every argument is passed on; see `stevedore deploy kamal --help`.
@main
struct KamalDeployPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        if arguments.contains("--help") || arguments.contains("-h") {
            print("""
                OVERVIEW: Deploy the image push-image pushed with Kamal (stevedore deploy kamal).

                USAGE: swift package --allow-network-connections all kamal-deploy [options] [-- kamal arguments]

                Options are those of `stevedore deploy kamal` (--tag, --repository, --destination, --dry-run, …).
                PERMISSIONS: grant network access with --allow-network-connections all (or --disable-sandbox).
                """)
            return
        }
        let tool = try StevedoreTool.start(context: context).executable()
        let outcome = try PluginProcess.run(
            tool, ["deploy", "kamal", "--package-path", context.package.directoryURL.path] + arguments,
            in: context.package.directoryURL
        )
        guard outcome.succeeded else {
            throw KamalDeployPluginError(status: outcome.status)
        }
    }
}

/// `stevedore deploy kamal` failed; its own message was printed above.
struct KamalDeployPluginError: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "stevedore deploy kamal failed (exit status \(status)); see the message above." }
}

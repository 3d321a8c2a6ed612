import ArgumentParser
import Foundation
import StevedoreGitHub
import StevedoreScaffold

/// `stevedore init kamal`: write `config/deploy.yml`, `.kamal/secrets` and the GitHub workflow's deploy job.
struct InitKamalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kamal",
        abstract: "Write config/deploy.yml, .kamal/secrets and a deploy job for Kamal and ghcr.io.",
        discussion: """
        config/deploy.yml gets the service (the product name in lowercase), image owner/repo in lowercase, \
        registry ghcr.io with the owner as user and the secret KAMAL_REGISTRY_PASSWORD as password, \
        builder.arch (--arch, or the list of --platforms), and a proxy with app_port and the health check /up. .kamal/secrets gets \
        KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN. The workflow .github/workflows/deploy.yml gets a deploy job after \
        build-and-push, or after the index job of a platform matrix (it is written whole when missing, with the \
        matrix when --platforms is given); it needs the repository secret SSH_PRIVATE_KEY.

        Existing files are never overwritten without --force.
        """
    )

    @Option(name: .customLong("package-path"), help: "The package directory.")
    var packagePath: String = "."

    @Option(help: "The executable product to deploy (default: the package's only executable).")
    var product: String?

    @Option(help: "The GitHub owner (default: from GITHUB_REPOSITORY or the origin remote).")
    var owner: String?

    @Option(help: "The GitHub repository name (default: from GITHUB_REPOSITORY or the origin remote).")
    var repository: String?

    @Option(help: "The port the server listens on in the container (proxy.app_port).")
    var appPort: Int = 8080

    @Option(name: .customLong("host"), help: "A server address for servers.web; repeat for several.")
    var hosts: [String] = []

    @Option(help: "builder.arch: the architecture the servers run (default: amd64).")
    var arch: String?

    @Option(help: ArgumentHelp("The platforms the image is built for, one index over them (servers of mixed architectures): builder.arch lists them, and a new workflow builds each on its own runner.", valueName: "linux/amd64,linux/arm64"), transform: WorkflowRunner.parseList)
    var platforms: [WorkflowRunner] = []

    @Flag(help: "Overwrite existing files and replace an existing deploy job.")
    var force = false

    func validate() throws {
        if arch != nil, !platforms.isEmpty { throw ValidationError("pass --arch (one architecture) or --platforms (several), not both") }
    }

    func run() async throws {
        let packageDirectory = URL(fileURLWithPath: packagePath).standardizedFileURL.path
        let environment = ProcessInfo.processInfo.environment
        let detected = KamalScaffold.detectGitHubRepository(packageDirectory: packageDirectory, environment: environment)
        guard let owner = owner ?? detected?.owner, let repository = repository ?? detected?.name else {
            throw ValidationError("cannot tell the GitHub repository: GITHUB_REPOSITORY is not set and the origin remote is not on github.com; pass --owner and --repository")
        }
        let productName: String
        if let product {
            productName = product
        } else {
            let products = await SwiftPackageManifest.load(packageDirectory: packageDirectory)?.executableProducts ?? []
            guard products.count == 1, let only = products.first else {
                throw ValidationError(products.isEmpty
                    ? "no executable product found in \(packageDirectory); pass --product"
                    : "several executable products (\(products.joined(separator: ", "))); pass --product")
            }
            productName = only
        }
        guard (1...65535).contains(appPort) else {
            throw ValidationError("--app-port must be between 1 and 65535")
        }
        var scaffold = KamalScaffold(productName: productName, owner: owner, repository: repository, appPort: appPort, hosts: hosts, architecture: arch ?? "amd64")
        scaffold.runners = platforms
        let changes = try KamalScaffoldWriter(scaffold: scaffold).write(into: packageDirectory, force: force)
        var lines = changes.map(\.description)
        lines.append("Next:")
        if hosts.isEmpty { lines.append("  - put your servers' addresses under servers.web in config/deploy.yml (192.0.2.1 is a placeholder)") }
        lines.append("  - add the repository secret SSH_PRIVATE_KEY, a key your servers accept for root (or set ssh.user)")
        if platforms.isEmpty {
            lines.append("  - deploy: swift package --allow-network-connections all push-image && swift package --allow-network-connections all kamal-deploy")
        } else {
            let workflow = (try? String(contentsOfFile: "\(packageDirectory)/\(KamalScaffold.workflowPath)", encoding: .utf8)) ?? ""
            if !workflow.contains("stevedore index create") {
                lines.append("  - \(KamalScaffold.workflowPath) builds one platform: write the platform matrix with `stevedore init github-actions --platforms \(platforms.map(\.platform.description).joined(separator: ",")) --force`, then run this again with --force")
            }
            lines.append("  - deploy: push to main (the workflow pushes every platform, joins them into one index, then deploys); by hand, push-image with one --swift-sdk per platform, then kamal-deploy")
        }
        print(lines.joined(separator: "\n"))
    }
}

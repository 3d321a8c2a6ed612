import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreAuth
import StevedoreDeploy
import StevedoreJobs

/// `stevedore deploy`: hand a pushed image to a deploy tool.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy an image that push-image pushed.",
        subcommands: [KamalDeployCommand.self]
    )
}

/// `stevedore deploy kamal`: check the Kamal configuration against the pushed image, then run
/// `kamal deploy --skip-push --version TAG`.
struct KamalDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kamal",
        abstract: "Deploy the pushed image with Kamal, after checking config/deploy.yml against it.",
        discussion: """
        Reads config/deploy.yml (merged with config/deploy.DEST.yml for -d DEST) and the secrets files Kamal \
        reads, and checks before any host is touched: registry.server and image match the pushed image, image \
        is lowercase, registry.username is set, the registry.password secret resolves to a non-empty value here, \
        builder.arch is set and every architecture is in the image, the image has the label service=<service>, \
        and the tag exists in the registry with those credentials.

        The tag defaults to the one push-image pushes for this commit: GITHUB_SHA, else `git rev-parse HEAD`, \
        else the tag in .build/stevedore/pushed-image. The registry password reaches Kamal in its environment, \
        under the secret's name, never on its command line. Kamal's output streams through and its exit \
        status is this command's.

        Secrets that use command substitution $(…) are not run and so cannot be checked; they fail the checks \
        unless --allow-unverified-secrets is given.

        Build, push and deploy in one line:
          swift package --allow-network-connections all push-image && swift package --allow-network-connections all kamal-deploy
        """
    )

    @Option(name: .customLong("package-path"), help: "The package directory, holding config/ and .kamal/.")
    var packagePath: String = "."

    @Option(name: [.customShort("c"), .customLong("config-file")], help: "The Kamal configuration file, relative to the package.")
    var configFile: String = KamalConfiguration.defaultFile

    @Option(name: [.customShort("d"), .customLong("destination")], help: "The Kamal destination: merges config/deploy.DEST.yml and reads .kamal/secrets.DEST.")
    var destination: String?

    @Option(help: "Passed to kamal deploy --hosts.")
    var hosts: String?

    @Option(help: "Passed to kamal deploy --roles.")
    var roles: String?

    @Option(help: "The tag to deploy (default: the commit SHA push-image pushed).", transform: Parse.tag)
    var tag: ImageTag?

    @Option(help: "The registry and repository pushed to, e.g. ghcr.io/owner/repo (default: from --image-file, else ghcr.io/$GITHUB_REPOSITORY).", transform: Parse.reference)
    var image: ImageReference?

    @Option(name: .customLong("image-file"), help: "The REF@digest file the last push wrote, relative to the package.")
    var imageFile: String = PushedImageRecord.defaultPath

    @Option(name: .customLong("kamal"), help: "The kamal program (default: bundle exec kamal when the Gemfile names it, else kamal on PATH).")
    var kamalPath: String?

    @Flag(help: "Accept secrets using $(…), which Stevedore does not run, as warnings.")
    var allowUnverifiedSecrets = false

    @Flag(help: "Print the checks, the image and the exact command without running Kamal.")
    var dryRun = false

    /// TLS, insecure registries and limits for the registry checks; the login comes from Kamal's configuration.
    @OptionGroup var registryOptions: RegistryOptions

    @Argument(parsing: .postTerminator, help: "More arguments for kamal deploy, after --.")
    var kamalArguments: [String] = []

    func run() async throws {
        let options = KamalDeployOptions(
            packageDirectory: URL(fileURLWithPath: packagePath).standardizedFileURL.path,
            configFile: configFile,
            destination: destination,
            hosts: hosts,
            roles: roles,
            tag: tag?.name,
            imageFile: imageFile,
            pushedImage: image,
            kamalPath: kamalPath,
            allowUnverifiedSecrets: allowUnverifiedSecrets,
            extraArguments: kamalArguments,
            environment: ProcessInfo.processInfo.environment
        )
        var registry = try registryOptions.configuration(explicitFor: nil)
        registry.credentials = CredentialResolver()
        let status = try await KamalDeployJob(options: options, registry: registry, dryRun: dryRun).run()
        if status != 0 { throw ExitCode(status) }
    }
}

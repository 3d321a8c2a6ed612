import StevedoreGitHub

/// The files `stevedore init kamal` writes so that Kamal 2 deploys what `push-image` pushes to ghcr.io:
/// `config/deploy.yml`, `.kamal/secrets`, and a `deploy` job for the GitHub workflow.
///
/// The contents are pure functions of the values here; ``KamalScaffoldWriter`` puts them on disk.
public struct KamalScaffold: Hashable, Sendable {
    /// Kamal's `service`: the product name in lowercase, also the image label `service=<service>`.
    public var service: String
    /// The GitHub user or organisation owning the repository (the ghcr.io user name).
    public var owner: String
    /// The GitHub repository name.
    public var repository: String
    /// The port the server listens on inside the container (`proxy.app_port`).
    public var appPort: Int
    /// The servers' addresses; when empty, a documentation address (192.0.2.1) marked for replacement.
    public var hosts: [String]
    /// `builder.arch` when ``runners`` is empty.
    public var architecture: String
    /// The platforms built on their own runners and joined into one index (`--platforms`): `builder.arch` lists
    /// their architectures, and a workflow written whole has the platform matrix. Empty for one platform.
    public var runners: [WorkflowRunner] = []
    /// The Swift container image the workflow's jobs run in.
    public var swiftImage: String

    /// The registry the image is pushed to and pulled from.
    public static let registry = GitHubContainerRegistry.host
    /// The secret holding the registry password, as Kamal names it by default.
    public static let passwordSecret = "KAMAL_REGISTRY_PASSWORD"
    /// Where the workflow is, relative to the package directory.
    public static let workflowPath = ".github/workflows/deploy.yml"

    /// Creates a scaffold; `productName` becomes the service name (see ``serviceName(forProduct:)``).
    public init(
        productName: String, owner: String, repository: String, appPort: Int = 8080, hosts: [String] = [],
        architecture: String = "amd64", swiftImage: String = "swift:6.1-noble"
    ) {
        self.service = Self.serviceName(forProduct: productName)
        self.owner = owner
        self.repository = repository
        self.appPort = appPort
        self.hosts = hosts
        self.architecture = architecture
        self.swiftImage = swiftImage
    }

    /// A Kamal service name from a product name: lowercase, with anything but letters, digits, `-` and `_`
    /// replaced by `-` (`HelloServer` → `helloserver`).
    public static func serviceName(forProduct product: String) -> String {
        String(product.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
    }

    /// `image`: `owner/repository` in lowercase, without the registry (which is in `registry.server`).
    public var imagePath: String { "\(owner)/\(repository)".lowercased() }

    /// The contents of `config/deploy.yml`.
    public var deployConfiguration: String {
        let servers = hosts.isEmpty
            ? "    # Replace with your servers' addresses (192.0.2.1 is a documentation address).\n    - 192.0.2.1\n"
            : hosts.map { "    - \($0)\n" }.joined()
        return """
        # Kamal 2 configuration, written by `stevedore init kamal`.
        # Stevedore builds and pushes the image (swift package push-image); Kamal deploys it:
        #   swift package --allow-network-connections all kamal-deploy
        # runs `kamal deploy --skip-push --version <commit SHA>` after checking this file.

        # The service name; Stevedore labels the image service=\(service), which Kamal requires.
        service: \(service)

        # The repository path on the registry, lowercase, without the registry host.
        image: \(imagePath)

        servers:
          web:
        \(servers)
        proxy:
          app_port: \(appPort)
          healthcheck:
            path: /up

        registry:
          server: \(Self.registry)
          username: \(owner)
          password:
            - \(Self.passwordSecret)

        \(builderSection)

        """
    }

    /// `builder.arch` and its comment: one architecture, or the list of ``runners``' architectures.
    private var builderSection: String {
        guard !runners.isEmpty else {
            return """
            # Kamal requires builder.arch even though Stevedore builds the image; hosts pull this architecture.
            builder:
              arch: \(architecture)
            """
        }
        return """
        # Kamal requires builder.arch even though Stevedore builds the image. The tag names one index over these
        # architectures: every host pulls the same tag and gets its own platform's image.
        builder:
          arch: [\(runners.map(\.architecture).joined(separator: ", "))]
        """
    }

    /// The contents of `.kamal/secrets`: the registry password from `GITHUB_TOKEN`, never a value.
    public var secrets: String {
        """
        # Secrets Kamal reads (dotenv syntax). $VAR expands from the environment when Kamal runs, so this file
        # holds no secret itself and can be committed. Never write a token here.
        \(Self.passwordSecret)=$GITHUB_TOKEN

        """
    }

    /// The `deploy` job after the `build-and-push` job, indented for a `jobs:` mapping with two spaces.
    public var deployJob: String { deployJob(needs: "build-and-push") }

    /// The `deploy` job, run after the job `pushJob` (the one running `push-image`), indented for a `jobs:`
    /// mapping with two spaces. It runs in the same Swift container as the push job, installs Kamal, loads the
    /// SSH key from the repository secret `SSH_PRIVATE_KEY`, and runs the `kamal-deploy` plugin with the
    /// workflow's `GITHUB_TOKEN` (which Kamal's hosts use to pull from ghcr.io).
    public func deployJob(needs pushJob: String) -> String {
        """
          deploy:
            needs: \(pushJob)
            runs-on: ubuntu-latest
            container: \(swiftImage)
            permissions:
              contents: read
              packages: read
            steps:
              \(GitHubWorkflowScaffold.setUpSteps(installing: "libarchive, zlib, libzstd, libcrypto, Ruby and ssh", extraPackages: "ruby-full build-essential openssh-client git", cachePrefix: nil))
              - name: Install Kamal
                run: gem install kamal
              - name: Load the SSH key for the servers
                uses: webfactory/ssh-agent@v0.9.0
                with:
                  ssh-private-key: ${{ secrets.SSH_PRIVATE_KEY }}
              - name: Deploy with Kamal
                env:
                  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                run: swift package --allow-network-connections all kamal-deploy

        """
    }

    /// The `build-and-push` job, for a workflow written from scratch.
    public var buildAndPushJob: String {
        """
          build-and-push:
            runs-on: ubuntu-latest
            container: \(swiftImage)
            permissions:
              contents: read
              packages: write
            steps:
              \(GitHubWorkflowScaffold.setUpSteps(cachePrefix: nil))
              - name: Build and push the image
                env:
                  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                run: swift package --allow-writing-to-package-directory --allow-network-connections all push-image

        """
    }

    /// A complete workflow with both jobs (with ``runners``: the platform matrix, the joining job and the deploy
    /// job), for when none exists yet.
    public var workflow: String {
        guard runners.isEmpty else {
            return """
            # Written by `stevedore init kamal`: build and push one image per platform, join them into one index,
            # then deploy it with Kamal. Needs the repository secret SSH_PRIVATE_KEY (a key the servers accept).
            name: Deploy

            on:
              push:
                branches: [main]
              workflow_dispatch:

            jobs:
            \(GitHubWorkflowScaffold.platformJobs(runners, swiftImage: swiftImage, product: nil))
            \(deployJob(needs: GitHubWorkflowScaffold.joinJobName))
            """
        }
        return """
        # Written by `stevedore init kamal`: build and push the image, then deploy it with Kamal.
        # Needs the repository secret SSH_PRIVATE_KEY (a key the servers accept).
        name: Deploy

        on:
          push:
            branches: [main]
          workflow_dispatch:

        jobs:
        \(buildAndPushJob)
        \(deployJob)
        """
    }
}

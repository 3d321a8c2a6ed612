import Foundation
import StevedoreCore
import StevedoreGitHub

/// What `stevedore deploy kamal` was asked to do.
public struct KamalDeployOptions: Sendable {
    /// The package directory: where `config/`, `.kamal/`, `Gemfile` and `.build/` are.
    public var packageDirectory: String
    /// The Kamal configuration file (`-c`), relative to the package directory.
    public var configFile: String
    /// The Kamal destination (`-d`).
    public var destination: String?
    /// Kamal's `--hosts`.
    public var hosts: String?
    /// Kamal's `--roles`.
    public var roles: String?
    /// The tag to deploy; by default the one `push-image` pushes for this commit.
    public var tag: String?
    /// The pushed-image file, relative to the package directory.
    public var imageFile: String
    /// The registry and repository pushed to, when not taken from the pushed-image file.
    public var pushedImage: ImageReference?
    /// `--kamal PATH`.
    public var kamalPath: String?
    /// Accept secrets using `$(…)`, which cannot be checked.
    public var allowUnverifiedSecrets: Bool
    /// More arguments for `kamal deploy`.
    public var extraArguments: [String]
    /// The environment: ERB's `ENV`, what secrets expand from, and what Kamal inherits.
    public var environment: [String: String]

    /// Creates options; everything but the package directory and the environment has a default.
    public init(
        packageDirectory: String,
        configFile: String = KamalConfiguration.defaultFile,
        destination: String? = nil,
        hosts: String? = nil,
        roles: String? = nil,
        tag: String? = nil,
        imageFile: String = PushedImageRecord.defaultPath,
        pushedImage: ImageReference? = nil,
        kamalPath: String? = nil,
        allowUnverifiedSecrets: Bool = false,
        extraArguments: [String] = [],
        environment: [String: String]
    ) {
        self.packageDirectory = packageDirectory
        self.configFile = configFile
        self.destination = destination
        self.hosts = hosts
        self.roles = roles
        self.tag = tag
        self.imageFile = imageFile
        self.pushedImage = pushedImage
        self.kamalPath = kamalPath
        self.allowUnverifiedSecrets = allowUnverifiedSecrets
        self.extraArguments = extraArguments
        self.environment = environment
    }
}

/// Everything worked out before Kamal runs: the tag, the checks and the exact command.
public struct KamalDeployPlan: Sendable {
    /// The tag to deploy.
    public var tag: DeployTag
    /// The configuration and secrets files considered.
    public var configurationFiles: [String]
    /// The secrets files Kamal reads (existing or not) and those that exist.
    public var secretsFiles: (candidates: [String], existing: [String])
    /// The outcome of the checks.
    public var report: DeployCheckReport
    /// The command to run.
    public var invocation: KamalInvocation
    /// Why Kamal could not be found, if it could not. A dry run shows it as a warning (the machine that
    /// deploys may well have Kamal); ``KamalDeployment/run(_:output:errorOutput:)`` throws it.
    public var kamalNotFound: StevedoreError?

    /// Whether every check passed (Kamal itself may still be missing: see ``kamalNotFound``).
    public var isReady: Bool { !report.hasErrors }

    /// The text `--dry-run` prints: files, tag, each check, the image and the command.
    public var summary: String {
        var lines: [String] = []
        lines.append("Kamal configuration: \(configurationFiles.joined(separator: " + "))")
        let existing = secretsFiles.existing.isEmpty ? "none exists" : "found \(secretsFiles.existing.joined(separator: ", "))"
        lines.append("Secrets: \(secretsFiles.candidates.joined(separator: ", ")) (\(existing))")
        lines.append("Tag: \(tag.value) (from \(tag.source.rawValue))")
        lines.append("Checks:")
        lines += report.passed.map { "  ok: \($0)" }
        lines += report.findings.map { finding in
            "  " + finding.description.replacingOccurrences(of: "\n", with: "\n  ")
        }
        if let kamalNotFound { lines.append("  warning: kamal: \(kamalNotFound.message)") }
        lines.append("Image: \(report.image?.description ?? "unknown (see the errors above)")")
        lines.append("Command: \(invocation.commandLine)")
        let errors = report.findings.filter { $0.severity == .error }.count
        if errors > 0 { lines.append("\(errors) problem\(errors == 1 ? "" : "s") to fix before Kamal can deploy.") }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `stevedore deploy kamal`: load the Kamal configuration and secrets, work out the tag, check everything
/// Kamal would fail on late, then run `kamal deploy --skip-push --version TAG`.
public struct KamalDeployment: Sendable {
    /// What to deploy and how.
    public var options: KamalDeployOptions
    /// Where the registry facts come from.
    public var inspector: any PushedImageInspector

    /// Creates a deployment.
    public init(options: KamalDeployOptions, inspector: any PushedImageInspector) {
        self.options = options
        self.inspector = inspector
    }

    /// Loads, checks and builds the command, without running anything but the registry lookup.
    ///
    /// - Throws: ``StevedoreError`` when a file is missing or unreadable, or no tag can be worked out;
    ///   problems in the configuration are findings in the plan's report instead.
    public func plan() async throws -> KamalDeployPlan {
        let directory = options.packageDirectory
        let configuration = try KamalConfiguration.load(
            packageDirectory: directory, file: options.configFile,
            destination: options.destination, environment: options.environment
        )
        let secrets = try KamalSecrets.load(
            packageDirectory: directory, secretsPath: configuration.secretsPath,
            destination: options.destination, environment: options.environment
        )
        let record = try PushedImageRecord.read(at: options.imageFile, packageDirectory: directory)
        let tag = try DeployTag.resolve(explicit: options.tag, environment: options.environment, packageDirectory: directory, record: record)
        let check = DeployCheck(
            configuration: configuration, secrets: secrets, tag: tag,
            pushedRepository: pushedRepository(record: record), record: record,
            allowUnverifiedSecrets: options.allowUnverifiedSecrets
        )
        let report = await check.run(inspector: inspector)
        var kamalNotFound: StevedoreError?
        let executable: [String]
        do {
            executable = try KamalInvocation.locateKamal(explicitPath: options.kamalPath, packageDirectory: directory, environment: options.environment)
        } catch let error as StevedoreError {
            kamalNotFound = error
            executable = ["kamal"]
        }
        let invocation = KamalInvocation(
            executable: executable,
            arguments: KamalInvocation.deployArguments(
                tag: tag.value, configFile: options.configFile, destination: options.destination,
                hosts: options.hosts, roles: options.roles, extraArguments: options.extraArguments
            ),
            secretEnvironment: report.secretEnvironment,
            workingDirectory: directory
        )
        return KamalDeployPlan(
            tag: tag, configurationFiles: configuration.files,
            secretsFiles: (secrets.candidateFiles, secrets.existingFiles),
            report: report, invocation: invocation, kamalNotFound: kamalNotFound
        )
    }

    /// Runs Kamal for a plan whose checks passed, streaming its output, and returns its exit status.
    ///
    /// - Throws: ``StevedoreError`` `checksFailed` when the plan has errors, `kamalNotFound`, `kamalLaunchFailed`.
    public func run(_ plan: KamalDeployPlan, output: FileHandle = .standardOutput, errorOutput: FileHandle = .standardError) async throws -> Int32 {
        let errors = plan.report.findings.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw StevedoreError(.checksFailed, "Kamal was not run: \(errors.count) check\(errors.count == 1 ? "" : "s") failed:\n" + errors.map(\.description).joined(separator: "\n"))
        }
        if let notFound = plan.kamalNotFound { throw notFound }
        return try await plan.invocation.run(baseEnvironment: options.environment, output: output, errorOutput: errorOutput)
    }

    /// The repository pushed to: `--image`, else the pushed-image file, else what `push-image` would push to:
    /// `ghcr.io/$GITHUB_REPOSITORY`, or `ghcr.io/<owner>/<name>` from a GitHub `origin` remote, in lowercase.
    private func pushedRepository(record: PushedImageRecord?) -> ImageReference? {
        if let image = options.pushedImage { return image }
        if let record { return record.reference }
        let repository = GitHubActionsEnvironment(options.environment).repository
            ?? (try? GitRepository(directory: options.packageDirectory).originURL())?.flatMap(GitHubRepositoryName.init(remoteURL:))
        return repository.flatMap { try? ImageReference(parsing: $0.containerRepository) }
    }
}

import Foundation
import StevedoreDeploy
import StevedoreRegistry

/// The deploy job: check Kamal's configuration against the pushed image, then run
/// `kamal deploy --skip-push --version TAG`. Called by `stevedore deploy kamal` and `push-image --deploy`.
public struct KamalDeployJob: Sendable {
    /// What to deploy and how Kamal is called.
    public var options: KamalDeployOptions
    /// How the registry is reached for the tag check (the login comes from Kamal's configuration).
    public var registry: RegistryConfiguration
    /// Print the checks, the image and the command without running Kamal.
    public var dryRun: Bool

    public init(options: KamalDeployOptions, registry: RegistryConfiguration, dryRun: Bool = false) {
        self.options = options
        self.registry = registry
        self.dryRun = dryRun
    }

    /// Runs the checks and writes their summary to standard output (unbuffered, so that it comes before
    /// Kamal's own output), then Kamal.
    ///
    /// - Returns: Kamal's exit status; 1 when a check failed; 0 for a dry run that passed.
    public func run() async throws -> Int32 {
        let deployment = KamalDeployment(options: options, inspector: RegistryImageInspector(configuration: registry))
        let plan = try await deployment.plan()
        FileHandle.standardOutput.write(Data(plan.summary.utf8))
        guard plan.isReady else { return 1 }
        if dryRun { return 0 }
        return try await deployment.run(plan)
    }
}

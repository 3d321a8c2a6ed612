import ArgumentParser
import Foundation
import Logging

/// The `stevedore` command line: the only place that connects the engine's modules.
@main
struct Stevedore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stevedore",
        abstract: "Build, push and deploy reproducible OCI images without a container daemon.",
        version: "0.1.0",
        subcommands: [
            BuildCommand.self,
            InspectCommand.self,
            SBOMCommand.self,
            VerifyCommand.self,
            PushCommand.self,
            PullCommand.self,
            CopyCommand.self,
            LoginCommand.self,
            DeployCommand.self,
            InitCommand.self,
            IndexCommand.self,
            PackageImageCommand.self,
        ]
    )

    static func main() async {
        let verbose = CommandLine.arguments.contains("--verbose") || CommandLine.arguments.contains("-v")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .info : .warning
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let failure = CommandFailure(error) {
                FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
                Foundation.exit(failure.exitCode)
            }
            exit(withError: error)
        }
    }
}

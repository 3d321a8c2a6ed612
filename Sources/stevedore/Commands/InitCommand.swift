import ArgumentParser

/// `stevedore init`: write configuration files into a Swift package.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a GitHub Actions workflow or a Kamal configuration into a package.",
        subcommands: [InitGitHubActionsCommand.self, InitKamalCommand.self]
    )
}

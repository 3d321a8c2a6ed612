import ArgumentParser
import Foundation
import StevedoreAuth
import StevedoreCore
import StevedoreRegistry

/// `stevedore login`: check credentials against a registry and store them as `docker login` does.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Check credentials with a registry and save them in docker's config.json (mode 0600).",
        discussion: "The file is $DOCKER_CONFIG/config.json, else ~/.docker/config.json; docker, podman and skopeo read it too."
    )

    @Argument(help: ArgumentHelp("The registry, e.g. ghcr.io or 127.0.0.1:5000.", valueName: "REGISTRY"), transform: RegistryHost.init(parsing:))
    var server: RegistryHost

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        if registry.username == nil {
            throw ValidationError("login needs --username NAME and the password on standard input with --password-stdin")
        }
    }

    func run() async throws {
        let host = server.name
        let check = try await RegistryClient.withClient(try registry.configuration(explicitFor: host)) { client in
            try await client.checkCredentials(registry: host)
        }
        guard case .accepted(let credential) = check else {
            try registry.report("\(host) needs no login: it answers without asking for credentials (nothing was saved)")
            return
        }
        let file = DockerConfigFile(resolver: CredentialResolver())
        try file.store(credential, for: host)
        try registry.report("Login Succeeded: \(credential.username) at \(host) (saved in \(file.path))")
    }
}

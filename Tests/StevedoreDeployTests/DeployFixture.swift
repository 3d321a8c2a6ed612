import Foundation
import StevedoreCore
import StevedoreDeploy
import StevedoreTestSupport

/// A package directory with a Kamal configuration, built in a temporary directory for one test.
struct DeployFixture: Sendable {
    static let sha = "0123456789abcdef0123456789abcdef01234567"
    static let token = "fixture-token-that-must-never-leak"
    static let digest = Digest.sha256(of: Array("manifest".utf8))
    static let pushed = ImageReference(registry: "ghcr.io", repository: "owner/hello")

    static let deployYAML = """
    service: helloserver
    image: owner/hello
    servers:
      web:
        - 192.0.2.1
    registry:
      server: ghcr.io
      username: owner
      password:
        - KAMAL_REGISTRY_PASSWORD
    builder:
      arch: amd64

    """

    static let secrets = "KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN\n"

    /// The registry's answer for the pushed tag: one linux/amd64 image labelled for the service.
    static let facts = PushedImageFacts(
        digest: digest,
        images: [.init(platform: Platform(os: "linux", architecture: "amd64"), labels: ["service": "helloserver"])]
    )

    /// Files by path relative to the package directory.
    var files: [String: String] = ["config/deploy.yml": deployYAML, ".kamal/secrets": secrets]
    /// The environment the deployment sees.
    var environment: [String: String] = ["GITHUB_TOKEN": token, "GITHUB_SHA": sha]

    /// Writes the files into a new temporary directory.
    func materialize() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("stevedore-deploy")
        for (path, contents) in files { try directory.write(path, contents) }
        return directory
    }

    /// The base YAML with `old` replaced by `new`.
    static func deployYAML(replacing old: String, with new: String) -> String {
        deployYAML.replacingOccurrences(of: old, with: new)
    }
}

/// A registry as the checks see it: tags with their facts, answering only to the right login, as ghcr.io does
/// for a private package.
struct RegistryFixture: PushedImageInspector {
    struct Unauthorized: Error, CustomStringConvertible {
        var description: String { "401 Unauthorized from ghcr.io" }
    }

    var tags: [String: PushedImageFacts]
    var requiredLogin: KamalRegistryLogin? = KamalRegistryLogin(username: "owner", password: DeployFixture.token)

    func inspect(_ reference: ImageReference, login: KamalRegistryLogin?) async throws -> PushedImageFacts? {
        if let requiredLogin, login != requiredLogin { throw Unauthorized() }
        guard reference.name == DeployFixture.pushed.name, let tag = reference.tag else { return nil }
        return tags[tag]
    }

    /// The pushed tag, as `push-image` would have left it.
    static let pushed = RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts])
}

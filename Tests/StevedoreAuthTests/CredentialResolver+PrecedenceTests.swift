import Foundation
import StevedoreAuth
import StevedoreCore
import StevedoreTestSupport
import Testing

/// README, "Credentials, first match wins": every source holds a credential for ghcr.io, each with its own
/// secret; removing them one by one, in the documented order, must hand the lookup to the next one each time.
struct CredentialPrecedenceTests {
    /// The sources, in the documented order.
    enum Source: String, CaseIterable, CustomStringConvertible {
        case flags, environment, gitHubToken, dockerCredHelpers, dockerAuths, dockerCredsStore
        case podmanAuthFile, podmanRuntimeDirectory, podmanConfigHome, netrc

        var description: String { rawValue }
        var secret: String { "\(rawValue)-secret" }
    }

    /// Writes the files for `sources` into a fresh home and returns a resolver for them.
    static func resolver(_ sources: Set<Source>, home: TemporaryDirectory) throws -> CredentialResolver {
        let registry = "ghcr.io"
        func auths(_ source: Source) -> String {
            let auth = Data("\(source)-user:\(source.secret)".utf8).base64EncodedString()
            return #"{"auths": {"\#(registry)": {"auth": "\#(auth)"}}}"#
        }
        // Helpers answer with the secret of the source that names them.
        for source in [Source.dockerCredHelpers, .dockerCredsStore] {
            try home.write("bin/docker-credential-\(source)", #"""
                #!/bin/sh
                read server
                echo '{"ServerURL":"'"$server"'","Username":"\#(source)-user","Secret":"\#(source.secret)"}'
                """#, mode: 0o755)
        }
        var docker: [String] = []
        if sources.contains(.dockerCredHelpers) { docker.append(#""credHelpers": {"\#(registry)": "\#(Source.dockerCredHelpers)"}"#) }
        if sources.contains(.dockerAuths) {
            let auth = Data("\(Source.dockerAuths)-user:\(Source.dockerAuths.secret)".utf8).base64EncodedString()
            docker.append(#""auths": {"\#(registry)": {"auth": "\#(auth)"}}"#)
        }
        if sources.contains(.dockerCredsStore) { docker.append(#""credsStore": "\#(Source.dockerCredsStore)""#) }
        try home.write("docker/config.json", "{" + docker.joined(separator: ", ") + "}")
        var environment = ["PATH": "\(home.appending("bin")):/usr/bin:/bin", "DOCKER_CONFIG": home.appending("docker"), "XDG_CONFIG_HOME": home.appending("config")]
        if sources.contains(.environment) {
            environment["STEVEDORE_REGISTRY_USERNAME"] = "environment-user"
            environment["STEVEDORE_REGISTRY_PASSWORD"] = Source.environment.secret
            environment["STEVEDORE_REGISTRY"] = registry
        }
        if sources.contains(.gitHubToken) {
            environment["GITHUB_TOKEN"] = Source.gitHubToken.secret
            environment["GITHUB_ACTOR"] = "gitHubToken-user"
        }
        if sources.contains(.podmanAuthFile) {
            environment["REGISTRY_AUTH_FILE"] = try home.write("auth-file/auth.json", auths(.podmanAuthFile))
        }
        if sources.contains(.podmanRuntimeDirectory) {
            try home.write("runtime/containers/auth.json", auths(.podmanRuntimeDirectory))
            environment["XDG_RUNTIME_DIR"] = home.appending("runtime")
        }
        if sources.contains(.podmanConfigHome) { try home.write("config/containers/auth.json", auths(.podmanConfigHome)) }
        if sources.contains(.netrc) {
            environment["NETRC"] = try home.write("netrc", "machine \(registry) login netrc-user password \(Source.netrc.secret)\n")
        }
        let explicit = sources.contains(.flags) ? (registry as String?, Credential(username: "flags-user", secret: Source.flags.secret, origin: "--password-stdin")) : nil
        return CredentialResolver(explicit: explicit, environment: environment, homeDirectory: home.path)
    }

    @Test("credentials: first match wins across every source, in the documented order")
    func firstMatchWinsInTheDocumentedOrder() throws {
        var remaining = Array(Source.allCases)
        while let first = remaining.first {
            let home = try TemporaryDirectory("stevedore-precedence")
            let credential = try Self.resolver(Set(remaining), home: home).credential(for: "ghcr.io")
            #expect(credential?.secret == first.secret, "with \(remaining) set, \(credential.map { "\($0)" } ?? "nothing") was used")
            #expect(credential?.username == "\(first)-user")
            remaining.removeFirst()
        }
        let home = try TemporaryDirectory("stevedore-precedence")
        #expect(try Self.resolver([], home: home).credential(for: "ghcr.io") == nil)
    }
}

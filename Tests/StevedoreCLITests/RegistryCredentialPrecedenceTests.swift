import Foundation
import StevedoreTestSupport
import Testing

/// README, "Credentials, first match wins", through the CLI against a registry with Basic authentication:
/// the flags, the environment, docker's config.json, podman's auth.json and ~/.netrc all hold a credential
/// for the registry. Only the password of one source is right at a time, so the push says which one was used.
@Suite(.serialized, .dedicatedThread)
struct RegistryCredentialPrecedenceTests {
    enum Source: String, CaseIterable, CustomStringConvertible {
        case flags, environment, dockerConfig, podmanAuthFile, netrc
        var description: String { rawValue }
    }

    @Test("credentials through the CLI: the first source in the documented order is used, right or wrong")
    func firstSourceIsUsedRightOrWrong() throws {
        let env = try RegistryTestEnvironment(.basicTLS)
        defer { env.stop() }
        let source = env.directory.appending("source")
        try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
        let home = env.directory.appending("home")
        let origins: [Source: String] = [
            .flags: "--password-stdin",
            .environment: "STEVEDORE_REGISTRY_USERNAME/STEVEDORE_REGISTRY_PASSWORD",
            .dockerConfig: "\(home)/.docker/config.json",
            .podmanAuthFile: env.directory.appending("auth.json"),
            .netrc: env.directory.appending("netrc"),
        ]

        /// Pushes with every source from `first` on; `first` has the password `firstPassword`, the others `others`.
        func push(from first: Source, firstPassword: String, others: String) throws -> ProcessResult {
            let sources = Source.allCases.drop { $0 != first }
            func password(_ source: Source) -> String { source == first ? firstPassword : others }
            func auths(_ source: Source) -> String {
                let auth = Data("\(env.user):\(password(source))".utf8).base64EncodedString()
                return #"{"auths": {"\#(env.address)": {"auth": "\#(auth)"}}}"#
            }
            try? FileManager.default.removeItem(atPath: "\(home)/.docker")
            var environment: [String: String?] = [:]
            if sources.contains(.environment) {
                environment["STEVEDORE_REGISTRY_USERNAME"] = env.user
                environment["STEVEDORE_REGISTRY_PASSWORD"] = password(.environment)
            }
            if sources.contains(.dockerConfig) { try env.directory.write("home/.docker/config.json", auths(.dockerConfig)) }
            if sources.contains(.podmanAuthFile) { environment["REGISTRY_AUTH_FILE"] = try env.directory.write("auth.json", auths(.podmanAuthFile)) }
            if sources.contains(.netrc) {
                environment["NETRC"] = try env.directory.write("netrc", "machine 127.0.0.1 login \(env.user) password \(password(.netrc))\n")
            }
            let flags = sources.contains(.flags) ? ["--username", env.user, "--password-stdin"] : []
            return try env.stevedore(
                ["push", "oci-layout:\(source):v1", "\(env.address)/team/\(first.rawValue.lowercased()):v1"] + env.trustArguments + flags,
                stdin: sources.contains(.flags) ? password(.flags) + "\n" : nil,
                environment: environment
            )
        }

        for first in Source.allCases {
            let origin = try #require(origins[first])
            // Right, and every later source wrong: it was used.
            let right = try push(from: first, firstPassword: env.password, others: "wrong-password")
            #expect(right.status == 0, "\(first) right, the rest wrong:\n\(right.output)")
            // Wrong, and every later source right: it was still used, and the error names it.
            let wrong = try push(from: first, firstPassword: "wrong-password", others: env.password)
            #expect(wrong.status == 77, "\(first) wrong, the rest right:\n\(wrong.output)")
            #expect(wrong.stderr.contains("refused user '\(env.user)' from \(origin) "), "\(first) wrong:\n\(wrong.stderr)")
        }
    }
}

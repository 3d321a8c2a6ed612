import StevedoreCore
import StevedoreGitHub

/// The checks run before Kamal touches a host: everything Kamal would fail on late, or get silently wrong,
/// that can be known from the configuration, the secrets, this environment and the registry.
///
/// Each problem becomes a ``DeployFinding`` naming the key and the fix; all are collected, none stops the
/// others.
public struct DeployCheck: Sendable {
    /// The merged Kamal configuration.
    public var configuration: KamalConfiguration
    /// The secrets Kamal would read for the destination.
    public var secrets: KamalSecrets
    /// The tag to deploy.
    public var tag: DeployTag
    /// The registry and repository that were pushed to (its tag and digest are ignored), or `nil` when not known.
    public var pushedRepository: ImageReference?
    /// The last push recorded by `push-image`, if any.
    public var record: PushedImageRecord?
    /// Whether secrets using `$(…)` are accepted (as warnings) although their values cannot be checked.
    public var allowUnverifiedSecrets: Bool

    /// Creates the checks.
    public init(
        configuration: KamalConfiguration,
        secrets: KamalSecrets,
        tag: DeployTag,
        pushedRepository: ImageReference?,
        record: PushedImageRecord? = nil,
        allowUnverifiedSecrets: Bool = false
    ) {
        self.configuration = configuration
        self.secrets = secrets
        self.tag = tag
        self.pushedRepository = pushedRepository
        self.record = record
        self.allowUnverifiedSecrets = allowUnverifiedSecrets
    }

    /// Runs every check, asking `inspector` about the tag in the registry.
    public func run(inspector: any PushedImageInspector) async -> DeployCheckReport {
        var report = DeployCheckReport()
        report.findings = configuration.findings
        checkRegistryServer(into: &report)
        checkImage(into: &report)
        let username = checkRegistryUsername(into: &report)
        let password = checkRegistryPassword(into: &report)
        let login = username.flatMap { user in password.value.map { KamalRegistryLogin(username: user, password: $0) } }
        await checkTag(inspector: inspector, login: login, passwordSecret: password.secret, into: &report)
        let recordedDigest = record.flatMap { $0.reference.tag == tag.value ? $0.digest : nil }
        report.image = kamalReference.map { reference in
            (report.facts?.digest ?? recordedDigest).map { reference.with(digest: $0) } ?? reference
        }
        checkArchitectures(into: &report)
        checkServiceLabel(into: &report)
        return report
    }

    /// The configuration files, for messages: `config/deploy.yml + config/deploy.staging.yml`.
    private var configurationFiles: String { configuration.files.joined(separator: " + ") }

    /// `registry.server/image:tag` as Kamal would pull it, when the configuration says so without ERB.
    private var kamalReference: ImageReference? {
        guard let image = configuration.image, !configuration.hasUnevaluatedERB(at: "image"),
              !configuration.hasUnevaluatedERB(at: "registry.server") else { return nil }
        return try? ImageReference(parsing: "\(configuration.registryServer ?? ImageReference.dockerHub)/\(image):\(tag.value)")
    }

    /// The tag to look up in the registry: in the repository pushed to, else where Kamal would pull it.
    private var lookupReference: ImageReference? {
        pushedRepository.map { $0.with(tag: tag.value) } ?? kamalReference
    }

    /// Whether `registry` is the one Kamal logs in to (`registry.server`, Docker Hub when unset): Kamal's
    /// password goes there and nowhere else, even when the image was pushed elsewhere (that mismatch is an
    /// error of its own).
    private func isRegistryServer(_ registry: String) -> Bool {
        guard !configuration.hasUnevaluatedERB(at: "registry.server") else { return false }
        let server = configuration.registryServer ?? ImageReference.dockerHub
        return ImageReference.normalizedRegistry(server) == ImageReference.normalizedRegistry(registry)
    }

    /// The platform images found under the tag, without attestations (`unknown/unknown`).
    private static func platformImages(_ report: DeployCheckReport) -> [PushedImageFacts.PlatformImage] {
        (report.facts?.images ?? []).filter { $0.platform.os != "unknown" }
    }

    /// `registry.server`: set, and the registry pushed to.
    private func checkRegistryServer(into report: inout DeployCheckReport) {
        let config = configurationFiles
        let server = configuration.registryServer
        if !configuration.hasUnevaluatedERB(at: "registry.server") {
            if let server {
                if let pushed = pushedRepository {
                    if server.lowercased() == pushed.registry.lowercased() {
                        report.passed.append("registry.server is \(server), the registry pushed to")
                    } else {
                        report.error("registry.server", "registry.server is '\(server)' in \(config), but the image was pushed to '\(pushed.registry)'", fix: "set registry.server: \(pushed.registry)")
                    }
                }
            } else {
                let registry = pushedRepository?.registry ?? GitHubContainerRegistry.host
                report.error("registry.server", "registry.server is not set in \(config), so Kamal would pull the image from Docker Hub", fix: "set registry.server: \(registry)")
            }
        }
    }

    /// `image`: a repository path Kamal can use, the repository pushed to; and whether a push is known at all.
    private func checkImage(into report: inout DeployCheckReport) {
        if !configuration.hasUnevaluatedERB(at: "image") {
            checkImageName(configuration.image, server: configuration.registryServer, into: &report)
        }
        if pushedRepository == nil {
            report.warning("image", "no pushed image is known (no --image, no \(PushedImageRecord.defaultPath), no GITHUB_REPOSITORY, no GitHub origin remote), so registry.server and image were not compared with a push", fix: "run push-image first, or pass --image REGISTRY/REPOSITORY")
        }
    }

    /// `registry.username`: set, and its secret resolved. Returns the user name when known.
    private func checkRegistryUsername(into report: inout DeployCheckReport) -> String? {
        let config = configurationFiles
        let owner = pushedRepository?.repository.split(separator: "/").first.map(String.init)
        var username: String?
        if !configuration.hasUnevaluatedERB(at: "registry.username") {
            switch configuration.registryUsername {
            case nil:
                report.error("registry.username", "registry.username is not set in \(config); Kamal logs in to the registry on every host with it", fix: "set registry.username: \(owner ?? "<the registry user, for ghcr.io the GitHub user or organisation>")")
            case .literal(let name)?:
                username = name
                report.passed.append("registry.username is \(name)")
            case .secret(let name)?:
                username = resolveSecret(name, key: "registry.username", into: &report)
            }
        }
        return username
    }

    /// `registry.password`: a secret, not a literal, and resolved. Returns the password when known and the
    /// name of its secret.
    private func checkRegistryPassword(into report: inout DeployCheckReport) -> (value: String?, secret: String?) {
        let config = configurationFiles
        var password: String?
        var passwordSecret: String?
        if !configuration.hasUnevaluatedERB(at: "registry.password") {
            switch configuration.registryPassword {
            case nil:
                report.error("registry.password", "registry.password is not set in \(config); Kamal could not log in to the registry on the hosts", fix: "set registry.password: [KAMAL_REGISTRY_PASSWORD] and add KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN to \(secretsFile)")
            case .literal?:
                report.error("registry.password", "registry.password is written literally in \(config), so the password is in the repository", fix: "revoke that token, set registry.password: [KAMAL_REGISTRY_PASSWORD] and add KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN to \(secretsFile)")
            case .secret(let name)?:
                passwordSecret = name
                password = resolveSecret(name, key: "registry.password", into: &report)
                if let password { report.secretEnvironment[name] = password }
            }
        }
        return (password, passwordSecret)
    }

    /// The tag in the registry, asked with the same credentials Kamal uses; records what it holds in `report.facts`.
    private func checkTag(inspector: any PushedImageInspector, login: KamalRegistryLogin?, passwordSecret: String?, into report: inout DeployCheckReport) async {
        guard let lookup = lookupReference else { return }
        do {
            if let facts = try await inspector.inspect(lookup, login: isRegistryServer(lookup.registry) ? login : nil) {
                report.facts = facts
                let platforms = facts.platforms.map(\.description).joined(separator: ", ")
                report.passed.append("\(lookup) exists: \(facts.digest) (\(platforms))")
                if let record, record.reference.tag == tag.value, record.reference.name == lookup.name, record.digest != facts.digest {
                    report.warning("tag", "\(lookup) is now \(facts.digest), but the last push recorded \(record.digest) in \(PushedImageRecord.defaultPath)", fix: "push again, or check who else pushes this tag")
                }
            } else {
                let fix: String
                if let recorded = record?.reference.tag, recorded != tag.value {
                    fix = "run push-image for this commit first, or pass --tag \(recorded) to deploy the last push recorded in \(PushedImageRecord.defaultPath)"
                } else {
                    fix = "run push-image for this commit first, or pass --tag with a tag that was pushed"
                }
                report.error("tag", "tag \(tag.value) (from \(tag.source.rawValue)) is not in \(lookup.name): the registry answered that the manifest does not exist", fix: fix)
            }
        } catch {
            let secret = passwordSecret.map { " and the \($0) secret" } ?? ""
            let unverified = passwordSecret.flatMap { secrets.entries[$0] }.map { $0.usesCommandSubstitution } ?? false
            if unverified, allowUnverifiedSecrets {
                // Without the password (Kamal computes it), the registry may well refuse: not a reason to stop.
                report.warning("tag", "could not look up \(lookup) in the registry without the password, which only Kamal computes: \(error)", fix: "none needed if the tag was pushed; Kamal logs in on the hosts itself")
            } else {
                report.error("tag", "could not look up \(lookup) in the registry: \(error)", fix: "check the network and the credentials Kamal uses (registry.username\(secret))")
            }
        }
    }

    /// `builder.arch`: set, and every architecture in the image found under the tag.
    private func checkArchitectures(into report: inout DeployCheckReport) {
        let config = configurationFiles
        let lookup = lookupReference
        let architectures = configuration.builderArchitectures
        let images = Self.platformImages(report)
        if !configuration.hasUnevaluatedERB(at: "builder.arch") {
            if let architectures {
                if report.facts != nil {
                    for arch in architectures {
                        let wanted = Platform(os: "linux", architecture: arch).normalized.architecture
                        if images.contains(where: { $0.platform.normalized.architecture == wanted }) {
                            report.passed.append("builder.arch \(arch) is in the image")
                        } else {
                            let present = images.map(\.platform.description).joined(separator: ", ")
                            report.error("builder.arch", "builder.arch lists \(arch), but \(lookup.map(\.description) ?? "the image") has only \(present); hosts running \(arch) would fail to pull it", fix: Self.missingArchitectureFix(arch))
                        }
                    }
                }
            } else {
                let archs = Array(Set(images.map(\.platform.normalized.architecture))).sorted()
                let suggestion = archs.isEmpty ? "amd64" : archs.count == 1 ? archs[0] : "[\(archs.joined(separator: ", "))]"
                report.error("builder.arch", "builder.arch is not set in \(config); Kamal 2 requires it even with --skip-push", fix: "set builder.arch: \(suggestion)")
            }
        }
    }

    /// How to get `arch` into the index the tag names.
    private static func missingArchitectureFix(_ arch: String) -> String {
        "push one index that has linux/\(arch) too: push-image with one --swift-sdk per platform, or the runner matrix of "
            + "`stevedore init github-actions --platforms` (push-image --platform-tag, then `stevedore index create`); or remove \(arch) from builder.arch"
    }

    /// `service`: set, and the label `service=<service>` on every image deployed (Kamal refuses one without it).
    private func checkServiceLabel(into report: inout DeployCheckReport) {
        let config = configurationFiles
        let lookup = lookupReference
        let architectures = configuration.builderArchitectures
        let images = Self.platformImages(report)
        if !configuration.hasUnevaluatedERB(at: "service") {
            if let service = configuration.service {
                let wanted = architectures.map { $0.map { Platform(os: "linux", architecture: $0).normalized.architecture } }
                let deployed = images.filter { wanted?.contains($0.platform.normalized.architecture) ?? true }
                for platformImage in deployed {
                    let label = platformImage.labels["service"]
                    if label == service {
                        report.passed.append("the \(platformImage.platform) image has the label service=\(service)")
                    } else {
                        let has = label.map { "its label is service=\($0)" } ?? "it has no service label"
                        report.error("service", "the \(platformImage.platform) image of \(lookup.map(\.description) ?? "the tag") lacks the label service=\(service) (\(has)); Kamal refuses to deploy it", fix: "build and push again with \(configuration.files[0]) in place (push-image then adds service=\(service)), or set the label service=\(service) explicitly")
                    }
                }
            } else {
                report.error("service", "service is not set in \(config)", fix: "set service: <the product name, in lowercase>")
            }
        }
    }

    /// The secrets file to suggest adding to.
    private var secretsFile: String { secrets.candidateFiles.last ?? ".kamal/secrets" }

    /// The `image` value itself: no registry, tag or digest in it, lowercase, the repository pushed to.
    private func checkImageName(_ image: String?, server: String?, into report: inout DeployCheckReport) {
        let config = configurationFiles
        guard let image, !image.isEmpty else {
            report.error("image", "image is not set in \(config)", fix: "set image: \(pushedRepository?.repository ?? "<owner>/<repository>")")
            return
        }
        let components = image.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, let first = components.first, first.contains(".") || first.contains(":") || first == "localhost" {
            let rest = components.dropFirst().joined(separator: "/")
            let pulled = "\(server ?? String(first))/\(image):\(tag.value)"
            report.error("image", "image '\(image)' starts with the registry '\(first)'; Kamal puts registry.server in front itself and would pull '\(pulled)'", fix: "set image: \(rest.lowercased()) (the registry belongs in registry.server only)")
            return
        }
        if let last = components.last, last.contains(":") || last.contains("@") {
            let bare = String(last.prefix(while: { $0 != ":" && $0 != "@" }))
            let path = (components.dropLast().map(String.init) + [bare]).joined(separator: "/")
            report.error("image", "image '\(image)' carries a tag or digest; Kamal appends :<version> itself", fix: "set image: \(path.lowercased()) and choose the version with --tag")
            return
        }
        if image != image.lowercased() {
            report.error("image", "image '\(image)' has capital letters; registries accept only lowercase repository paths and Kamal does not check", fix: "set image: \(image.lowercased())")
            return
        }
        guard let pushed = pushedRepository else { return }
        if image == pushed.repository {
            report.passed.append("image is \(image), the repository pushed to")
        } else {
            report.error("image", "image is '\(image)' in \(config), but the image was pushed to '\(pushed.name)'", fix: "set image: \(pushed.repository)")
        }
    }

    /// The value of secret `name`, or `nil` after adding a finding when it is missing, empty or unverifiable.
    private func resolveSecret(_ name: String, key: String, into report: inout DeployCheckReport) -> String? {
        let what = key == "registry.password" ? "password" : "username"
        let suggested = key == "registry.password" ? "$GITHUB_TOKEN" : "<registry user>"
        guard let entry = secrets.entries[name] else {
            let files = secrets.existingFiles.isEmpty
                ? "in any secrets file: none of \(secrets.candidateFiles.joined(separator: ", ")) exists"
                : "in \(secrets.existingFiles.joined(separator: " or "))"
            report.error(key, "\(key) names the secret \(name), which is not defined \(files)", fix: "add \(name)=\(suggested) to \(secretsFile)")
            return nil
        }
        guard let value = entry.value else {
            let message = "\(name) (\(entry.location)) uses command substitution $(…), which Stevedore does not run, so its value cannot be checked"
            if allowUnverifiedSecrets {
                report.warning(key, message, fix: "none needed: --allow-unverified-secrets is set and Kamal evaluates it")
            } else {
                report.error(key, message, fix: "pass --allow-unverified-secrets to deploy anyway, or define \(name) from an environment variable")
            }
            return nil
        }
        guard !value.isEmpty else {
            let consequence = "Kamal would not stop but run `docker login` with an empty \(what) on every host"
            if entry.expandedVariables.isEmpty {
                report.error(key, "\(name) is empty (\(entry.location)); \(consequence)", fix: "set \(name)=\(suggested) in \(entry.file)")
            } else {
                let variables = entry.expandedVariables.map { "$\($0)" }.joined(separator: ", ")
                let first = entry.expandedVariables[0]
                let hint = first == "GITHUB_TOKEN" ? " (a token that can read the package)" : ""
                report.error(key, "\(name) (\(entry.location)) expands \(variables), which is empty or unset in this environment; \(consequence)", fix: "export \(first)\(hint) before deploying")
            }
            return nil
        }
        report.passed.append("\(key): the secret \(name) from \(entry.location) is set (value hidden)")
        return value
    }
}

/// What ``DeployCheck`` found.
public struct DeployCheckReport: Sendable {
    /// The problems, in the order found.
    public var findings: [DeployFinding] = []
    /// One line per check that passed.
    public var passed: [String] = []
    /// The reference Kamal will pull (`registry.server/image:tag`), with the digest when known.
    public var image: ImageReference?
    /// What the registry holds under the tag, when it was found.
    public var facts: PushedImageFacts?
    /// The secrets to hand Kamal in its environment, by name (the registry password).
    public var secretEnvironment: [String: String] = [:]

    /// Creates an empty report.
    public init() {}

    /// Whether any finding stops the deployment.
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }

    mutating func error(_ key: String, _ message: String, fix: String) {
        findings.append(DeployFinding(.error, key: key, message: message, fix: fix))
    }

    mutating func warning(_ key: String, _ message: String, fix: String) {
        findings.append(DeployFinding(.warning, key: key, message: message, fix: fix))
    }
}

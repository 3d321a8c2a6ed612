import Foundation
import Yams
import StevedoreCore

/// A Kamal 2 configuration as Kamal would load it: `config/deploy.yml`, with `config/deploy.DEST.yml`
/// deep-merged over it when a destination is given, after the supported ERB (`ENV[...]`, `ENV.fetch(...)`)
/// has been evaluated.
public struct KamalConfiguration: Sendable {
    /// Where a registry credential comes from.
    public enum Credential: Hashable, Sendable {
        /// Written in the configuration itself.
        case literal(String)
        /// `[NAME]`: the secret `NAME` from the secrets files.
        case secret(String)
    }

    /// The merged configuration.
    public var values: KamalConfigurationValue
    /// The destination (`-d`), if any.
    public var destination: String?
    /// The files read, relative to the package directory, base first.
    public var files: [String]
    /// Problems met while loading: ERB that could not be evaluated, each naming the key it sits under.
    public var findings: [DeployFinding]

    /// The default configuration file, relative to the package directory.
    public static let defaultFile = "config/deploy.yml"

    /// Creates a configuration from already merged values.
    public init(values: KamalConfigurationValue, destination: String? = nil, files: [String] = [defaultFile], findings: [DeployFinding] = []) {
        self.values = values
        self.destination = destination
        self.files = files
        self.findings = findings
    }

    /// The destination file Kamal merges over `file`: `config/deploy.yml` + `staging` → `config/deploy.staging.yml`.
    public static func destinationFile(for file: String, destination: String) -> String {
        let url = URL(fileURLWithPath: file)
        let stem = url.deletingPathExtension().lastPathComponent
        let ext = url.pathExtension.isEmpty ? "yml" : url.pathExtension
        let directory = (file as NSString).deletingLastPathComponent
        let name = "\(stem).\(destination).\(ext)"
        return directory.isEmpty ? name : "\(directory)/\(name)"
    }

    /// Whether the configuration file exists in `packageDirectory`.
    public static func exists(packageDirectory: String, file: String = defaultFile) -> Bool {
        FileManager.default.fileExists(atPath: absolute(file, in: packageDirectory))
    }

    /// Loads `file` (relative to `packageDirectory`, or absolute) and, with a destination, the destination file.
    ///
    /// - Parameter environment: what ERB's `ENV` sees.
    /// - Throws: ``StevedoreError`` `configurationNotFound` when a file is missing, `invalidConfiguration`
    ///   when one is not YAML or not a mapping.
    public static func load(
        packageDirectory: String,
        file: String = defaultFile,
        destination: String? = nil,
        environment: [String: String]
    ) throws -> KamalConfiguration {
        var files = [file]
        if let destination { files.append(destinationFile(for: file, destination: destination)) }
        var merged = KamalConfigurationValue.mapping([:])
        var issues: [(file: String, issue: ERBTemplate.Issue)] = []
        for (index, name) in files.enumerated() {
            let path = absolute(name, in: packageDirectory)
            guard let data = FileManager.default.contents(atPath: path) else {
                if index == 0 {
                    throw StevedoreError(.configurationNotFound, "\(name) not found in \(packageDirectory); run `stevedore init kamal` to write one, or pass --config-file")
                }
                throw StevedoreError(.configurationNotFound, "\(name) not found: the destination '\(destination ?? "")' needs it, as it does for Kamal; create it or choose another destination with -d")
            }
            let template = ERBTemplate(
                evaluating: String(decoding: data, as: UTF8.self),
                environment: environment,
                markerPrefix: "STEVEDORE-ERB-\(index)-"
            )
            issues += template.issues.map { (name, $0) }
            let node: Node?
            do {
                node = try Yams.compose(yaml: template.text)
            } catch {
                throw StevedoreError(.invalidConfiguration, "\(name) is not valid YAML: \(error)")
            }
            if let node, let excess = KamalConfigurationValue.expansionExcess(of: node) {
                throw StevedoreError(.invalidConfiguration, "\(name) \(excess); a Kamal configuration needs far less, so it is refused")
            }
            let value = node.map(KamalConfigurationValue.init(node:)) ?? .mapping([:])
            guard case .mapping = value else {
                throw StevedoreError(.invalidConfiguration, "\(name) must be a YAML mapping of Kamal keys (service, image, servers, registry, builder…)")
            }
            merged = merged.deepMerged(with: value)
        }
        var configuration = KamalConfiguration(values: merged, destination: destination, files: files)
        configuration.findings = issues.flatMap { configuration.findings(for: $0.issue, in: $0.file) }
        return configuration
    }

    /// `service`.
    public var service: String? { values.value(at: "service")?.scalarText }
    /// `image`: the repository path without the registry.
    public var image: String? { values.value(at: "image")?.scalarText }
    /// `registry.server`; Docker Hub when absent.
    public var registryServer: String? { values.value(at: "registry.server")?.scalarText }
    /// `registry.username`.
    public var registryUsername: Credential? { credential(at: "registry.username") }
    /// `registry.password`.
    public var registryPassword: Credential? { credential(at: "registry.password") }
    /// `builder.arch`, a single architecture or a list; `nil` when absent.
    public var builderArchitectures: [String]? {
        switch values.value(at: "builder.arch") {
        case .scalar(let arch)?: return [arch]
        case .sequence(let items)?:
            let archs = items.compactMap(\.scalarText)
            return archs.isEmpty ? nil : archs
        default: return nil
        }
    }
    /// `secrets_path`, where Kamal reads secrets from (`.kamal/secrets` unless set).
    public var secretsPath: String { values.value(at: "secrets_path")?.scalarText ?? ".kamal/secrets" }

    /// Whether the values of `key` (or anything under it) still hold an ERB tag that was not evaluated.
    func hasUnevaluatedERB(at key: String) -> Bool {
        findings.contains { $0.key == key || $0.key.hasPrefix(key + ".") || $0.key.hasPrefix(key + "[") }
    }

    private func credential(at path: String) -> Credential? {
        switch values.value(at: path) {
        case .scalar(let text)?: return text.isEmpty ? nil : .literal(text)
        case .sequence(let items)?:
            guard let name = items.first?.scalarText else { return nil }
            return .secret(name)
        default: return nil
        }
    }

    /// The keys Stevedore checks: ERB under them that could not be evaluated is an error, elsewhere a warning.
    private static let checkedKeys = ["service", "image", "registry", "builder", "secrets_path"]

    private func findings(for issue: ERBTemplate.Issue, in file: String) -> [DeployFinding] {
        let location = "\(file) line \(issue.line)"
        let paths = issue.marker.isEmpty ? [] : values.scalars().filter { $0.text.contains(issue.marker) }.map(\.path)
        let keys = paths.isEmpty ? [location] : paths
        return keys.map { key in
            let checked = Self.checkedKeys.contains { key == $0 || key.hasPrefix($0 + ".") || key.hasPrefix($0 + "[") }
            let severity: DeployFinding.Severity = checked ? .error : .warning
            switch issue.kind {
            case .missingVariable(let name):
                return DeployFinding(
                    .error, key: key,
                    message: "\(issue.tag) (\(location)) needs \(name), which is not set in this environment; Kamal would stop with KeyError",
                    fix: "export \(name) before deploying, or give a default: ENV.fetch(\"\(name)\", \"…\")"
                )
            case .notEvaluated:
                return DeployFinding(
                    severity, key: key,
                    message: "\(issue.tag) (\(location)) is ERB that Stevedore does not evaluate (it evaluates only ENV[\"NAME\"] and ENV.fetch(\"NAME\"[, \"default\"])), so this value cannot be checked",
                    fix: checked
                        ? "write the value literally, or use <%= ENV[\"NAME\"] %> / <%= ENV.fetch(\"NAME\") %>"
                        : "none needed if Kamal evaluates it as you expect; Stevedore does not check this key"
                )
            case .codeTag:
                return DeployFinding(
                    .warning, key: key,
                    message: "\(issue.tag) (\(location)) is an ERB code tag that Stevedore does not run; the text around it was read as if the tag were absent",
                    fix: "prefer a destination file (config/deploy.DEST.yml with -d DEST) over ERB conditions"
                )
            }
        }
    }

    static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : "\(directory)/\(path)"
    }
}

/// One problem the checks found in the Kamal configuration, the secrets or the pushed image, with the key
/// it concerns and how to fix it.
public struct DeployFinding: Hashable, Sendable, CustomStringConvertible {
    /// Whether a finding stops the deployment.
    public enum Severity: String, Hashable, Sendable {
        /// Kamal would fail, or do something wrong; the deployment does not start.
        case error
        /// Worth knowing; the deployment goes on.
        case warning
    }

    /// Whether this finding stops the deployment.
    public var severity: Severity
    /// The configuration key (`registry.server`), secret (`KAMAL_REGISTRY_PASSWORD`) or file concerned.
    public var key: String
    /// What is wrong.
    public var message: String
    /// What to do about it.
    public var fix: String

    /// Creates a finding.
    public init(_ severity: Severity, key: String, message: String, fix: String) {
        self.severity = severity
        self.key = key
        self.message = message
        self.fix = fix
    }

    /// `error: registry.server: <message>` and, on the next line, `  fix: <fix>`.
    public var description: String {
        "\(severity.rawValue): \(key): \(message)\n  fix: \(fix)"
    }
}

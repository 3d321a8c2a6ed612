/// A token scope: what a Bearer token may do, `TYPE:NAME:ACTIONS`, e.g. `repository:owner/app:pull,push`.
///
/// Scopes are built typed (``pull(_:)``, ``pullPush(_:)``) and parsed once from a challenge; the query string
/// and the token cache use ``description``.
/// See <https://distribution.github.io/distribution/spec/auth/scope/>.
public struct RegistryScope: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The resource type, `repository` for images (registries also know `registry:catalog:*`).
    public var resourceType: String
    /// The resource name: a repository path for `repository`.
    public var name: String
    /// The actions, e.g. `pull` and `push`.
    public var actions: [String]

    public init(resourceType: String, name: String, actions: [String]) {
        (self.resourceType, self.name, self.actions) = (resourceType, name, actions)
    }

    /// Read access to `repository`.
    public static func pull(_ repository: String) -> RegistryScope {
        RegistryScope(resourceType: "repository", name: repository, actions: ["pull"])
    }

    /// Read and write access to `repository`.
    public static func pullPush(_ repository: String) -> RegistryScope {
        RegistryScope(resourceType: "repository", name: repository, actions: ["pull", "push"])
    }

    /// Parses `TYPE:NAME:ACTIONS` (a name may itself hold a `:`, e.g. a registry with a port); `nil` when a
    /// part is missing.
    public init?(parsing text: String) {
        guard let first = text.firstIndex(of: ":"), let last = text.lastIndex(of: ":"), first < last else { return nil }
        let type = text[..<first], name = text[text.index(after: first)..<last], actions = text[text.index(after: last)...]
        guard !type.isEmpty, !name.isEmpty, !actions.isEmpty else { return nil }
        self.init(resourceType: String(type), name: String(name), actions: actions.split(separator: ",").map(String.init))
    }

    /// The repository this scope is about, if it is about one.
    public var repository: String? { resourceType == "repository" ? name : nil }

    public var description: String { "\(resourceType):\(name):\(actions.joined(separator: ","))" }

    public static func < (lhs: RegistryScope, rhs: RegistryScope) -> Bool { lhs.description < rhs.description }
}

import Foundation

/// A GitHub repository name, `owner/name`, as written in `GITHUB_REPOSITORY` or a git remote URL.
///
/// The one parser for GitHub remotes. The grammar is GitHub's: an owner of 1 to 39 ASCII letters, digits, `-` and
/// `_` (not starting with `-`), and a name of 1 to 100 ASCII letters, digits, `-`, `_` and `.` (not `.` or `..`).
public struct GitHubRepositoryName: Hashable, Sendable, CustomStringConvertible {
    /// The owner (user or organisation), in the case GitHub reported it.
    public let owner: String
    /// The repository name without a `.git` suffix, in the case GitHub reported it.
    public let name: String

    /// Creates a name from its two parts, as given.
    public init(owner: String, name: String) { (self.owner, self.name) = (owner, name) }

    /// Parses `owner/name`, the form of `GITHUB_REPOSITORY`; `nil` when `slug` is not of that form.
    public init?(slug: String) {
        let parts = slug.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let name = Self.strippingGitSuffix(parts[1])
        guard Self.isValidOwner(parts[0]), Self.isValidName(name) else { return nil }
        owner = String(parts[0])
        self.name = String(name)
    }

    /// Parses a git remote URL that points at github.com; `nil` for any other host or form.
    ///
    /// Accepted: `https://github.com/owner/name(.git)` (also `http`, `git` and `ssh` schemes, with or without a
    /// user such as `git@` or `user:token@`, and with a port), `ssh://git@github.com/owner/name(.git)`, and the
    /// scp-like `git@github.com:owner/name(.git)`; a trailing `/` is ignored.
    public init?(remoteURL: String) {
        var rest = remoteURL.trimmingCharacters(in: .whitespacesAndNewlines)
        var path: Substring
        if let schemeEnd = rest.range(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            guard ["https", "http", "ssh", "git", "git+ssh", "ssh+git"].contains(scheme) else { return nil }
            rest = String(rest[schemeEnd.upperBound...])
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            var authority = rest[..<slash]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            if let colon = authority.firstIndex(of: ":") { authority = authority[..<colon] }
            guard Self.isGitHubHost(authority) else { return nil }
            path = rest[rest.index(after: slash)...]
        } else {
            // scp-like syntax: [user@]host:path
            guard let colon = rest.firstIndex(of: ":") else { return nil }
            var host = rest[..<colon]
            if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
            guard !host.contains("/"), Self.isGitHubHost(host) else { return nil }
            path = rest[rest.index(after: colon)...]
        }
        while path.hasPrefix("/") { path = path.dropFirst() }
        while path.hasSuffix("/") { path = path.dropLast() }
        self.init(slug: String(path))
    }

    /// `owner/name` as GitHub reported it.
    public var description: String { "\(owner)/\(name)" }

    /// The default image repository for this GitHub repository: `ghcr.io/<owner>/<name>`, lowercased as the
    /// registry requires.
    public var containerRepository: String {
        "\(GitHubContainerRegistry.host)/\(GitHubContainerRegistry.repositoryPath(for: self))"
    }

    /// The repository's web address, used for the `org.opencontainers.image.source` label.
    public func webURL(server: String = GitHubActionsEnvironment.defaultServerURL) -> String {
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/\(owner)/\(name)"
    }

    private static func isGitHubHost(_ host: Substring) -> Bool {
        let lowered = host.lowercased()
        return lowered == "github.com" || lowered == "www.github.com" || lowered == "ssh.github.com"
    }

    private static func isValidOwner(_ owner: Substring) -> Bool {
        (1...39).contains(owner.count) && !owner.hasPrefix("-") && owner.allSatisfy { character in
            character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
        }
    }

    private static func isValidName(_ name: Substring) -> Bool {
        (1...100).contains(name.count) && name != "." && name != ".." && name.allSatisfy { character in
            character.isASCII && (character.isLetter || character.isNumber || "-_.".contains(character))
        }
    }

    private static func strippingGitSuffix(_ name: Substring) -> Substring {
        name.lowercased().hasSuffix(".git") && name.count > 4 ? name.dropLast(4) : name
    }
}

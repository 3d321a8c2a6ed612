import StevedoreCore

/// Looks up a pushed image in its registry, the way a Kamal host would see it.
///
/// The CLI provides an implementation backed by the registry client; it must `HEAD` (or `GET`) the manifest
/// with the given login, and read each platform's configuration for its labels.
public protocol PushedImageInspector: Sendable {
    /// The facts about `reference` (which carries a tag), or `nil` when the registry says the tag does not
    /// exist. Throws when the registry cannot be asked (network, authentication).
    ///
    /// - Parameter login: the credentials Kamal would use on the hosts (`registry.username` and the
    ///   `registry.password` secret), or `nil` when they are not known.
    func inspect(_ reference: ImageReference, login: KamalRegistryLogin?) async throws -> PushedImageFacts?
}

/// The registry credentials from a Kamal configuration. The password never appears in ``description``.
public struct KamalRegistryLogin: Hashable, Sendable, CustomStringConvertible {
    /// `registry.username`, resolved.
    public var username: String
    /// The value of the `registry.password` secret.
    public var password: String

    /// Creates a login.
    public init(username: String, password: String) { (self.username, self.password) = (username, password) }

    public var description: String { "\(username) (password hidden)" }
}

/// What the registry holds under a tag.
public struct PushedImageFacts: Hashable, Sendable {
    /// One image of the tag: the only one for a manifest, one per platform for an index.
    public struct PlatformImage: Hashable, Sendable {
        /// The platform the image runs on.
        public var platform: Platform
        /// The image configuration's `config.Labels`.
        public var labels: [String: String]

        /// Creates a platform image.
        public init(platform: Platform, labels: [String: String]) { (self.platform, self.labels) = (platform, labels) }
    }

    /// The digest of the manifest or index the tag points to.
    public var digest: Digest
    /// The images under the tag.
    public var images: [PlatformImage]

    /// Creates the facts for a tag.
    public init(digest: Digest, images: [PlatformImage]) { (self.digest, self.images) = (digest, images) }

    /// The platforms present, in order.
    public var platforms: [Platform] { images.map(\.platform) }
}

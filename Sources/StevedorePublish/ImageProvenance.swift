import Foundation

/// Where an image came from: the timestamp it is built with and the OCI labels that point back at its source.
public struct ImageProvenance: Hashable, Sendable {
    /// The label keys Stevedore sets, from the OCI image specification's pre-defined annotation keys.
    public enum LabelKey {
        /// The URL of the source repository.
        public static let source = "org.opencontainers.image.source"
        /// The commit the image was built from.
        public static let revision = "org.opencontainers.image.revision"
        /// When the image was created (RFC 3339), here the commit time so rebuilds agree.
        public static let created = "org.opencontainers.image.created"
    }

    /// Seconds since the Unix epoch written into the image's timestamps, `nil` to leave the engine's default.
    public var sourceDateEpoch: Int64?
    /// The full commit SHA, `nil` outside a git work tree and GitHub Actions.
    public var revision: String?
    /// The web address of the source repository, `nil` when it is not known to be a GitHub repository.
    public var source: String?
    /// Whether the work tree had uncommitted changes.
    public var isDirty: Bool

    /// Creates provenance from its parts.
    public init(sourceDateEpoch: Int64?, revision: String?, source: String?, isDirty: Bool) {
        self.sourceDateEpoch = sourceDateEpoch
        self.revision = revision
        self.source = source
        self.isDirty = isDirty
    }

    /// The labels to set, as `(key, value)` pairs in a fixed order; keys with no known value are left out.
    public var labels: [(key: String, value: String)] {
        var labels: [(key: String, value: String)] = []
        if let source { labels.append((LabelKey.source, source)) }
        if let revision { labels.append((LabelKey.revision, revision)) }
        if let sourceDateEpoch { labels.append((LabelKey.created, Self.rfc3339(sourceDateEpoch))) }
        return labels
    }

    /// Messages to show the user, e.g. that the work tree is dirty.
    public var warnings: [String] {
        guard isDirty else { return [] }
        return ["the work tree has uncommitted changes: the image is built from them but labelled with commit "
            + "\(revision ?? "HEAD"); its default tag gets a '-dirty' suffix and 'latest' is not set. Commit first for a reproducible image."]
    }

    /// `seconds` since the epoch as an RFC 3339 UTC timestamp, e.g. `2024-05-01T12:00:00Z`.
    public static func rfc3339(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

extension Digest {
    /// The tag under which a registry without the referrers API (and an OCI layout) keeps the index of this
    /// digest's referrers: `<algorithm>-<encoded>`, truncated to the 128 characters a tag may have, e.g.
    /// `sha256-0123…`.
    ///
    /// See <https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema>.
    public var referrersTag: String {
        String("\(algorithm)-\(encoded)".prefix(128))
    }
}

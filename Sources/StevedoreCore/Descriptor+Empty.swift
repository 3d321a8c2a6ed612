extension Descriptor {
    /// The bytes of the empty JSON object, `{}`: the configuration of an artifact that has none.
    public static let emptyJSONData: [UInt8] = Array("{}".utf8)

    /// The descriptor of the empty JSON object (`application/vnd.oci.empty.v1+json`, 2 bytes), the `config`
    /// of an artifact manifest. The 2-byte blob must be stored or pushed like any other.
    ///
    /// See <https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidance-for-an-empty-descriptor>.
    public static let emptyJSON = Descriptor(mediaType: .ociEmpty, digest: .sha256(of: emptyJSONData), size: Int64(emptyJSONData.count))
}

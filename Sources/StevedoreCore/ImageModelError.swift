/// An error in the image model: a value that does not follow the OCI specifications.
///
/// A ``StevedoreError`` with one of the codes below; all of them are ``StevedoreError/Category/invalidInput``.
/// The ``StevedoreError/message`` says what was wrong and, where one exists, how to write it correctly.
public typealias ImageModelError = StevedoreError

extension StevedoreError.Code {
    /// A digest is not `algorithm:hex` with a known algorithm and the right length.
    public static let invalidDigest = Self("image.invalid-digest", category: .invalidInput)
    /// An image reference does not follow the distribution grammar.
    public static let invalidReference = Self("image.invalid-reference", category: .invalidInput)
    /// A platform is not `os/architecture[/variant]`.
    public static let invalidPlatform = Self("image.invalid-platform", category: .invalidInput)
    /// A media type is not `type/subtype`.
    public static let invalidMediaType = Self("image.invalid-media-type", category: .invalidInput)
    /// An image location (`oci-layout:`, `docker-archive:`, a reference) cannot be parsed.
    public static let invalidLocation = Self("image.invalid-location", category: .invalidInput)
    /// A document is not valid JSON for the type it should be.
    public static let invalidJSON = Self("image.invalid-json", category: .invalidInput)
    /// Content does not have the digest its descriptor says (the OCI layout uses it too).
    public static let digestMismatch = Self("image.digest-mismatch", category: .invalidInput)
    /// Content does not have the size its descriptor says, or is larger than allowed (the OCI layout uses
    /// it too).
    public static let sizeMismatch = Self("image.size-mismatch", category: .invalidInput)
}

import StevedoreCore

/// An error reading or writing an OCI image layout on disk.
///
/// A ``StevedoreError`` with one of the codes below, or with the shared codes `io`, `blobNotFound`,
/// `digestMismatch` and `sizeMismatch`. The message names the path or digest concerned.
public typealias LayoutError = StevedoreError

extension StevedoreError.Code {
    /// The directory exists but is not an OCI image layout, so nothing can be written into it.
    public static let notALayout = Self("layout.not-a-layout", category: .outputFailed)
    /// The layout has no image with the tag asked for, or holds no image at all.
    public static let tagNotFound = Self("layout.tag-not-found", category: .notFound)
    /// No tag was given and the layout holds several images.
    public static let ambiguousTag = Self("layout.ambiguous-tag", category: .notFound)
    /// `index.json` cannot be read or is not a valid image index.
    public static let invalidIndex = Self("layout.invalid-index", category: .invalidInput)
}

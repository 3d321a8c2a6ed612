import StevedoreCore

/// An error while building a layer from files or while reading a layer back.
///
/// A ``StevedoreError`` with one of the codes below; all of them are ``StevedoreError/Category/io``, which
/// keeps the CLI's exit code 74 for them. The message names the file or path involved and says what to
/// change.
public typealias ArchiveError = StevedoreError

extension StevedoreError.Code {
    /// A path given for the image is empty, contains `..`, a NUL byte, or is otherwise unusable.
    public static let invalidPath = Self("archive.invalid-path", category: .io)
    /// Two entries cannot both exist, e.g. a file where a directory with children is.
    public static let pathConflict = Self("archive.path-conflict", category: .io)
    /// A hard link points at a path that is missing from the tree or is not a regular file.
    public static let invalidHardLink = Self("archive.invalid-hard-link", category: .io)
    /// A symbolic link in a host directory points outside that directory.
    public static let symlinkOutsideSource = Self("archive.symlink-outside-source", category: .io)
    /// A host directory holds a socket, FIFO or device node, which a layer cannot carry.
    public static let unsupportedFileType = Self("archive.unsupported-file-type", category: .io)
    /// A host file or directory could not be read (the message carries the system's reason).
    public static let unreadableFile = Self("archive.unreadable-file", category: .io)
    /// A host file grew or shrank while it was being archived.
    public static let fileChangedWhileReading = Self("archive.file-changed-while-reading", category: .io)
    /// A `LayerOptions` value is out of range.
    public static let invalidOptions = Self("archive.invalid-options", category: .io)
    /// libarchive reported a failure.
    public static let archiveFailure = Self("archive.libarchive", category: .io)
    /// zlib reported a failure.
    public static let compressionFailure = Self("archive.compression", category: .io)
    /// Writing to the blob sink failed (the sink's error is the cause).
    public static let sinkFailure = Self("archive.sink-failure", category: .io)
    /// The layer's media type is one this module cannot read.
    public static let unsupportedMediaType = Self("archive.unsupported-media-type", category: .io)
    /// The operation was cancelled.
    public static let cancelled = Self("archive.cancelled", category: .io)
}

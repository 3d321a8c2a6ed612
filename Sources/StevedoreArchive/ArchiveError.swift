/// An error while building a layer from files or while reading a layer back.
///
/// The ``message`` names the file or path involved and says what to change.
public struct ArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// A path given for the image is empty, contains `..`, a NUL byte, or is otherwise unusable.
        case invalidPath
        /// Two entries cannot both exist, e.g. a file where a directory with children is.
        case pathConflict
        /// A hard link points at a path that is missing from the tree or is not a regular file.
        case invalidHardLink
        /// A symbolic link in a host directory points outside that directory.
        case symlinkOutsideSource
        /// A host directory holds a socket, FIFO or device node, which a layer cannot carry.
        case unsupportedFileType
        /// A host file or directory could not be read (the message carries the system's reason).
        case unreadableFile
        /// A host file grew or shrank while it was being archived.
        case fileChangedWhileReading
        /// A ``LayerOptions`` value is out of range.
        case invalidOptions
        /// libarchive reported a failure.
        case archiveFailure
        /// zlib reported a failure.
        case compressionFailure
        /// Writing to the blob sink failed.
        case sinkFailure
        /// The layer's media type is one this module cannot read.
        case unsupportedMediaType
        /// The operation was cancelled.
        case cancelled
    }

    /// What went wrong.
    public let code: Code
    /// A message a user can act on.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

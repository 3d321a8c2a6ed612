/// An error reading or writing an OCI image layout on disk.
public struct LayoutError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        case io
        case notALayout
        case blobNotFound
        case digestMismatch
        case sizeMismatch
        case tagNotFound
        case ambiguousTag
        case invalidIndex
    }

    public let code: Code
    /// A message a user can act on: it names the path or digest concerned.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// An error in the image model: a value that does not follow the OCI specifications.
///
/// The ``message`` says what was wrong and, where one exists, how to write it correctly.
public struct ImageModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of value was rejected.
    public enum Code: String, Sendable, Hashable {
        case invalidDigest
        case invalidReference
        case invalidPlatform
        case invalidMediaType
        case invalidLocation
        case invalidJSON
        case digestMismatch
        case sizeMismatch
    }

    /// What kind of value was rejected.
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

/// An error assembling an image: bad settings, inputs that cannot go into an image, a platform mismatch.
public struct BuildError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case invalidEnvironment
        case invalidLabel
        case invalidAnnotation
        case invalidPort
        case invalidAddition
        case invalidArgument
        case missingInput
        case platformMismatch
    }

    public let code: Code
    /// A message a user can act on.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// An output location that cannot be written, or a location that cannot be used the way it was asked.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// An error writing a docker-archive tarball.
public struct DockerArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case io
        case archive
    }

    public let code: Code
    /// A message naming the file and what failed.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

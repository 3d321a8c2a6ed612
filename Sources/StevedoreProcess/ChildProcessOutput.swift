/// What a finished child process printed, and how it ended.
public struct ChildProcessOutput: Hashable, Sendable {
    /// How it ended.
    public var status: ChildProcessStatus
    /// Its standard output, at most the output limit's bytes.
    public var standardOutput: [UInt8]
    /// Its standard error, at most the output limit's bytes.
    public var standardError: [UInt8]
    /// Whether either stream was longer than the limit and cut.
    public var isTruncated: Bool

    /// Creates an outcome from its parts.
    public init(status: ChildProcessStatus, standardOutput: [UInt8], standardError: [UInt8], isTruncated: Bool = false) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.isTruncated = isTruncated
    }

    /// Standard output as UTF-8 text without surrounding whitespace and newlines.
    public var outputText: String { Self.trimmed(standardOutput) }

    /// Standard error as UTF-8 text without surrounding whitespace and newlines.
    public var errorText: String { Self.trimmed(standardError) }

    private static func trimmed(_ bytes: [UInt8]) -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}

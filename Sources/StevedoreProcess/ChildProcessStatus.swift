/// How a child process ended.
public enum ChildProcessStatus: Hashable, Sendable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signalled(Int32)

    /// Whether it exited with status 0.
    public var isSuccess: Bool { self == .exited(0) }

    /// The status as a shell reports it: the exit status, or 128 + the signal number.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let status): return status
        case .signalled(let signal): return 128 + signal
        }
    }

    public var description: String {
        switch self {
        case .exited(let status): return "exit status \(status)"
        case .signalled(let signal): return "signal \(signal)"
        }
    }
}

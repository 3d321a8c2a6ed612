import Foundation
import StevedoreCore

/// An engine error as the CLI reports it: a one-line message and a sysexits-style exit code, from the
/// error's ``StevedoreError/Category``.
///
/// | code | category | meaning |
/// | --- | --- | --- |
/// | 1 | `failure`, `unavailable` | verification found problems, a registry kept failing, or another failure |
/// | 64 | `usage` | a missing or malformed option the engine found |
/// | 65 | `invalidInput` | bad input data: invalid reference, not an ELF file, wrong architecture, corrupt image |
/// | 66 | `notFound` | an input file or image is missing or unreadable |
/// | 73 | `outputFailed` | an output cannot be created |
/// | 74 | `io` | an I/O error while writing (e.g. the disk is full) |
/// | 77 | `denied` | the registry refused the credentials or the permission |
struct CommandFailure {
    var message: String
    var exitCode: Int32

    /// The failure for an engine error, or `nil` for an error the argument parser reports itself.
    init?(_ error: any Error) {
        guard let error = error as? StevedoreError else { return nil }
        self.init(message: error.message, exitCode: Self.exitCode(for: error.category))
    }

    init(message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    /// The exit code for a category of failure.
    static func exitCode(for category: StevedoreError.Category) -> Int32 {
        switch category {
        case .usage: 64
        case .invalidInput: 65
        case .notFound: 66
        case .outputFailed: 73
        case .io: 74
        case .denied: 77
        case .unavailable, .failure: 1
        }
    }
}

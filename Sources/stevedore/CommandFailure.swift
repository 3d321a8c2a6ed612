import Foundation
import StevedoreArchive
import StevedoreAuth
import StevedoreBuild
import StevedoreCore
import StevedoreDeploy
import StevedoreELF
import StevedoreJobs
import StevedoreLayout
import StevedorePublish
import StevedoreScaffold
import StevedoreRegistry
import StevedoreTarball

/// An engine error as the CLI reports it: a one-line message and a sysexits-style exit code.
///
/// | code | meaning |
/// | --- | --- |
/// | 1 | verification found problems, or another failure |
/// | 65 | bad input data: invalid reference, not an ELF file, wrong architecture, corrupt image |
/// | 66 | an input file or image is missing or unreadable |
/// | 73 | an output cannot be created |
/// | 74 | an I/O error while writing (e.g. the disk is full) |
/// | 77 | the registry refused the credentials or the permission |
struct CommandFailure {
    var message: String
    var exitCode: Int32

    init?(_ error: any Error) {
        switch error {
        case let error as ImageModelError:
            self.init(message: error.message, exitCode: 65)
        case let error as BuildError:
            switch error.code {
            case .missingInput: self.init(message: error.message, exitCode: 66)
            default: self.init(message: error.message, exitCode: 65)
            }
        case let error as ELFError:
            self.init(message: error.message, exitCode: error.code == .unreadable ? 66 : 65)
        case let error as ArchiveError:
            self.init(message: error.message, exitCode: 74)
        case let error as LayoutError:
            switch error.code {
            case .io: self.init(message: error.message, exitCode: 74)
            case .notALayout: self.init(message: error.message, exitCode: 73)
            case .blobNotFound, .tagNotFound, .ambiguousTag: self.init(message: error.message, exitCode: 66)
            default: self.init(message: error.message, exitCode: 65)
            }
        case let error as DockerArchiveError:
            self.init(message: error.message, exitCode: 74)
        case let error as OutputError:
            self.init(message: error.message, exitCode: 73)
        case let error as RegistryError:
            switch error.code {
            case .manifestNotFound, .repositoryNotFound, .blobNotFound: self.init(message: error.message, exitCode: 66)
            case .unauthorized, .denied: self.init(message: error.message, exitCode: 77)
            default: self.init(message: error.message, exitCode: 1)
            }
        case let error as CredentialError:
            self.init(message: error.message, exitCode: 1)
        case let error as DeployError:
            switch error.code {
            case .configurationNotFound, .unreadableSecrets, .kamalNotFound: self.init(message: error.message, exitCode: 66)
            case .invalidConfiguration, .invalidPushedImageFile, .tagUnavailable: self.init(message: error.message, exitCode: 65)
            case .checksFailed, .kamalLaunchFailed: self.init(message: error.message, exitCode: 1)
            }
        case let error as KamalScaffoldError:
            self.init(message: error.message, exitCode: error.code == .writeFailed ? 74 : 73)
        case let error as PublishError:
            self.init(message: error.message, exitCode: error.code == .missingRepository || error.code == .invalidArgument ? 64 : 1)
        case let error as GitHubWorkflowScaffoldError:
            self.init(message: error.message, exitCode: 73)
        case let error as VerificationFailed:
            self.init(message: error.message, exitCode: 1)
        default:
            return nil
        }
    }

    init(message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }
}

/// `verify` found problems.
struct VerificationFailed: Error {
    var message: String
}

import StevedoreArchive
import StevedoreAuth
import StevedoreBuild
import StevedoreCore
import StevedoreDeploy
import StevedoreELF
import StevedoreLayout
import StevedorePublish
import StevedoreRegistry
import StevedoreScaffold
import StevedoreTarball
import Testing
@testable import stevedore

/// Every module's codes keep the exit code the CLI gave them when it switched over each module's error type.
struct CommandFailureTests {
    @Test(arguments: [
        // Core: bad input data.
        (StevedoreError.Code.invalidDigest, Int32(65)), (.invalidReference, 65), (.invalidPlatform, 65), (.invalidMediaType, 65),
        (.invalidLocation, 65), (.invalidJSON, 65), (.digestMismatch, 65), (.sizeMismatch, 65),
        // Build: missing input is 66, the rest 65.
        (.invalidEnvironment, 65), (.invalidLabel, 65), (.invalidAnnotation, 65), (.invalidPort, 65), (.invalidAddition, 65),
        (.invalidSetting, 65), (.missingInput, 66), (.platformMismatch, 65),
        // ELF: unreadable is 66, the rest 65.
        (.notELF, 65), (.truncated, 65), (.corrupt, 65), (.unsupportedClass, 65), (.unsupportedEncoding, 65), (.unreadable, 66),
        (.libraryNotFound, 65), (.interpreterNotFound, 65), (.unsupportedLibraryPath, 65), (.symlinkLoop, 65),
        // Archive: all 74.
        (.invalidPath, 74), (.pathConflict, 74), (.invalidHardLink, 74), (.symlinkOutsideSource, 74), (.unsupportedFileType, 74),
        (.unreadableFile, 74), (.fileChangedWhileReading, 74), (.invalidOptions, 74), (.archiveFailure, 74),
        (.compressionFailure, 74), (.sinkFailure, 74), (.unsupportedMediaType, 74), (.cancelled, 74),
        // Layout and docker-archive.
        (.io, 74), (.notALayout, 73), (.blobNotFound, 66), (.tagNotFound, 66), (.ambiguousTag, 66), (.invalidIndex, 65),
        (.archive, 74),
        // Registry.
        (.manifestNotFound, 66), (.repositoryNotFound, 66), (.unauthorized, 77), (.denied, 77),
        (.transferDigestMismatch, 1), (.transferSizeMismatch, 1), (.timedOut, 1), (.retriesExhausted, 1), (.connectionFailed, 1),
        (.tlsFailure, 1), (.invalidResponse, 1), (.rejected, 1), (.unsupported, 1),
        (.invalidProxy, 64), (.proxyUnauthorized, 77),
        // Credentials.
        (.unreadableCredentialFile, 1), (.helperFailed, 1), (.unwritableFile, 1), (.invalidCredential, 1),
        // Deploy.
        (.configurationNotFound, 66), (.unreadableSecrets, 66), (.kamalNotFound, 66), (.invalidConfiguration, 65),
        (.invalidPushedImageFile, 65), (.tagUnavailable, 65), (.checksFailed, 1), (.kamalLaunchFailed, 1),
        // Scaffolds.
        (.fileExists, 73), (.workflowNotExtensible, 73), (.writeFailed, 74), (.invalidProductName, 73), (.notAPackage, 73),
        (.workflowWriteFailed, 73),
        // Publish.
        (.missingRepository, 64), (.invalidArgument, 64), (.missingRevision, 1), (.gitFailed, 1), (.commandFailed, 1),
        (.outputFailed, 1),
        // The CLI's own.
        (.unusableLocation, 73), (.verificationFailed, 1),
    ])
    func exitCode(code: StevedoreError.Code, exitCode: Int32) throws {
        let failure = try #require(CommandFailure(StevedoreError(code, "the message")))
        #expect(failure.exitCode == exitCode, "\(code)")
        #expect(failure.message == "the message")
    }

    @Test func otherErrorsAreLeftToTheArgumentParser() {
        struct Other: Error {}
        #expect(CommandFailure(Other()) == nil)
    }

    @Test func codeNamesAreUnique() {
        let all: [StevedoreError.Code] = [
            .invalidDigest, .invalidReference, .invalidPlatform, .invalidMediaType, .invalidLocation, .invalidJSON, .digestMismatch,
            .sizeMismatch, .io, .blobNotFound, .invalidEnvironment, .invalidLabel, .invalidAnnotation, .invalidPort, .invalidAddition,
            .invalidSetting, .missingInput, .platformMismatch, .notELF, .truncated, .corrupt, .unsupportedClass, .unsupportedEncoding,
            .unreadable, .libraryNotFound, .interpreterNotFound, .unsupportedLibraryPath, .symlinkLoop, .invalidPath, .pathConflict,
            .invalidHardLink, .symlinkOutsideSource, .unsupportedFileType, .unreadableFile, .fileChangedWhileReading, .invalidOptions,
            .archiveFailure, .compressionFailure, .sinkFailure, .unsupportedMediaType, .cancelled, .notALayout, .tagNotFound,
            .ambiguousTag, .invalidIndex, .archive, .manifestNotFound, .repositoryNotFound, .unauthorized, .denied,
            .transferDigestMismatch, .transferSizeMismatch, .timedOut, .retriesExhausted, .connectionFailed, .tlsFailure,
            .invalidResponse, .rejected, .unsupported, .unreadableCredentialFile, .helperFailed, .unwritableFile, .invalidCredential,
            .configurationNotFound, .unreadableSecrets, .kamalNotFound, .invalidConfiguration, .invalidPushedImageFile,
            .tagUnavailable, .checksFailed, .kamalLaunchFailed, .fileExists, .workflowNotExtensible, .writeFailed,
            .invalidProductName, .notAPackage, .workflowWriteFailed, .missingRepository, .invalidArgument, .missingRevision,
            .gitFailed, .commandFailed, .outputFailed, .unusableLocation, .verificationFailed,
            .invalidProxy, .proxyUnauthorized,
        ]
        #expect(Set(all.map(\.rawValue)).count == all.count)
    }
}

import Foundation
import Testing
import StevedoreCore

extension StevedoreError.Code {
    /// A code only these tests use, as a module would declare one.
    fileprivate static let testOnly = Self("test.only", category: .notFound)
}

struct StevedoreErrorTests {
    @Test func moduleAliasesAreTheOneShape() {
        let error: any Error = StevedoreError(.invalidDigest, "invalid digest 'x'")
        #expect(error is StevedoreError)
        #expect((error as? StevedoreError)?.code == .invalidDigest)
    }

    @Test func codesCompareByRawValue() {
        #expect(StevedoreError.Code.digestMismatch == .digestMismatch)
        #expect(StevedoreError.Code.digestMismatch != .sizeMismatch)
        #expect(StevedoreError.Code(rawValue: "image.digest-mismatch") == .digestMismatch)
        #expect(StevedoreError.Code("test.only", category: .io) == .testOnly)
        #expect(Set([StevedoreError.Code.io, .io, .blobNotFound, .testOnly]).count == 3)
    }

    @Test func aCodeFromAnUnknownNameIsAFailure() {
        let code = StevedoreError.Code(rawValue: "registry.TOOMANYREQUESTS")
        #expect(code.rawValue == "registry.TOOMANYREQUESTS")
        #expect(code.category == .failure)
        #expect(code.description == "registry.TOOMANYREQUESTS")
    }

    @Test(arguments: [
        (StevedoreError.Code.invalidReference, StevedoreError.Category.invalidInput),
        (.digestMismatch, .invalidInput),
        (.io, .io),
        (.blobNotFound, .notFound),
        (.testOnly, .notFound),
    ])
    func theCategoryComesFromTheCode(code: StevedoreError.Code, category: StevedoreError.Category) {
        #expect(code.category == category)
        #expect(StevedoreError(code, "message").category == category)
    }

    @Test func descriptionIsTheMessageAlone() {
        let error = StevedoreError(.blobNotFound, "blob sha256:abc is missing from out/blobs")
        #expect(error.description == "blob sha256:abc is missing from out/blobs")
        #expect("\(error)" == error.message)
        #expect(String(reflecting: error) == error.message)
    }

    @Test func theCauseIsKeptButNeverPrinted() {
        struct Underlying: Error, CustomStringConvertible {
            var description: String { "Authorization: Bearer secret-token" }
        }
        let error = StevedoreError(.io, "cannot write out/index.json: No space left on device", cause: Underlying())
        #expect(error.cause is Underlying)
        #expect(!error.description.contains("secret-token"))
        #expect(!String(reflecting: error).contains("secret-token"))
        #expect(StevedoreError(.io, "x").cause == nil)
    }

    @Test func errorsWithTheSameCodeAndMessageAreEqual() {
        let plain = StevedoreError(.io, "cannot write x")
        #expect(plain == StevedoreError(.io, "cannot write x", cause: CocoaError(.fileWriteOutOfSpace)))
        #expect(plain != StevedoreError(.io, "cannot write y"))
        #expect(plain != StevedoreError(.blobNotFound, "cannot write x"))
        #expect(Set([plain, StevedoreError(.io, "cannot write x")]).count == 1)
    }

    @Test func anErrorCanBeMatchedByCode() {
        do {
            throw StevedoreError(.invalidPlatform, "invalid platform 'linux'")
        } catch let error as StevedoreError where error.code == .invalidPlatform {
            #expect(error.category == .invalidInput)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

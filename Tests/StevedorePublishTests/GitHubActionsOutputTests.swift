import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedorePublish

@Suite(.dedicatedThread) struct GitHubActionsOutputTests {
    static let image = PublishedImage(
        repository: "ghcr.io/acme/hello",
        digest: Digest.sha256(of: Array("manifest".utf8)),
        tags: ["0123456789abcdef0123456789abcdef01234567", "latest"]
    )

    @Test func appendsOutputsAndSummary() throws {
        let directory = try TemporaryDirectory("publish-gha")
        let output = try directory.write("output", "earlier=1\n")
        let summary = directory.appending("summary.md")
        try GitHubActionsOutput(environment: ["GITHUB_OUTPUT": output, "GITHUB_STEP_SUMMARY": summary]).write(Self.image)

        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == [
            "earlier=1",
            "image=ghcr.io/acme/hello@\(Self.image.digest)",
            "digest=\(Self.image.digest)",
            "tags=0123456789abcdef0123456789abcdef01234567,latest",
            "tag=0123456789abcdef0123456789abcdef01234567",
            "repository=ghcr.io/acme/hello",
        ])
        let table = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(table.contains("| Digest | `\(Self.image.digest)` |"))
        #expect(table.contains("`latest`"))
    }

    @Test func aPlatformTaggedPushAlsoNamesTheRepositoryAndTheIndexTags() {
        var image = Self.image
        image.tags = image.tags.map { $0 + "-arm64" }
        image.indexTags = Self.image.tags
        let outputs = GitHubActionsOutput.outputs(for: image).map { "\($0.key)=\($0.value)" }
        #expect(outputs.suffix(3) == [
            "tag=0123456789abcdef0123456789abcdef01234567-arm64",
            "repository=ghcr.io/acme/hello",
            "index-tags=0123456789abcdef0123456789abcdef01234567,latest",
        ])
    }

    /// The attestation steps of the generated workflow read the SBOM's file from the `sbom` output.
    @Test func anImageWithAnSBOMNamesItsFile() {
        var image = Self.image
        image.sbomFile = "/src/hello/.build/stevedore/sbom/hello.spdx.json"
        let outputs = GitHubActionsOutput.outputs(for: image).map { "\($0.key)=\($0.value)" }
        #expect(outputs.suffix(2) == ["repository=ghcr.io/acme/hello", "sbom=/src/hello/.build/stevedore/sbom/hello.spdx.json"])
        #expect(!GitHubActionsOutput.outputs(for: Self.image).contains { $0.key == "sbom" })
    }

    /// Without `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` (empty counts as unset), writing leaves every file where
    /// the other GitHub variables point exactly as it was, and creates none.
    @Test func outsideGitHubActionsNothingIsWritten() throws {
        let directory = try TemporaryDirectory("publish-no-gha")
        try directory.write("env", "EXISTING=1\n")
        try directory.write("workspace/output", "")
        let environment = [
            "GITHUB_OUTPUT": "", "GITHUB_STEP_SUMMARY": "",
            "GITHUB_ENV": directory.appending("env"), "GITHUB_WORKSPACE": directory.appending("workspace"), "HOME": directory.path,
        ]
        let before = try Self.snapshot(directory.path)
        let writer = GitHubActionsOutput(environment: environment)
        #expect(writer.outputFile == nil)
        #expect(writer.summaryFile == nil)
        try writer.write(Self.image)
        #expect(try Self.snapshot(directory.path) == before)
    }

    /// Every path under `root` with its contents.
    static func snapshot(_ root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: "\(root)/\(relative)", isDirectory: &isDirectory)
            files[relative] = isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(relative)"))
        }
        return files
    }

    @Test func unwritableOutputIsAClearError() {
        let writer = GitHubActionsOutput(environment: ["GITHUB_OUTPUT": "/nonexistent-dir/output"])
        #expect { try writer.write(Self.image) } throws: { error in
            (error as? StevedoreError)?.code == .outputFailed && "\(error)".contains("GITHUB_OUTPUT")
        }
    }

    @Test func pinnedReferenceFile() throws {
        let directory = try TemporaryDirectory("publish-pinned")
        let file = directory.appending(".build/stevedore/pushed-image")
        try GitHubActionsOutput.writePinnedReference(Self.image, to: file)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "ghcr.io/acme/hello:0123456789abcdef0123456789abcdef01234567@\(Self.image.digest)\n")
    }
}

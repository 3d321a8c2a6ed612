import Foundation
import StevedoreGitHub
import StevedoreCore

/// Reports a pushed image to GitHub Actions and to later steps: step outputs (`$GITHUB_OUTPUT`), the job summary
/// (`$GITHUB_STEP_SUMMARY`) and a plain file holding `REF@digest`.
public struct GitHubActionsOutput: Sendable {
    /// The step-output file, from `GITHUB_OUTPUT`; `nil` outside GitHub Actions.
    public var outputFile: String?
    /// The job-summary file, from `GITHUB_STEP_SUMMARY`; `nil` outside GitHub Actions.
    public var summaryFile: String?

    /// Creates a writer for the files named in `environment`.
    public init(environment: [String: String]) {
        let actions = GitHubActionsEnvironment(environment)
        outputFile = actions.outputFile
        summaryFile = actions.stepSummaryFile
    }

    /// The step outputs for `image`, in the order they are written:
    /// `image` (`REPO@sha256:…`), `digest` (`sha256:…`), `tags` (comma-separated), `tag` (the first tag) and
    /// `repository` (`REPO`: the attestations' subject name); after a `--platform-tag` push also `index-tags` (the
    /// plain tags, comma-separated), which the job joining the platform images passes to `stevedore index create`;
    /// with an SBOM, `sbom` (its file, which `actions/attest-sbom` reads).
    public static func outputs(for image: PublishedImage) -> [(key: String, value: String)] {
        var outputs: [(key: String, value: String)] = [
            ("image", image.pinnedReference),
            ("digest", image.digest.description),
            ("tags", image.tags.joined(separator: ",")),
            ("tag", image.tags.first ?? ""),
            ("repository", image.repository),
        ]
        if !image.indexTags.isEmpty {
            outputs.append(("index-tags", image.indexTags.joined(separator: ",")))
        }
        if let sbomFile = image.sbomFile {
            outputs.append(("sbom", sbomFile))
        }
        return outputs
    }

    /// The Markdown table added to the job summary for `image`.
    public static func summary(for image: PublishedImage) -> String {
        var text = "### Image pushed by Stevedore\n\n| | |\n|---|---|\n"
        text += "| Repository | `\(image.repository)` |\n"
        text += "| Digest | `\(image.digest)` |\n"
        text += "| Tags | \(image.tags.map { "`\($0)`" }.joined(separator: ", ")) |\n"
        text += "| Pull | `podman pull \(image.pinnedReference)` |\n"
        if image.isDirty { text += "| Note | built from a work tree with uncommitted changes |\n" }
        return text + "\n"
    }

    /// Appends the step outputs and the summary for `image` to the files GitHub Actions named; does nothing for a file
    /// that is not set.
    public func write(_ image: PublishedImage) throws {
        if let outputFile {
            let lines = Self.outputs(for: image).map { "\($0.key)=\($0.value)\n" }.joined()
            try Self.append(lines, to: outputFile, name: "GITHUB_OUTPUT")
        }
        if let summaryFile {
            try Self.append(Self.summary(for: image), to: summaryFile, name: "GITHUB_STEP_SUMMARY")
        }
    }

    /// Writes `REGISTRY/PATH:TAG@sha256:…` (the first tag) and a newline to `path` (replacing it), creating parent
    /// directories; `stevedore deploy kamal` reads it back.
    public static func writePinnedReference(_ image: PublishedImage, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((image.taggedPinnedReference + "\n").utf8).write(to: url, options: .atomic)
        } catch {
            throw StevedoreError(.outputFailed, "Could not write the pushed reference to \(path): \(error.localizedDescription)")
        }
    }

    private static func append(_ text: String, to path: String, name: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw StevedoreError(.outputFailed, "Could not create \(name) file \(path); check that its directory exists and is writable.")
            }
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw StevedoreError(.outputFailed, "Could not append to \(name) file \(path): \(error.localizedDescription)")
        }
    }
}

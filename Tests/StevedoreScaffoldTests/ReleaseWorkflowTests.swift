import Foundation
import StevedoreTestSupport
import Testing
import Yams

/// This repository's own `.github/workflows/release.yml`, which builds the prebuilt `stevedore` and publishes the
/// artifact bundle and the prebuilt plugin package: it parses, and its jobs are the ones the README describes.
@Suite(.dedicatedThread) struct ReleaseWorkflowTests {
    static func workflow() throws -> [AnyHashable: Any] {
        let text = try String(contentsOfFile: BuildProducts.packageRoot + "/.github/workflows/release.yml", encoding: .utf8)
        // Yams reads YAML 1.1, where the key `on` is the boolean true.
        return try #require(try Yams.load(yaml: text) as? [AnyHashable: Any])
    }

    @Test func aVersionTagBuildsBothArchitecturesThenBundlesThem() throws {
        let workflow = try Self.workflow()
        let trigger = try #require((workflow["on"] ?? workflow[true]) as? [AnyHashable: Any])
        #expect((trigger["push"] as? [AnyHashable: Any])?["tags"] as? [String] == ["v*"])
        #expect((workflow["permissions"] as? [AnyHashable: Any])?["contents"] as? String == "write")

        let jobs = try #require(workflow["jobs"] as? [AnyHashable: Any])
        #expect(Set(jobs.keys) == ["binary", "bundle"])
        let binary = try #require(jobs["binary"] as? [AnyHashable: Any])
        let matrix = try #require((binary["strategy"] as? [AnyHashable: Any])?["matrix"] as? [AnyHashable: Any])
        #expect(matrix["include"] as? [[String: String]] == [
            ["runner": "ubuntu-24.04", "triple": "x86_64-unknown-linux-gnu"],
            ["runner": "ubuntu-24.04-arm", "triple": "aarch64-unknown-linux-gnu"],
        ])
        #expect(binary["runs-on"] as? String == "${{ matrix.runner }}")
        #expect((binary["container"] as? String)?.hasPrefix("swift:6.") == true)
        let buildRuns = try Self.runs(of: binary)
        #expect(buildRuns.contains { $0.contains("swift build -c release --product stevedore --static-swift-stdlib") })
        #expect(buildRuns.contains { $0.contains("libarchive-dev") && $0.contains("zlib1g-dev") && $0.contains("libzstd-dev") })

        let bundle = try #require(jobs["bundle"] as? [AnyHashable: Any])
        #expect(bundle["needs"] as? String == "binary")
        let bundleRuns = try Self.runs(of: bundle).joined(separator: "\n")
        #expect(bundleRuns.contains("scripts/make-artifact-bundle.sh --output out"))
        #expect(bundleRuns.contains("dist/stevedore-x86_64-unknown-linux-gnu:x86_64-unknown-linux-gnu"))
        #expect(bundleRuns.contains("dist/stevedore-aarch64-unknown-linux-gnu:aarch64-unknown-linux-gnu"))
        #expect(bundleRuns.contains("compute-checksum out/stevedore.artifactbundle.zip"))
        #expect(bundleRuns.contains("gh release upload"))
        #expect(bundleRuns.contains("refs/heads/prebuilt"))
    }

    /// The `run:` scripts of a job's steps, in order.
    static func runs(of job: [AnyHashable: Any]) throws -> [String] {
        let steps = try #require(job["steps"] as? [[AnyHashable: Any]])
        return steps.compactMap { $0["run"] as? String }
    }
}

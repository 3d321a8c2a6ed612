import Foundation
import StevedoreTestSupport
import Testing
import StevedoreCore
@testable import StevedoreScaffold

@Suite(.dedicatedThread) struct GitHubWorkflowScaffoldTests {
    @Test func rendersThePushImagePipeline() throws {
        let text = try GitHubWorkflowScaffold(product: "HelloServer").render()
        #expect(text.contains("packages: write"))
        #expect(text.contains("GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"))
        #expect(text.contains("uses: actions/checkout@v4"))
        #expect(text.contains("push-image --product HelloServer\n"))
        #expect(text.contains("--allow-network-connections all"))
        #expect(text.contains("id: push"))
        #expect(text.hasSuffix("\n"))
        // `jobs:` is the last top-level key so a deploy job can be appended.
        let topLevelKeys = text.split(separator: "\n").filter { line in
            guard let first = line.first else { return false }
            return first != " " && first != "#"
        }
        #expect(topLevelKeys.last == "jobs:")
    }

    @Test func withoutAProductThePluginPicksIt() throws {
        #expect(try GitHubWorkflowScaffold().render().contains("push-image\n"))
    }

    @Test func workflowParsesAsYAML() throws {
        guard ProcessRunner.isAvailable("python3"), (try? ProcessRunner.run(["python3", "-c", "import yaml"]).status) == 0 else { return }
        let directory = try TemporaryDirectory("scaffold-yaml")
        let file = try directory.write("deploy.yml", try GitHubWorkflowScaffold(product: "App").render())
        let result = try ProcessRunner.run(["python3", "-c", "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(next(s for s in d['jobs']['image']['steps'] if s.get('id') == 'push')['run'])", file])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("swift package --allow-writing-to-package-directory --allow-network-connections all push-image --product App"))
    }

    @Test(arguments: ["Hello Server", "-x", "a;b", "$(id)", ""])
    func rejectsUnsafeProductNames(product: String) {
        #expect(throws: StevedoreError.self) { try GitHubWorkflowScaffold(product: product) }
    }

    @Test func neverOverwritesWithoutForce() throws {
        let directory = try TemporaryDirectory("scaffold-write")
        let scaffold = try GitHubWorkflowScaffold(product: "App")
        #expect { try scaffold.write(into: directory.path, force: false) } throws: { error in
            (error as? StevedoreError)?.code == .notAPackage
        }
        try directory.write("Package.swift", "// swift-tools-version: 6.0\n")
        let path = try scaffold.write(into: directory.path, force: false)
        #expect(path == directory.appending(GitHubWorkflowScaffold.relativePath))
        try directory.write(GitHubWorkflowScaffold.relativePath, "mine\n")
        #expect { try scaffold.write(into: directory.path, force: false) } throws: { error in
            (error as? StevedoreError)?.code == .fileExists && "\(error)".contains("--force")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mine\n")
        try scaffold.write(into: directory.path, force: true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == scaffold.render())
    }

    @Test func exampleWorkflowIsWhatTheScaffoldWrites() throws {
        let example = BuildProducts.packageRoot + "/Examples/HelloServer/" + GitHubWorkflowScaffold.relativePath
        #expect(try String(contentsOfFile: example, encoding: .utf8) == (try GitHubWorkflowScaffold(product: "HelloServer").render()))
    }
}

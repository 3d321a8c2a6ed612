import Foundation
import StevedoreTestSupport
import Testing

/// `stevedore init github-actions`, the command behind the workflow the plugins run in.
@Suite(.dedicatedThread) struct PluginInitGitHubActionsTests {
    static let manifest = """
        // swift-tools-version: 6.0
        import PackageDescription

        let package = Package(
            name: "Shop",
            products: [.executable(name: "shop-server", targets: ["ShopServer"]), .library(name: "ShopCore", targets: ["ShopCore"])],
            targets: [.executableTarget(name: "ShopServer", dependencies: ["ShopCore"]), .target(name: "ShopCore")]
        )
        """

    @Test func writesTheWorkflowForTheOnlyExecutableProductAndNeverOverwrites() throws {
        let package = try TemporaryDirectory("init-gha")
        try package.write("Package.swift", Self.manifest)
        let workflow = package.appending(".github/workflows/deploy.yml")

        let first = try StevedoreBinary.run(["init", "github-actions", "--package-dir", package.path])
        #expect(first.status == 0, "\(first.output)")
        let text = try String(contentsOfFile: workflow, encoding: .utf8)
        #expect(text.contains("push-image --product shop-server\n"))
        #expect(text.contains("packages: write"))

        try package.write(".github/workflows/deploy.yml", "# mine\n")
        let second = try StevedoreBinary.run(["init", "github-actions", "--package-dir", package.path, "--product", "other"])
        #expect(second.status != 0)
        #expect(second.output.contains("--force"), "\(second.output)")
        #expect(try String(contentsOfFile: workflow, encoding: .utf8) == "# mine\n")

        let forced = try StevedoreBinary.run(["init", "github-actions", "--package-dir", package.path, "--product", "other", "--branch", "trunk", "--force"])
        #expect(forced.status == 0, "\(forced.output)")
        let replaced = try String(contentsOfFile: workflow, encoding: .utf8)
        #expect(replaced.contains("push-image --product other\n"))
        #expect(replaced.contains("branches: [trunk]"))
    }

    @Test func outsideAPackageItSaysSo() throws {
        let directory = try TemporaryDirectory("init-gha-empty")
        let result = try StevedoreBinary.run(["init", "github-actions", "--package-dir", directory.path, "--product", "app"])
        #expect(result.status != 0)
        #expect(result.output.contains("has no Package.swift"), "\(result.output)")
    }
}

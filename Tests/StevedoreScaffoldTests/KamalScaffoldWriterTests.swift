import Foundation
import StevedoreScaffold
import StevedoreTestSupport
import Testing
import StevedoreCore

@Suite(.dedicatedThread) struct KamalScaffoldWriterTests {
    private let scaffold = KamalScaffold(productName: "HelloServer", owner: "owner", repository: "hello")

    private func read(_ directory: TemporaryDirectory, _ path: String) throws -> String {
        try String(contentsOfFile: directory.appending(path), encoding: .utf8)
    }

    @Test func aFreshPackageGetsAllThreeFiles() throws {
        let directory = try TemporaryDirectory()
        let changes = try KamalScaffoldWriter(scaffold: scaffold).write(into: directory.path, force: false)
        #expect(changes.map(\.description) == ["created config/deploy.yml", "created .kamal/secrets", "created .github/workflows/deploy.yml"])
        #expect(try read(directory, "config/deploy.yml") == scaffold.deployConfiguration)
        #expect(try read(directory, ".kamal/secrets") == scaffold.secrets)
        #expect(try read(directory, ".github/workflows/deploy.yml") == scaffold.workflow)
    }

    @Test func existingFilesAreNeverOverwrittenWithoutForce() throws {
        let directory = try TemporaryDirectory()
        try directory.write("config/deploy.yml", "mine\n")
        try directory.write(".kamal/secrets", "MINE=1\n")
        #expect(throws: StevedoreError(.fileExists, "not writing anything: config/deploy.yml, .kamal/secrets already exist; pass --force to overwrite")) {
            try KamalScaffoldWriter(scaffold: scaffold).write(into: directory.path, force: false)
        }
        #expect(try read(directory, "config/deploy.yml") == "mine\n")
        #expect(try read(directory, ".kamal/secrets") == "MINE=1\n")
        #expect(!FileManager.default.fileExists(atPath: directory.appending(".github/workflows/deploy.yml")))

        let changes = try KamalScaffoldWriter(scaffold: scaffold).write(into: directory.path, force: true)
        #expect(changes.map(\.description) == ["overwritten config/deploy.yml", "overwritten .kamal/secrets", "created .github/workflows/deploy.yml"])
        #expect(try read(directory, "config/deploy.yml") == scaffold.deployConfiguration)
    }

    @Test func anExistingWorkflowIsExtendedAndASecondRunRefuses() throws {
        let directory = try TemporaryDirectory()
        let workflow = "name: CI\non: [push]\njobs:\n  build-and-push:\n    runs-on: ubuntu-latest\n    steps:\n      - run: swift package --allow-network-connections all push-image\n"
        try directory.write(".github/workflows/deploy.yml", workflow)
        let changes = try KamalScaffoldWriter(scaffold: scaffold).write(into: directory.path, force: false)
        #expect(changes.map(\.description) == ["created config/deploy.yml", "created .kamal/secrets", "extended .github/workflows/deploy.yml"])
        let extended = try read(directory, ".github/workflows/deploy.yml")
        #expect(extended == workflow + "\n" + scaffold.deployJob)

        #expect(throws: StevedoreError(.fileExists, "not writing anything: config/deploy.yml, .kamal/secrets, .github/workflows/deploy.yml (it already has a deploy job) already exist; pass --force to overwrite")) {
            try KamalScaffoldWriter(scaffold: scaffold).write(into: directory.path, force: false)
        }
        try KamalScaffoldWriter(scaffold: scaffold).write(into: directory.path, force: true)
        #expect(try read(directory, ".github/workflows/deploy.yml") == extended)
    }
}

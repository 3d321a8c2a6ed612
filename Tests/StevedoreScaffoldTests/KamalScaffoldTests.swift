import Foundation
import StevedoreDeploy
import StevedoreGitHub
import StevedoreScaffold
import StevedoreTestSupport
import Testing
import StevedoreCore

@Suite(.dedicatedThread) struct KamalScaffoldTests {
    private let scaffold = KamalScaffold(productName: "HelloServer", owner: "Owner", repository: "Hello", appPort: 8080)

    /// Loads a YAML file the way the deploy checks do, to read what the scaffold wrote.
    private func load(_ text: String, as file: String = "config/deploy.yml") throws -> KamalConfigurationValue {
        let directory = try TemporaryDirectory()
        try directory.write(file, text)
        return try KamalConfiguration.load(packageDirectory: directory.path, file: file, environment: [:]).values
    }

    @Test(arguments: [("HelloServer", "helloserver"), ("my_app", "my_app"), ("Web.API", "web-api")])
    func serviceNames(product: String, service: String) {
        #expect(KamalScaffold.serviceName(forProduct: product) == service)
    }

    @Test func theConfigurationHasWhatTheIssueAsksFor() throws {
        let values = try load(scaffold.deployConfiguration)
        #expect(values.value(at: "service") == .scalar("helloserver"))
        #expect(values.value(at: "image") == .scalar("owner/hello"))
        #expect(values.value(at: "registry") == .mapping([
            "server": .scalar("ghcr.io"), "username": .scalar("Owner"), "password": .sequence([.scalar("KAMAL_REGISTRY_PASSWORD")]),
        ]))
        #expect(values.value(at: "builder.arch") == .scalar("amd64"))
        #expect(values.value(at: "proxy.app_port") == .scalar("8080"))
        #expect(values.value(at: "proxy.healthcheck.path") == .scalar("/up"))
        #expect(values.value(at: "servers.web") == .sequence([.scalar("192.0.2.1")]))
        let withHosts = KamalScaffold(productName: "HelloServer", owner: "Owner", repository: "Hello", hosts: ["203.0.113.5", "203.0.113.6"])
        #expect(try load(withHosts.deployConfiguration).value(at: "servers.web") == .sequence([.scalar("203.0.113.5"), .scalar("203.0.113.6")]))
    }

    @Test func theCompleteWorkflowBuildsPushesThenDeploys() throws {
        let workflow = try load(scaffold.workflow, as: KamalScaffold.workflowPath)
        #expect(workflow.value(at: "jobs.build-and-push.steps") != nil)
        let deploy = try #require(workflow.value(at: "jobs.deploy"))
        #expect(deploy["needs"] == .scalar("build-and-push"))
        guard case .sequence(let steps)? = deploy["steps"] else {
            Issue.record("no steps")
            return
        }
        let runs = steps.compactMap { $0["run"]?.scalarText }
        #expect(runs.contains("gem install kamal"))
        #expect(runs.last == "swift package --allow-network-connections all kamal-deploy")
        #expect(steps.contains { $0["with"]?["ssh-private-key"] == .scalar("${{ secrets.SSH_PRIVATE_KEY }}") })
        #expect(steps.last?["env"]?["GITHUB_TOKEN"] == .scalar("${{ secrets.GITHUB_TOKEN }}"))
        let buildRuns: [String]
        if case .sequence(let buildSteps)? = workflow.value(at: "jobs.build-and-push.steps") {
            buildRuns = buildSteps.compactMap { $0["run"]?.scalarText }
        } else {
            buildRuns = []
        }
        #expect(buildRuns.contains("swift package --allow-writing-to-package-directory --allow-network-connections all push-image"))
        #expect(workflow.value(at: "jobs.deploy.container") == workflow.value(at: "jobs.build-and-push.container"))
    }

    private let existingWorkflow = """
    name: Release
    on: [push]
    jobs:
        build-and-push:
            runs-on: ubuntu-latest
            steps:
                - run: swift package --allow-network-connections all push-image
        # the tests
        test:
            runs-on: ubuntu-latest
            steps:
                - run: swift test

    # trailing comment
    concurrency: release

    """

    @Test func anExistingWorkflowGetsTheDeployJobInsideJobsWithItsIndentation() throws {
        let extended = try scaffold.workflow(extending: existingWorkflow, replacingDeployJob: false)
        #expect(extended.hasPrefix(existingWorkflow.components(separatedBy: "\n\n# trailing")[0] + "\n\n    deploy:\n      needs: build-and-push\n"))
        #expect(extended.hasSuffix("\n\n# trailing comment\nconcurrency: release\n"))
        let values = try load(extended, as: KamalScaffold.workflowPath)
        #expect(values.value(at: "jobs.deploy.needs") == .scalar("build-and-push"))
        #expect(values.value(at: "jobs.test.steps") == .sequence([.mapping(["run": .scalar("swift test")])]))
        #expect(values.value(at: "concurrency") == .scalar("release"))
    }

    @Test func theDeployJobFollowsWhicheverJobRunsPushImage() throws {
        let workflow = """
        name: Deploy
        on:
          push:
            branches: [main]
        permissions:
          contents: read
          packages: write
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: swift test
          image:
            runs-on: ubuntu-latest
            container: swift:6.1-noble
            outputs:
              tag: ${{ steps.push.outputs.tag }}
            steps:
              - uses: actions/checkout@v4
              - name: Build and push the image
                id: push
                run: >
                  swift package --allow-writing-to-package-directory --allow-network-connections all
                  push-image

        """
        let extended = try scaffold.workflow(extending: workflow, replacingDeployJob: false)
        #expect(extended == workflow + "\n" + scaffold.deployJob(needs: "image"))
        let values = try load(extended, as: KamalScaffold.workflowPath)
        #expect(values.value(at: "jobs.deploy.needs") == .scalar("image"))
        #expect(values.value(at: "jobs.image.outputs.tag") == .scalar("${{ steps.push.outputs.tag }}"))
    }

    @Test func anExistingDeployJobIsReplacedOnlyWithForce() throws {
        let withDeploy = existingWorkflow.replacingOccurrences(of: "    # the tests\n", with: "    deploy:\n        runs-on: old\n        steps:\n            - run: old\n    # the tests\n")
        #expect(throws: StevedoreError(.fileExists, ".github/workflows/deploy.yml already has a `deploy` job; pass --force to replace it")) {
            try scaffold.workflow(extending: withDeploy, replacingDeployJob: false)
        }
        let replaced = try scaffold.workflow(extending: withDeploy, replacingDeployJob: true)
        #expect(!replaced.contains("old"))
        #expect(replaced.components(separatedBy: "    deploy:\n").count == 2)
        let values = try load(replaced, as: KamalScaffold.workflowPath)
        #expect(values.value(at: "jobs.deploy.needs") == .scalar("build-and-push"))
        #expect(values.value(at: "jobs.test.runs-on") == .scalar("ubuntu-latest"))
    }

    @Test(arguments: [
        ("name: x\non: [push]\n", "has no top-level `jobs:`"),
        ("jobs:\n  build:\n    runs-on: ubuntu-latest\n", "has no job running push-image"),
    ])
    func aWorkflowThatCannotBeExtendedSaysWhy(workflow: String, reason: String) {
        #expect {
            try scaffold.workflow(extending: workflow, replacingDeployJob: true)
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .workflowNotExtensible && error.message.hasPrefix(".github/workflows/deploy.yml \(reason)")
                && error.message.contains("swift package --allow-network-connections all kamal-deploy")
        }
    }

    @Test(arguments: [
        ("git@github.com:Owner/Hello.git", "Owner", "Hello"),
        ("https://github.com/owner/hello", "owner", "hello"),
        ("https://github.com/owner/hello.git/", "owner", "hello"),
        ("ssh://git@github.com/owner/hello.git", "owner", "hello"),
    ])
    func gitHubRemotes(url: String, owner: String, name: String) {
        let repository = GitHubRepositoryName(remoteURL: url)
        #expect(repository?.owner == owner)
        #expect(repository?.name == name)
    }

    @Test func otherRemotesAreNotGitHub() {
        #expect(GitHubRepositoryName(remoteURL: "https://gitlab.com/owner/hello.git") == nil)
    }

    @Test func detectionPrefersGitHubRepositoryThenTheOriginRemote() throws {
        let directory = try TemporaryDirectory()
        try ProcessRunner.run(["git", "-C", directory.path, "init", "-q"])
        try ProcessRunner.run(["git", "-C", directory.path, "remote", "add", "origin", "git@github.com:Remote/Repo.git"])
        let fromRemote = KamalScaffold.detectGitHubRepository(packageDirectory: directory.path, environment: [:])
        #expect(fromRemote?.owner == "Remote")
        #expect(fromRemote?.name == "Repo")
        let fromEnvironment = KamalScaffold.detectGitHubRepository(packageDirectory: directory.path, environment: ["GITHUB_REPOSITORY": "Env/Repo"])
        #expect(fromEnvironment?.owner == "Env")
    }
}

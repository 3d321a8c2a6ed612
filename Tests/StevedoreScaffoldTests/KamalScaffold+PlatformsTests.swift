import Foundation
import StevedoreCore
import Testing
import Yams
@testable import StevedoreScaffold

/// `stevedore init kamal --platforms`: `builder.arch` lists the architectures and the deploy job follows the join.
@Suite struct KamalScaffoldPlatformsTests {
    static func scaffold() throws -> KamalScaffold {
        var scaffold = KamalScaffold(productName: "HelloServer", owner: "Owner", repository: "Hello")
        scaffold.runners = try WorkflowRunner.parseList("linux/amd64,linux/arm64")
        return scaffold
    }

    @Test func builderArchListsEveryPlatform() throws {
        let configuration = try #require(try Yams.load(yaml: try Self.scaffold().deployConfiguration) as? [AnyHashable: Any])
        let builder = try #require(configuration["builder"] as? [AnyHashable: Any])
        #expect(builder["arch"] as? [String] == ["amd64", "arm64"])
        #expect(try Self.scaffold().deployConfiguration.contains("  arch: [amd64, arm64]\n"))
        // Without platforms, today's single architecture.
        #expect(KamalScaffold(productName: "HelloServer", owner: "Owner", repository: "Hello").deployConfiguration.contains("\n  arch: amd64\n"))
    }

    @Test func theCompleteWorkflowDeploysAfterTheIndexJob() throws {
        let scaffold = try Self.scaffold()
        let workflow = try #require(try Yams.load(yaml: scaffold.workflow) as? [AnyHashable: Any])
        let jobs = try #require(workflow["jobs"] as? [AnyHashable: Any])
        #expect(Set(jobs.keys.compactMap { $0 as? String }) == ["image", "index", "deploy"])
        #expect((jobs["deploy"] as? [AnyHashable: Any])?["needs"] as? String == "index")
        #expect((jobs["index"] as? [AnyHashable: Any])?["needs"] as? String == "image")
    }

    @Test func extendingTheMatrixWorkflowDeploysAfterTheIndexJob() throws {
        let scaffold = try Self.scaffold()
        let matrix = try GitHubWorkflowScaffold(product: "HelloServer", runners: scaffold.runners).render()
        let extended = try scaffold.workflow(extending: matrix, replacingDeployJob: false)
        #expect(extended == matrix + "\n" + scaffold.deployJob(needs: "index"))
        let jobs = try #require((try Yams.load(yaml: extended) as? [AnyHashable: Any])?["jobs"] as? [AnyHashable: Any])
        #expect((jobs["deploy"] as? [AnyHashable: Any])?["needs"] as? String == "index")
    }
}

import Foundation
import StevedoreCore
import StevedoreDeploy
import StevedoreTestSupport
import Testing

/// Issue 9, item 9: a YAML alias bomb (a "billion laughs" document) in `config/deploy.yml` is refused quickly,
/// before it is expanded.
@Suite(.dedicatedThread) struct KamalConfigurationAliasBombTests {
    /// Nine levels of nine aliases each: under 1 KiB of text, 9^9 (387 million) scalars once expanded.
    static let bomb: String = {
        var lines = ["service: helloserver", "image: owner/helloserver", "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
        for level in 1...9 {
            let previous = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(previous)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func anAliasBombIsRefusedQuickly() throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = Self.bomb
        let directory = try fixture.materialize()
        let started = ContinuousClock.now
        let error = #expect(throws: StevedoreError.self) {
            try KamalConfiguration.load(packageDirectory: directory.path, environment: [:])
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("alias bomb") == true)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func absurdNestingIsRefused() throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = "service: x\ndeep: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n"
        let directory = try fixture.materialize()
        let error = #expect(throws: StevedoreError.self) {
            try KamalConfiguration.load(packageDirectory: directory.path, environment: [:])
        }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func ordinaryAliasesStillLoad() throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = """
        service: helloserver
        image: owner/helloserver
        defaults: &defaults
          STAGE: production
          LOG_LEVEL: info
        env:
          clear:
            <<: *defaults
            PORT: "8080"
        servers:
          web: &hosts [192.0.2.1, 192.0.2.2]
          job:
            hosts: *hosts

        """
        let directory = try fixture.materialize()
        let configuration = try KamalConfiguration.load(packageDirectory: directory.path, environment: [:])
        #expect(configuration.values.value(at: "env.clear.STAGE") == .scalar("production"))
        #expect(configuration.values.value(at: "servers.job.hosts") == .sequence([.scalar("192.0.2.1"), .scalar("192.0.2.2")]))
    }
}

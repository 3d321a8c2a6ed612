import Foundation
import Logging
import StevedoreBuild
import StevedoreTestSupport
import Testing

/// A host without a CA bundle still gets an image, but the planner says that it has no CA certificates.
struct ExecutableImagePlannerCertificateBundleTests {
    /// Plans a self-contained image of a small program with `candidates` as the host's CA bundle paths and
    /// returns the first layer's paths and what was logged.
    static func plan(candidates: [String]) throws -> (paths: [String], log: [(Logger.Level, String)]) {
        let fixture = try ExecutableImagePlannerTests.Fixture()
        let log = RecordedLog()
        var planner = try fixture.planner()
        planner.logger = Logger(label: "test") { _ in log }
        planner.systemFiles.certificateBundleCandidates = candidates
        let recipe = try planner.plan(settings: ImageSettings(), creationTime: 0)
        return (ExecutableImagePlannerTests.paths(try #require(recipe.layers.first)), log.entries)
    }

    @Test func noCABundleOnTheHostIsAWarningNamingThePathsLookedAt() throws {
        let (paths, log) = try Self.plan(candidates: ["/nonexistent/stevedore/ca.pem", "/nonexistent/stevedore/other.pem"])
        #expect(!paths.contains("etc/ssl/certs/ca-certificates.crt"))
        #expect(paths.contains("etc/passwd"))
        try #require(log.count == 1, "\(log)")
        #expect(log[0].0 == .warning)
        #expect(log[0].1.hasPrefix("this host has no CA bundle (looked for /nonexistent/stevedore/ca.pem, /nonexistent/stevedore/other.pem), "), "\(log[0].1)")
        #expect(log[0].1.contains("install the CA certificates"), "\(log[0].1)")
    }

    @Test func aCABundleOnTheHostIsCopiedWithoutAWarning() throws {
        let host = try TemporaryDirectory("stevedore-ca")
        let bundle = try host.write("bundle.pem", "-----BEGIN CERTIFICATE-----\n")
        let (paths, log) = try Self.plan(candidates: [bundle])
        #expect(paths.contains("etc/ssl/certs/ca-certificates.crt"))
        #expect(log.isEmpty, "\(log)")
    }
}

/// A log handler that keeps every message, for tests.
private final class RecordedLog: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(Logger.Level, String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var entries: [(Logger.Level, String)] { lock.withLock { recorded } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { recorded.append((event.level, event.message.description)) }
    }
}

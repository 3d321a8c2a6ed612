import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry
import StevedoreTestSupport
import Testing

/// README, "Resilience": 408, 429, 500, 502, 503, 504 and connection errors are retried; every other error
/// answer fails at once. Each fault is injected once by the fault proxy into a pull from a real docker-registry.
@Suite(.dedicatedThread)
struct RegistryRetryTests {
    /// One injected fault.
    enum Fault: Sendable, CustomStringConvertible {
        case status(Int)
        case reset

        var description: String {
            switch self {
            case .status(let status): "\(status)"
            case .reset: "a reset"
            }
        }

        func rule(method: String, pathContains path: String) -> RegistryFaultProxy.Rule {
            switch self {
            case .status(let status): .status(status, method: method, pathContains: path, times: 1)
            case .reset: .reset(method: method, pathContains: path, times: 1)
            }
        }
    }

    static let retried: [Fault] = RetryPolicy.retryableStatuses.sorted().map { .status(Int($0)) } + [.reset]

    /// A registry holding `team/app:v1`, and a proxy in front of it with `fault` on the first manifest `GET`.
    final class Setup {
        let env: RegistryTestEnvironment
        let proxy: RegistryFaultProxy
        let image: Image
        let client: RegistryClient

        init(_ fault: Fault) async throws {
            env = try RegistryTestEnvironment(.plain)
            let source = env.directory.appending("source")
            image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
            client = try RegistryClientTests.makeClient(env)
            _ = try await client.push(PushRequest(
                image: image, blobs: try OCILayout(path: source, create: false).store,
                target: ImageReference(registry: env.address, repository: "team/app", tag: "v1")
            ))
            proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [
                fault.rule(method: "GET", pathContains: "/v2/team/app/manifests/v1"),
            ])
        }

        func pull() async throws -> Digest {
            let source = RegistryImageSource(client: client, reference: ImageReference(registry: proxy.address, repository: "team/app", tag: "v1"))
            return try await ImageTransfer.copy(from: source, to: try OCILayout(path: env.directory.appending("pulled")).destination(tags: [])).digest
        }

        /// The manifest requests the proxy received.
        var manifestRequests: [String] {
            proxy.log.split(separator: "\n").map(String.init).filter { $0.hasPrefix("GET /v2/team/app/manifests/v1 ") }
        }

        func stop() async {
            try? await client.shutdown()
            proxy.stop()
            env.stop()
        }
    }

    @Test("every retried status (408, 429, 500, 502, 503, 504) and a reset: the request is sent again and the pull completes", arguments: retried)
    func retriedFaultIsRetried(fault: Fault) async throws {
        let setup = try await Setup(fault)
        let pulled: Digest
        do {
            pulled = try await setup.pull()
        } catch {
            Issue.record("the pull failed: \(error)\n\(setup.proxy.log)")
            await setup.stop()
            return
        }
        #expect(pulled == setup.image.manifestDescriptor.digest)
        #expect(setup.proxy.faultCount == 1, "\(setup.proxy.log)")
        // The faulted request, then the same request again, answered.
        let requests = setup.manifestRequests
        #expect(requests.count >= 2 && requests[0].contains("-> FAULT") && requests[1].hasSuffix("-> 200"), "\(setup.proxy.log)")
        await setup.stop()
    }

    @Test("a status that is not retried (400, 403, 404, 405) fails the pull at once", arguments: [400, 403, 404, 405])
    func otherStatusFailsAtOnce(status: Int) async throws {
        let setup = try await Setup(.status(status))
        var failure: (any Error)?
        do {
            _ = try await setup.pull()
        } catch {
            failure = error
        }
        let error = failure as? StevedoreError
        #expect(error != nil, "the pull did not fail with a StevedoreError: \(String(describing: failure))")
        #expect(error?.message.contains("team/app") == true, "\(String(describing: error))")
        #expect(setup.manifestRequests.count == 1, "the request was sent again:\n\(setup.proxy.log)")
        await setup.stop()
    }
}

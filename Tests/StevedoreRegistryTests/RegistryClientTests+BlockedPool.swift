import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry
import StevedoreTestSupport
import Testing

/// The hang seen under load (RELIABILITY.md): tests that wait synchronously for a process held every thread of
/// Swift's global pool, so the registry client of an in-process test — the tasks that stream a request body —
/// could not run, and an upload retried after a reset sat unfinished until its time bound. Tests that block
/// run on threads of their own (``DedicatedThreadTrait``); this checks that an upload cut by a reset completes
/// while as many of them as the pool has threads are blocked.
extension RegistryClientTests {
    /// A flag that blocked threads wait for, as a test waits for a process.
    final class Gate: @unchecked Sendable {
        private let condition = NSCondition()
        private var isOpen = false

        func open() {
            condition.lock()
            isOpen = true
            condition.broadcast()
            condition.unlock()
        }

        /// Blocks until the gate opens or `seconds` pass; whether it opened.
        func wait(seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            condition.lock()
            defer { condition.unlock() }
            while !isOpen, condition.wait(until: deadline) {}
            return isOpen
        }
    }

    @Test("a reset in the middle of each of three blob uploads while blocking tests hold a thread per core: every upload is retried and completes")
    func resetWhileOtherTestsBlock() async throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let rounds = 3
        var images: [(image: Image, source: String)] = []
        for round in 1...rounds {
            let source = env.directory.appending("source-\(round)")
            images.append((try TestLayouts.make(at: source, tag: "v1", layers: [.init(randomFiles: ["big.bin": 2_000_000])]), source))
        }
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: images.map {
            .reset(method: "PUT", pathContains: "digest=\($0.image.manifest.layers[0].digest)", times: 1)
        })
        defer { proxy.stop() }

        let gate = Gate()
        let blockers = ProcessInfo.processInfo.activeProcessorCount
        // Each upload has its own time bound: a stalled one fails the test instead of hanging it.
        let client = try Self.makeClient(env, timeBound: 60)
        let released = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<blockers {
                let executor = ThreadTaskExecutor(name: "blocking test \(index)")
                group.addTask(executorPreference: executor) {
                    defer { executor.shutdown() }
                    // A test waiting synchronously, as `ProcessRunner.run` does, until the uploads are over.
                    return gate.wait(seconds: 150)
                }
            }
            defer { gate.open() }
            for (round, (image, source)) in images.enumerated() {
                let result = try await client.push(PushRequest(
                    image: image, blobs: try OCILayout(path: source, create: false).store,
                    target: ImageReference(registry: proxy.address, repository: "team/round\(round + 1)", tag: "v1")
                ))
                #expect(result.digest == image.manifestDescriptor.digest)
            }
            gate.open()
            var released = 0
            for try await opened in group where opened { released += 1 }
            return released
        }
        try await client.shutdown()
        #expect(released == blockers, "the uploads finished only after the blocked threads gave up:\n\(proxy.log)")
        #expect(proxy.log.split(separator: "\n").filter { $0.contains("-> FAULT reset after ") }.count == rounds, "\(proxy.log)")
        // Each cut upload was sent again and stored (the registry checked it against its digest).
        for (round, (image, _)) in images.enumerated() {
            let layer = image.manifest.layers[0].digest
            #expect(proxy.log.contains("digest=\(layer) -> 201"), "round \(round + 1):\n\(proxy.log)")
        }
    }
}

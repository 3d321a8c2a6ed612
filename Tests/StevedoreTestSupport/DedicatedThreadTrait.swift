import Foundation
import Testing

/// Runs each test on a thread of its own (a ``ThreadTaskExecutor``): `@Suite(.dedicatedThread)`.
///
/// For tests that wait synchronously — they run `stevedore`, skopeo or umoci with ``StevedoreBinary`` or
/// ``ProcessRunner``, or start servers — so that their waits hold their own thread and not one of the few
/// threads of Swift's global concurrent pool, which every other test of the process (and the registry client
/// an in-process test drives) needs to make progress. Every suite of the test targets that link this module
/// has the trait, so no test blocks the pool.
///
/// At most ``TestSlots/limit`` test cases run under the trait at once: waiting for a slot suspends (it holds no
/// thread), and the limit keeps a 2-core machine from starting every process-running test at the same moment.
public struct DedicatedThreadTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// A scope for each test case (each run of a test function), none for a suite or a function as a whole.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // A suite nested in one that has the trait too: the outer scope already gave this test case its thread and slot.
        if TestSlots.isInsideScope {
            try await function()
            return
        }
        await TestSlots.shared.acquire()
        let executor = ThreadTaskExecutor(name: "test \(test.name)")
        defer {
            executor.shutdown()
            Task { await TestSlots.shared.release() }
        }
        try await TestSlots.$isInsideScope.withValue(true) {
            try await withTaskExecutorPreference(executor) {
                try await function()
            }
        }
    }
}

/// The slots test cases under ``DedicatedThreadTrait`` take: `STEVEDORE_TEST_PARALLELISM`, else one more than the
/// machine's cores (on a 2-core CI machine, 3 tests at once).
public actor TestSlots {
    /// The slots of the whole test process.
    public static let shared = TestSlots(limit: TestSlots.limit)

    /// How many test cases run at once under the trait.
    public static let limit: Int = {
        if let text = ProcessInfo.processInfo.environment["STEVEDORE_TEST_PARALLELISM"], let value = Int(text), value > 0 { return value }
        return ProcessInfo.processInfo.activeProcessorCount + 1
    }()

    /// Whether the current task runs inside the trait's scope.
    @TaskLocal static var isInsideScope = false

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        available = limit
    }

    /// Takes a slot, waiting (suspended) until one is free.
    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives a slot back: to the longest waiting test case, else to the pool of free slots.
    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension Trait where Self == DedicatedThreadTrait {
    /// Runs each test on a thread of its own: see ``DedicatedThreadTrait``.
    public static var dedicatedThread: Self { Self() }
}

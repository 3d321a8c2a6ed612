import Testing

/// Runs each test on a thread of its own (a ``ThreadTaskExecutor``): `@Suite(.dedicatedThread)`.
///
/// For tests that wait synchronously — they run `stevedore`, skopeo or umoci with ``StevedoreBinary`` or
/// ``ProcessRunner``, or start servers — so that their waits hold their own thread and not one of the few
/// threads of Swift's global concurrent pool, which every other test of the process (and the registry client
/// an in-process test drives) needs to make progress.
public struct DedicatedThreadTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// A scope for each test case (each run of a test function), none for a suite or a function as a whole.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let executor = ThreadTaskExecutor(name: "test \(test.name)")
        defer { executor.shutdown() }
        try await withTaskExecutorPreference(executor) {
            try await function()
        }
    }
}

extension Trait where Self == DedicatedThreadTrait {
    /// Runs each test on a thread of its own: see ``DedicatedThreadTrait``.
    public static var dedicatedThread: Self { Self() }
}

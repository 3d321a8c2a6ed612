import Foundation

/// A task executor with a thread of its own, for test code that blocks: a test that prefers it (see
/// ``DedicatedThreadTrait``) blocks this thread while it waits for a process, never one of the threads of
/// Swift's global concurrent pool.
///
/// That pool has as many threads as the machine has cores — two on CI — and hands them out in order: while
/// two tests block in synchronous waits (``ProcessRunner``, ``StevedoreBinary``, a ``BackgroundServer``
/// starting), no other task of the test process runs, not even the registry client an in-process test is
/// driving. On a busy machine those waits add up to minutes, and a push ran into its time bound.
public final class ThreadTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var isShutDown = false
    private var hasExited = false

    /// Starts the thread; `name` is what a debugger shows.
    public init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if hasExited {
            condition.unlock()
            // Nothing should arrive after the test is over; if something does, it still runs.
            let executor = asUnownedTaskExecutor()
            Thread { job.runSynchronously(on: executor) }.start()
            return
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once the jobs queued so far have run.
    public func shutdown() {
        condition.lock()
        isShutDown = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty && !isShutDown { condition.wait() }
            if jobs.isEmpty {
                hasExited = true
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}

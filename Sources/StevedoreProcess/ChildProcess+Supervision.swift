#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import StevedoreCore

extension ChildProcess {
    /// Where the child's standard output and standard error go: a pipe read into memory (at most `limit` bytes
    /// kept) unless a file handle is given.
    struct Capture {
        var limit: Int
        var standardOutput: FileHandle?
        var standardError: FileHandle?

        init(limit: Int, standardOutput: FileHandle? = nil, standardError: FileHandle? = nil) {
            self.limit = limit
            self.standardOutput = standardOutput
            self.standardError = standardError
        }
    }

    /// The result of ``supervise(input:capture:cancellation:)``.
    struct Supervised {
        var output: ChildProcessOutput
    }

    /// How long the pipes are still read after the child exited: a grandchild may hold them open.
    private static let drainAfterExit: Duration = .seconds(1)

    /// Starts the child and, on the calling thread, feeds its input, reads its output and enforces the timeout
    /// with `poll(2)` until it has ended.
    ///
    /// Changes the calling thread's signal mask: call it on a thread of its own (``onOwnThread(_:)``).
    func supervise(input: Input, capture: Capture, cancellation: CancellationSignal) throws -> Supervised {
        let launch = Self.launchCommand(path: try resolvedExecutable(), arguments: arguments)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launch.path)
        process.arguments = launch.arguments
        if let environment { process.environment = environment }
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }

        var pendingInput: ArraySlice<UInt8> = []
        var inputPipe: Pipe?
        switch input {
        case .none:
            process.standardInput = FileHandle.nullDevice
        case .inherit:
            break
        case .bytes(let bytes):
            let pipe = Pipe()
            process.standardInput = pipe
            inputPipe = pipe
            pendingInput = bytes[...]
        }
        let outputPipe = capture.standardOutput == nil ? Pipe() : nil
        let errorPipe = capture.standardError == nil ? Pipe() : nil
        process.standardOutput = outputPipe ?? capture.standardOutput
        process.standardError = errorPipe ?? capture.standardError

        // The child inherits this thread's signal mask; threads of the cooperative pool block nearly every signal,
        // and a child that cannot receive SIGTERM cannot be stopped politely. Spawn with an empty mask, then block
        // SIGPIPE on this thread only: writing to a child that closed its standard input then fails with EPIPE
        // instead of ending Stevedore, and the child keeps SIGPIPE's default.
        var empty = sigset_t()
        var inherited = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &inherited)
        do {
            try process.run()
        } catch {
            throw StevedoreError(.programLaunchFailed, "could not start \(programName): \(error.localizedDescription)")
        }
        var pipeBlocked = inherited
        sigaddset(&pipeBlocked, SIGPIPE)
        pthread_sigmask(SIG_SETMASK, &pipeBlocked, nil)
        // The child has its own copies; this process keeps only its ends, so that end of file arrives.
        try? inputPipe?.fileHandleForReading.close()
        try? outputPipe?.fileHandleForWriting.close()
        try? errorPipe?.fileHandleForWriting.close()

        var readers = [outputPipe, errorPipe].map { pipe in
            pipe.map { PipeReader(handle: $0.fileHandleForReading, limit: capture.limit) }
        }
        var inputHandle = inputPipe?.fileHandleForWriting
        if let handle = inputHandle {
            if pendingInput.isEmpty {
                try? handle.close()
                inputHandle = nil
            } else {
                Self.makeNonBlocking(handle.fileDescriptor)
            }
        }
        for reader in readers.compactMap({ $0 }) { Self.makeNonBlocking(reader.handle.fileDescriptor) }

        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now + $0 }
        var exitedAt: ContinuousClock.Instant?
        var stopReason: StevedoreError.Code?
        var terminatedAt: ContinuousClock.Instant?
        var killed = false
        while true {
            let now = clock.now
            let running = process.isRunning
            if !running, exitedAt == nil { exitedAt = now }
            let pipesOpen = readers.contains { $0?.isOpen == true } || inputHandle != nil
            if let exitedAt, !pipesOpen || now - exitedAt > Self.drainAfterExit { break }
            if stopReason == nil {
                if cancellation.isCancelled {
                    stopReason = .programCancelled
                } else if let deadline, now >= deadline {
                    stopReason = .programTimedOut
                }
            }
            if stopReason != nil, running {
                if let terminatedAt {
                    if !killed, now - terminatedAt >= terminationGracePeriod {
                        Self.send(SIGKILL, to: process)
                        killed = true
                    }
                } else {
                    Self.send(SIGTERM, to: process)
                    terminatedAt = now
                }
            }

            var descriptors: [pollfd] = []
            for reader in readers.compactMap({ $0 }) where reader.isOpen {
                descriptors.append(pollfd(fd: reader.handle.fileDescriptor, events: Int16(truncatingIfNeeded: POLLIN), revents: 0))
            }
            if let inputHandle {
                descriptors.append(pollfd(fd: inputHandle.fileDescriptor, events: Int16(truncatingIfNeeded: POLLOUT), revents: 0))
            }
            if descriptors.isEmpty {
                usleep(20_000)
                continue
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), 50)
            guard ready > 0 else { continue }
            for index in readers.indices {
                guard let reader = readers[index], reader.isOpen,
                      let polled = descriptors.first(where: { $0.fd == reader.handle.fileDescriptor }), polled.revents != 0
                else { continue }
                readers[index]?.readAvailable()
            }
            if let handle = inputHandle,
               let polled = descriptors.first(where: { $0.fd == handle.fileDescriptor }), polled.revents != 0,
               !Self.feed(&pendingInput, to: handle.fileDescriptor) {
                try? handle.close()
                inputHandle = nil
            }
        }
        try? inputHandle?.close()
        for reader in readers.compactMap({ $0 }) { try? reader.handle.close() }
        process.waitUntilExit()

        if let stopReason {
            if stopReason == .programCancelled {
                throw StevedoreError(.programCancelled, "\(programName) was stopped because the operation was cancelled")
            }
            throw StevedoreError(
                .programTimedOut,
                "\(programName) did not finish within \(Self.seconds(timeout ?? .zero)) and was stopped; check that it does not wait for input or a network"
            )
        }
        let status: ChildProcessStatus = process.terminationReason == .uncaughtSignal
            ? .signalled(process.terminationStatus)
            : .exited(process.terminationStatus)
        return Supervised(output: ChildProcessOutput(
            status: status,
            standardOutput: readers[0]?.bytes ?? [],
            standardError: readers[1]?.bytes ?? [],
            isTruncated: readers.contains { $0?.isTruncated == true }
        ))
    }

    /// Runs `body` on a new thread and blocks the calling thread until it returns. The supervising thread's signal
    /// mask is its own, and a `SIGPIPE` left pending on it ends with it.
    static func onOwnThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) throws -> Result {
        let box = ResultBox<Result>()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.set(Swift.Result { try body() })
            done.signal()
        }
        done.wait()
        return try box.get()
    }

    /// Sends `signal` to the child and the process group it leads (Foundation starts children in a group of
    /// their own on Linux, so a shell script's own children stop too).
    private static func send(_ signal: Int32, to process: Process) {
        let pid = process.processIdentifier
        guard pid > 0, process.isRunning else { return }
        if getpgid(pid) == pid {
            _ = kill(-pid, signal)
        } else {
            _ = kill(pid, signal)
        }
    }

    private static func makeNonBlocking(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Writes what the pipe takes of `pending`; `false` when all is written or the child closed its end.
    private static func feed(_ pending: inout ArraySlice<UInt8>, to descriptor: Int32) -> Bool {
        let written = pending.withUnsafeBytes { buffer in
            write(descriptor, buffer.baseAddress, buffer.count)
        }
        if written > 0 {
            pending = pending.dropFirst(written)
            return !pending.isEmpty
        }
        // EPIPE: the child closed standard input without reading it all, which is its right.
        return written < 0 && (errno == EAGAIN || errno == EINTR || errno == EWOULDBLOCK)
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int64(value)) s" : "\(value) s"
    }
}

/// Reads one of the child's output pipes without blocking, keeping at most `limit` bytes.
private struct PipeReader {
    let handle: FileHandle
    let limit: Int
    var bytes: [UInt8] = []
    var isOpen = true
    var isTruncated = false

    init(handle: FileHandle, limit: Int) {
        self.handle = handle
        self.limit = limit
    }

    mutating func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        // A bounded number of reads, so that a child that writes without pause cannot starve the timeout.
        var rounds = 0
        while isOpen, rounds < 16 {
            rounds += 1
            let count = chunk.withUnsafeMutableBytes { buffer in
                read(handle.fileDescriptor, buffer.baseAddress, buffer.count)
            }
            if count > 0 {
                let kept = min(count, max(0, limit - bytes.count))
                bytes.append(contentsOf: chunk[..<kept])
                if kept < count { isTruncated = true }
            } else if count == 0 {
                isOpen = false
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else if errno != EINTR {
                isOpen = false
            }
        }
    }
}

/// The result handed from the supervising thread to the thread waiting for it.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error>?

    func set(_ value: Result<Value, any Error>) { lock.withLock { result = value } }

    func get() throws -> Value {
        guard let result = lock.withLock({ result }) else {
            throw StevedoreError(.programLaunchFailed, "the supervising thread ended without a result")
        }
        return try result.get()
    }
}

import Foundation

/// A server process that binds a port it chooses itself (port 0) and says which in its log, so no other
/// process can take the port between a test choosing it and the server binding it.
///
/// Every server the tests start (docker-registry, the token server, the fault proxy, the misbehaving
/// registry) is one of these: it is ready once its log has a line `listening on HOST:PORT`, which
/// docker-registry writes after binding and the Python servers print after binding. Stop it with ``stop()``
/// (it also stops when released).
public final class BackgroundServer: @unchecked Sendable {
    /// The address it listens on, e.g. `127.0.0.1`.
    public let host: String
    /// The port it reported.
    public let port: Int
    /// The process.
    public let process: BackgroundProcess

    /// `HOST:PORT`.
    public var address: String { "\(host):\(port)" }

    /// Everything the server wrote so far.
    public var log: String { process.log }

    /// Starts `arguments` and waits until the server reports the port it bound on `host`.
    ///
    /// - Parameters:
    ///   - arguments: the command; the server must bind `host` itself (port 0, or a fixed port in a private
    ///     network namespace) and write `listening on HOST:PORT` to standard output or standard error.
    ///   - logPath: the file that receives its output.
    ///   - timeout: how long the start may take at most; it only bounds a failure, never a success.
    public init(_ arguments: [String], host: String = "127.0.0.1", logPath: String, environment: [String: String] = [:], timeout: TimeInterval = 120) throws {
        self.host = host
        let process = try BackgroundProcess(arguments, logPath: logPath, environment: environment)
        self.process = process
        do {
            port = try Self.waitForReportedPort(process, host: host, timeout: timeout)
        } catch {
            process.stop()
            throw error
        }
    }

    public func stop() { process.stop() }

    deinit { process.stop() }

    private static func waitForReportedPort(_ process: BackgroundProcess, host: String, timeout: TimeInterval) throws -> Int {
        let marker = "listening on \(host):"
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let log = process.log
            if let range = log.range(of: marker) {
                let digits = log[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
                if let port = Int(digits), port > 0, log[range.upperBound...].count > digits.count { return port }
            }
            guard process.isRunning else { throw TestServerError("the server exited before it listened:\n\(log)") }
            guard Date() < deadline else {
                throw TestServerError("the server did not report `\(marker)PORT` within \(Int(timeout)) s:\n\(log)")
            }
            usleep(20_000)
        }
    }
}

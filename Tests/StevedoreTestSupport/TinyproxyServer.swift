import Foundation

/// Debian's `tinyproxy` on 127.0.0.1, in the foreground with a generated configuration: an HTTP proxy that
/// tunnels `CONNECT` to the ports it is given, optionally behind Basic credentials, and logs each request.
public final class TinyproxyServer: @unchecked Sendable {
    public let port: Int
    private let process: BackgroundProcess

    /// `http://[user:password@]127.0.0.1:PORT`, for `HTTPS_PROXY`.
    public func url(user: String? = nil, password: String? = nil) -> String {
        let credentials = user.map { "\($0):\(password ?? "")@" } ?? ""
        return "http://\(credentials)127.0.0.1:\(port)"
    }

    /// Starts tinyproxy allowing `CONNECT` to `connectPorts` only, and asking for `credentials` when given.
    ///
    /// tinyproxy cannot listen on port 0, so a port free a moment ago is handed over; when another process
    /// took it in between, a new one is tried (a few times).
    public init(directory: String, connectPorts: [Int], credentials: (user: String, password: String)? = nil) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lastError: any Error = TestServerError("tinyproxy did not start")
        for attempt in 1...5 {
            let port = try BackgroundProcess.freePort()
            let configuration = "\(directory)/tinyproxy-\(attempt).conf"
            var lines = [
                "Port \(port)", "Listen 127.0.0.1", "Timeout 120", "LogLevel Info", "MaxClients 64", "Allow 127.0.0.1",
                "DisableViaHeader Yes",
            ]
            lines += connectPorts.map { "ConnectPort \($0)" }
            if let credentials { lines.append("BasicAuth \(credentials.user) \(credentials.password)") }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: configuration))
            // `-d`: in the foreground, logging to standard output, which BackgroundProcess keeps in a file.
            let process = try BackgroundProcess(["tinyproxy", "-d", "-c", configuration], logPath: "\(directory)/tinyproxy-\(attempt).log")
            do {
                try Self.waitUntilAccepting(process)
                self.port = port
                self.process = process
                return
            } catch {
                process.stop()
                lastError = error
            }
        }
        throw lastError
    }

    /// Waits until tinyproxy logs that it accepts connections (it has bound its port), at most a minute; it
    /// exits when the port was taken.
    private static func waitUntilAccepting(_ process: BackgroundProcess) throws {
        let deadline = Date().addingTimeInterval(60)
        while !process.log.contains("Accepting connections") {
            guard process.isRunning else { throw TestServerError("tinyproxy exited before it listened:\n\(process.log)") }
            guard Date() < deadline else { throw TestServerError("tinyproxy did not start within 60 s:\n\(process.log)") }
            usleep(20_000)
        }
    }

    /// Everything tinyproxy logged so far.
    public var log: String { process.log }

    /// The `CONNECT host:port` requests it received, in order.
    public var connectRequests: [String] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "): CONNECT ") else { return nil }
            return line[range.upperBound...].split(separator: " ").first.map(String.init)
        }
    }

    /// Every request it received (`CONNECT …`, `GET …`), from its `Request` lines.
    public var requests: [String] {
        log.split(separator: "\n").filter { $0.contains("Request (file descriptor") }.map(String.init)
    }

    public func stop() {
        process.stop()
    }
}

import Foundation

/// A plain-HTTP proxy in front of a registry that injects faults, in Python 3 (standard library only).
///
/// Each rule matches a method and a path fragment and fires `times` times (`-1`: forever):
/// - `status`: answer with that status (and `Retry-After` when given) without forwarding;
/// - `reset`: read half the request body, then reset the connection (TCP RST);
/// - `silence`: read the whole request, then never answer (the connection stays open until the client goes).
/// Every request is logged as `METHOD PATH -> STATUS` or `… -> FAULT …`.
public final class RegistryFaultProxy: @unchecked Sendable {
    /// One fault.
    public struct Rule: Sendable {
        public var method: String
        public var pathContains: String
        public var status: Int?
        public var retryAfter: String?
        public var reset: Bool
        public var silence = false
        public var times: Int

        /// Answers `status` instead of forwarding.
        public static func status(_ status: Int, method: String, pathContains: String, times: Int, retryAfter: String? = nil) -> Rule {
            Rule(method: method, pathContains: pathContains, status: status, retryAfter: retryAfter, reset: false, times: times)
        }

        /// Takes the whole request and never answers it.
        public static func silence(method: String, pathContains: String, times: Int) -> Rule {
            var rule = Rule(method: method, pathContains: pathContains, status: nil, retryAfter: nil, reset: false, times: times)
            rule.silence = true
            return rule
        }

        /// Resets the connection in the middle of the request body.
        public static func reset(method: String, pathContains: String, times: Int) -> Rule {
            Rule(method: method, pathContains: pathContains, status: nil, retryAfter: nil, reset: true, times: times)
        }
    }

    public let port: Int
    /// `127.0.0.1:PORT`.
    public var address: String { "127.0.0.1:\(port)" }
    private let process: BackgroundProcess

    /// Starts a proxy to `upstream` (`127.0.0.1:PORT`, plain HTTP).
    public init(directory: String, upstream: String, rules: [Rule]) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = try BackgroundProcess.freePort()
        let script = "\(directory)/fault_proxy.py"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: script))
        let table: [[String: Any]] = rules.map { rule in
            var entry: [String: Any] = ["method": rule.method, "path": rule.pathContains, "times": rule.times, "reset": rule.reset, "silence": rule.silence]
            if let status = rule.status { entry["status"] = status }
            if let retryAfter = rule.retryAfter { entry["retry_after"] = retryAfter }
            return entry
        }
        let rulesFile = "\(directory)/rules.json"
        try JSONSerialization.data(withJSONObject: table).write(to: URL(fileURLWithPath: rulesFile))
        process = try BackgroundProcess(["python3", "-u", script, String(port), upstream, rulesFile], logPath: "\(directory)/fault_proxy.log")
        do {
            try process.waitForPort(port)
        } catch {
            process.stop()
            throw error
        }
    }

    public var log: String { process.log }

    /// How many faults fired.
    public var faultCount: Int { log.split(separator: "\n").filter { $0.contains("-> FAULT") }.count }

    public func stop() { process.stop() }

    deinit { process.stop() }

    static let script = #"""
import http.client, json, socket, struct, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, upstream, rules_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
up_host, up_port = upstream.rsplit(":", 1)
rules = json.load(open(rules_file))
lock = threading.Lock()
HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}

def match(method, path):
    with lock:
        for rule in rules:
            if rule["method"] == method and rule["path"] in path and rule["times"] != 0:
                if rule["times"] > 0:
                    rule["times"] -= 1
                return dict(rule)
    return None

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def read_body(self, length):
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(65536, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        rule = match(self.command, self.path)
        if rule and rule.get("reset"):
            for index, _ in enumerate(self.read_body(length // 2)):
                pass
            sys.stderr.write("%s %s -> FAULT reset after %d of %d bytes\n" % (self.command, self.path, length // 2, length))
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if rule and rule.get("silence"):
            for _ in self.read_body(length):
                pass
            sys.stderr.write("%s %s -> FAULT silence\n" % (self.command, self.path))
            self.connection.settimeout(300)
            try:
                while self.connection.recv(65536):
                    pass
            except OSError:
                pass
            self.close_connection = True
            return
        if rule and rule.get("status"):
            for _ in self.read_body(length):
                pass
            body = json.dumps({"errors": [{"code": "UNAVAILABLE", "message": "injected fault"}]}).encode()
            self.send_response(rule["status"])
            if rule.get("retry_after"):
                self.send_header("Retry-After", rule["retry_after"])
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            sys.stderr.write("%s %s -> FAULT %d\n" % (self.command, self.path, rule["status"]))
            return
        connection = http.client.HTTPConnection(up_host, int(up_port), timeout=120)
        connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in HOP:
                connection.putheader(name, value)
        connection.endheaders()
        for chunk in self.read_body(length):
            connection.send(chunk)
        response = connection.getresponse()
        self.send_response_only(response.status, response.reason)
        chunked = False
        for name, value in response.getheaders():
            if name.lower() in HOP:
                chunked = chunked or value.lower() == "chunked"
                continue
            self.send_header(name, value)
        body = b""
        if chunked:
            body = response.read()
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            if chunked:
                self.wfile.write(body)
            else:
                while True:
                    chunk = response.read(65536)
                    if not chunk:
                        break
                    self.wfile.write(chunk)
        connection.close()
        sys.stderr.write("%s %s -> %d\n" % (self.command, self.path, response.status))

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any

    def log_message(self, fmt, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
server.serve_forever()
"""#
}

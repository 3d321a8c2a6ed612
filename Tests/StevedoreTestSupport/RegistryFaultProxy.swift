import Foundation

/// A plain-HTTP proxy in front of a registry that injects faults, in Python 3 (standard library only).
///
/// Each rule matches a method and a path fragment and fires `times` times (`-1`: forever):
/// - `status`: answer with that status (and `Retry-After` when given) without forwarding;
/// - `reset`: read half the request body, then reset the connection (TCP RST);
/// - `silence`: read the whole request, then never answer (the connection stays open until the client goes);
/// - `corrupt`: forward, then answer with the upstream body with its middle byte changed (same length);
/// - `truncate`: forward, then answer with the first half of the upstream body, as a complete answer
///   (its `Content-Length` says half).
/// Every request is logged as `METHOD PATH -> STATUS` or `… -> FAULT …`, before the client can see the answer: once
/// a client has its answer, the log has the line.
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
        /// The registry error code in the body of a `status` answer.
        public var errorCode = "UNAVAILABLE"
        /// Headers of a `status` answer, e.g. a `WWW-Authenticate` challenge.
        public var headers: [String: String] = [:]
        /// A change to the forwarded answer's body.
        public var body: BodyFault?

        /// How a forwarded body is spoilt.
        public enum BodyFault: String, Sendable {
            /// The same length, one byte changed: only the digest tells.
            case corrupt
            /// Half the bytes, announced as the whole answer: the size tells.
            case truncate
        }

        /// Answers `status` instead of forwarding.
        public static func status(
            _ status: Int, method: String, pathContains: String, times: Int, retryAfter: String? = nil,
            errorCode: String = "UNAVAILABLE", headers: [String: String] = [:]
        ) -> Rule {
            var rule = Rule(method: method, pathContains: pathContains, status: status, retryAfter: retryAfter, reset: false, times: times)
            rule.errorCode = errorCode
            rule.headers = headers
            return rule
        }

        /// Forwards, then spoils the body of the answer.
        public static func body(_ fault: BodyFault, method: String = "GET", pathContains: String, times: Int) -> Rule {
            var rule = Rule(method: method, pathContains: pathContains, status: nil, retryAfter: nil, reset: false, times: times)
            rule.body = fault
            return rule
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

    public var port: Int { server.port }
    /// `HOST:PORT`, e.g. `127.0.0.1:41234`.
    public var address: String { server.address }
    private let server: BackgroundServer

    /// Starts a proxy to `upstream` (`127.0.0.1:PORT`, plain HTTP).
    ///
    /// - Parameter host: the loopback address it listens on; `127.0.0.2` is one stevedore does not treat as
    ///   local, so plain HTTP to it needs `--insecure-registry`.
    public init(directory: String, upstream: String, rules: [Rule], host: String = "127.0.0.1") throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = "\(directory)/fault_proxy.py"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: script))
        let table: [[String: Any]] = rules.map { rule in
            var entry: [String: Any] = [
                "method": rule.method, "path": rule.pathContains, "times": rule.times, "reset": rule.reset, "silence": rule.silence,
                "code": rule.errorCode, "headers": rule.headers,
            ]
            if let body = rule.body { entry["body"] = body.rawValue }
            if let status = rule.status { entry["status"] = status }
            if let retryAfter = rule.retryAfter { entry["retry_after"] = retryAfter }
            return entry
        }
        let rulesFile = "\(directory)/rules.json"
        try JSONSerialization.data(withJSONObject: table).write(to: URL(fileURLWithPath: rulesFile))
        server = try BackgroundServer(["python3", "-u", script, host, upstream, rulesFile], host: host, logPath: "\(directory)/fault_proxy.log")
    }

    public var log: String { server.log }

    /// How many faults fired.
    public var faultCount: Int { log.split(separator: "\n").filter { $0.contains("-> FAULT") }.count }

    public func stop() { server.stop() }

    static let script = #"""
import http.client, json, socket, struct, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

host, upstream, rules_file = sys.argv[1], sys.argv[2], sys.argv[3]
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
            body = json.dumps({"errors": [{"code": rule["code"], "message": "injected fault"}]}).encode()
            self.send_response(rule["status"])
            if rule.get("retry_after"):
                self.send_header("Retry-After", rule["retry_after"])
            for name, value in rule["headers"].items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            sys.stderr.write("%s %s -> FAULT %d\n" % (self.command, self.path, rule["status"]))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
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
        spoil = rule.get("body") if rule and response.status == 200 and self.command == "GET" else None
        chunked = False
        for name, value in response.getheaders():
            if name.lower() in HOP:
                chunked = chunked or value.lower() == "chunked"
                continue
            if spoil and name.lower() == "content-length":
                continue
            self.send_header(name, value)
        body = b""
        if chunked or spoil:
            body = response.read()
            if spoil == "corrupt" and body:
                middle = len(body) // 2
                body = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1:]
            elif spoil == "truncate":
                body = body[: len(body) // 2]
            self.send_header("Content-Length", str(len(body)))
        if spoil:
            sys.stderr.write("%s %s -> FAULT %s\n" % (self.command, self.path, spoil))
        sys.stderr.write("%s %s -> %d\n" % (self.command, self.path, response.status))
        self.end_headers()
        if self.command != "HEAD":
            if chunked or spoil:
                self.wfile.write(body)
            else:
                while True:
                    chunk = response.read(65536)
                    if not chunk:
                        break
                    self.wfile.write(chunk)
        connection.close()

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any

    def log_message(self, fmt, *args):
        pass

server = ThreadingHTTPServer((host, 0), Handler)
server.daemon_threads = True
sys.stderr.write("listening on %s:%d\n" % server.server_address)
server.serve_forever()
"""#
}

import Foundation

/// A token server for `docker-registry`'s token authentication, in Python 3 (standard library and the
/// `openssl` CLI): Basic credentials in, a JWT signed with the certificates' token key (`x5c` header) out.
/// Each user gets the actions listed for them (`pull`, `push`) on every repository.
public final class RegistryTokenServer: @unchecked Sendable {
    public static let service = "stevedore-test-registry"
    public static let issuer = "stevedore-test-issuer"

    public var port: Int { server.port }
    public let certificates: RegistryCertificates
    private let server: BackgroundServer

    /// The realm the registry names in its challenges.
    public var realm: String { "http://127.0.0.1:\(port)/token" }

    /// Starts the server; `users` maps a name to its password and allowed actions.
    public init(directory: String, certificates: RegistryCertificates, users: [String: (password: String, actions: [String])]) throws {
        self.certificates = certificates
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = "\(directory)/token_server.py"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: script))
        var table: [String: [String: Any]] = [:]
        for (name, entry) in users { table[name] = ["password": entry.password, "actions": entry.actions] }
        let usersFile = "\(directory)/users.json"
        try JSONSerialization.data(withJSONObject: table).write(to: URL(fileURLWithPath: usersFile))
        server = try BackgroundServer(
            ["python3", "-u", script, "0", certificates.tokenKey, certificates.tokenCertificate, Self.issuer, usersFile],
            logPath: "\(directory)/token_server.log"
        )
    }

    /// The requests it served: `GET /token?… user=… status=…`.
    public var log: String { server.log }

    public func stop() { server.stop() }

    static let script = #"""
import base64, json, os, subprocess, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

port, key, cert, issuer, users_file = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
users = json.load(open(users_file))
pem = open(cert).read()
der_b64 = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        auth = self.headers.get("Authorization", "")
        user = None
        if auth.startswith("Basic "):
            try:
                name, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            except Exception:
                name, password = "", ""
            entry = users.get(name)
            if entry is None or entry["password"] != password:
                sys.stderr.write("token refused user=%s\n" % name)
                return self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "invalid username or password"}]})
            user = name
        else:
            sys.stderr.write("token refused anonymous\n")
            return self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]})
        access = []
        for scope_param in query.get("scope", []):
            for scope in scope_param.split(" "):
                parts = scope.split(":")
                if len(parts) < 3:
                    continue
                kind, name, actions = parts[0], ":".join(parts[1:-1]), parts[-1]
                granted = [a for a in actions.split(",") if a in users[user]["actions"]]
                access.append({"type": kind, "name": name, "actions": granted})
        now = int(time.time())
        claims = {"iss": issuer, "sub": user, "aud": query.get("service", [""])[0], "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": os.urandom(8).hex(), "access": access}
        header = {"typ": "JWT", "alg": "RS256", "x5c": [der_b64]}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing_input.encode(),
                                   capture_output=True, check=True).stdout
        token = signing_input + "." + b64url(signature)
        sys.stderr.write("token issued user=%s scopes=%s\n" % (user, json.dumps(access)))
        self.reply(200, {"token": token, "access_token": token, "expires_in": 300,
                         "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))})

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))

server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
sys.stderr.write("listening on %s:%d\n" % server.server_address)
server.serve_forever()
"""#
}

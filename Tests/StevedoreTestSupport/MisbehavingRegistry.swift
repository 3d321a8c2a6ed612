import Foundation

/// A registry that misbehaves on purpose, in Python 3 (standard library only), for the hostile-registry tests.
/// It serves one small image (a configuration, no layers, or one layer where a case needs a body) under any
/// repository name, and misbehaves as its ``Mode`` says. Every request is logged as
/// `METHOD PATH auth=NONE|Basic:USER|Bearer`, so a test can check where credentials went.
public final class MisbehavingRegistry: @unchecked Sendable {
    /// How the registry misbehaves.
    public enum Mode: String, Sendable {
        /// The manifest is pinned by its real sha256, but its config descriptor says `sha512:` and the registry
        /// serves other bytes of the same size for it.
        case swappedSHA512Config = "swapped-sha512"
        /// Answers any manifest request, whatever digest it names, with the same manifest.
        case answersAnything = "answers-anything"
        /// The layer's body: half the bytes, then silence.
        case stalledBody = "stalled"
        /// The layer's body: one byte a second.
        case drippingBody = "dripping"
        /// A Bearer challenge whose token says `"expires_in": 1e300`.
        case hugeTokenLifetime = "token-huge"
        /// A Bearer challenge whose token says `"expires_in": -5`.
        case negativeTokenLifetime = "token-negative"
        /// A Bearer challenge whose realm is plain HTTP on another host (127.0.0.2).
        case plainRealmOnOtherHost = "realm-other-host"
        /// Over HTTPS, the configuration is redirected to plain HTTP on another host (127.0.0.2).
        case redirectToPlainHTTP = "redirect-http"
        /// Every manifest request is denied with escape sequences in the error message.
        case escapeSequences = "escapes"
        /// A well-behaved registry that asks for no credentials.
        case anonymous = "anonymous"
        /// Serves pulls like ``anonymous``, but every upload (`POST`, `PUT`, `PATCH`) is answered 403 `DENIED`,
        /// as ghcr.io answers a workflow without `packages: write`.
        case deniesPush = "denies-push"
        /// A well-behaved registry without credentials that stores what is pushed (in memory) and has the
        /// distribution specification 1.1 referrers API: a manifest with a `subject` is answered with
        /// `OCI-Subject`, and `GET /v2/NAME/referrers/DIGEST` lists the referrers.
        case referrersAPI = "referrers-api"
    }

    public var port: Int { server.port }
    public let mode: Mode
    /// `127.0.0.1:PORT`.
    public var address: String { server.address }
    private let server: BackgroundServer

    /// Starts the registry; with `certificates` it speaks HTTPS with their server certificate.
    ///
    /// - Parameters:
    ///   - port: the port to bind; 0 (the default) lets the system choose one. A fixed port is for a private
    ///     network namespace only (see `launcher`).
    ///   - launcher: a command prefix, e.g. `nsenter --target PID --net` to run it in another network namespace.
    public init(directory: String, mode: Mode, certificates: RegistryCertificates? = nil, port: Int = 0, launcher: [String] = []) throws {
        self.mode = mode
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = "\(directory)/misbehaving_registry.py"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: script))
        var arguments = launcher + ["python3", "-u", script, String(port), mode.rawValue]
        if let certificates { arguments += [certificates.serverCertificate, certificates.serverKey] }
        server = try BackgroundServer(arguments, logPath: "\(directory)/misbehaving_registry.log")
    }

    /// The requests it served, one a line.
    public var log: String { server.log }

    /// The digest of the manifest it serves (`sha256:…`).
    public var manifestDigest: String {
        get throws {
            guard let line = log.split(separator: "\n").first(where: { $0.hasPrefix("manifest ") }) else {
                throw TestServerError("the registry did not log its manifest digest:\n\(log)")
            }
            return String(line.dropFirst("manifest ".count))
        }
    }

    public func stop() { server.stop() }

    static let script = #"""
import base64, hashlib, json, socket, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, mode = int(sys.argv[1]), sys.argv[2]
tls = sys.argv[3:5] if len(sys.argv) >= 5 else None

layer = bytes(range(256)) * 40
layers = []
if mode in ("stalled", "dripping"):
    layers = [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
               "digest": "sha256:" + hashlib.sha256(layer).hexdigest(), "size": len(layer)}]
diff_ids = [entry["digest"] for entry in layers]
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Entrypoint": ["/good"]},
                     "rootfs": {"type": "layers", "diff_ids": diff_ids}}, sort_keys=True).encode()
evil = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Entrypoint": ["/evil"]},
                   "rootfs": {"type": "layers", "diff_ids": diff_ids}}, sort_keys=True).encode()
assert len(evil) == len(config)
config_digest = ("sha512:" + hashlib.sha512(config).hexdigest()) if mode == "swapped-sha512" else ("sha256:" + hashlib.sha256(config).hexdigest())
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": len(config)},
                       "layers": layers}, sort_keys=True).encode()
manifest_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
print("manifest " + manifest_digest, flush=True)

blobs, manifests, referrers, uploads = {}, {}, {}, {}

def auth_text(value):
    if not value:
        return "NONE"
    if value.startswith("Basic "):
        try:
            return "Basic:" + base64.b64decode(value[6:]).decode().partition(":")[0]
        except Exception:
            return "Basic:?"
    return value.split(" ")[0]

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def challenge(self):
        realm = "http://127.0.0.2:%d/token" % port if mode == "realm-other-host" else "http://127.0.0.1:%d/token" % port
        self.answer(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
                    [("WWW-Authenticate", 'Bearer realm="%s",service="misbehaving"' % realm), ("Content-Type", "application/json")])

    def do_HEAD(self):
        self.do_GET()

    def do_upload(self):
        print("%s %s auth=%s" % (self.command, self.path, auth_text(self.headers.get("Authorization", ""))), flush=True)
        remaining = int(self.headers.get("Content-Length") or 0)
        body = b""
        while remaining > 0:
            chunk = self.rfile.read(min(65536, remaining))
            if not chunk:
                break
            body += chunk
            remaining -= len(chunk)
        if mode == "referrers-api":
            return self.store(body)
        if mode == "denies-push":
            body = json.dumps({"errors": [{"code": "DENIED", "message": "permission_denied: write_package"}]}).encode()
            return self.answer(403, body, [("Content-Type", "application/json")])
        self.answer(405, b'{"errors":[{"code":"UNSUPPORTED","message":"read-only"}]}', [("Content-Type", "application/json")])

    do_POST = do_PUT = do_PATCH = do_upload

    def store(self, body):
        path, _, query = self.path.partition("?")
        name = path[len("/v2/"):].split("/blobs/")[0].split("/manifests/")[0]
        if self.command == "POST" and path.endswith("/blobs/uploads/"):
            upload = "u%d" % len(uploads)
            uploads[upload] = b""
            return self.answer(202, b"", [("Location", "/v2/%s/blobs/uploads/%s" % (name, upload)), ("Range", "0-0")])
        if "/blobs/uploads/" in path:
            upload = path.rsplit("/", 1)[1]
            uploads[upload] = uploads.get(upload, b"") + body
            if self.command == "PATCH":
                return self.answer(202, b"", [("Location", path), ("Range", "0-%d" % (len(uploads[upload]) - 1))])
            digest = dict(part.split("=", 1) for part in query.split("&") if "=" in part).get("digest", "").replace("%3A", ":")
            blobs[digest] = uploads.pop(upload)
            return self.answer(201, b"", [("Docker-Content-Digest", digest)])
        if self.command == "PUT" and "/manifests/" in path:
            reference = path.rsplit("/", 1)[1]
            digest = "sha256:" + hashlib.sha256(body).hexdigest()
            kind = self.headers.get("Content-Type", "application/vnd.oci.image.manifest.v1+json")
            manifests[reference] = manifests[digest] = (body, kind)
            headers = [("Docker-Content-Digest", digest)]
            document = json.loads(body)
            if "subject" in document:
                descriptor = {"mediaType": kind, "digest": digest, "size": len(body)}
                if document.get("artifactType"):
                    descriptor["artifactType"] = document["artifactType"]
                if document.get("annotations"):
                    descriptor["annotations"] = document["annotations"]
                listed = referrers.setdefault(document["subject"]["digest"], [])
                if digest not in [entry["digest"] for entry in listed]:
                    listed.append(descriptor)
                headers.append(("OCI-Subject", document["subject"]["digest"]))
            return self.answer(201, b"", headers)
        self.answer(405)

    def do_GET(self):
        authorization = self.headers.get("Authorization", "")
        print("%s %s auth=%s" % (self.command, self.path, auth_text(authorization)), flush=True)
        path = self.path.split("?")[0]
        bearer = mode in ("token-huge", "token-negative", "realm-other-host")
        if path.startswith("/token"):
            lifetime = "1e300" if mode == "token-huge" else "-5"
            body = ('{"token": "good-token", "expires_in": %s}' % lifetime).encode()
            return self.answer(200, body, [("Content-Type", "application/json")])
        if bearer and authorization != "Bearer good-token":
            return self.challenge()
        if path == "/v2/" or path == "/v2":
            return self.answer(200, b"{}", [("Content-Type", "application/json")])
        if mode == "referrers-api" and "/referrers/" in path:
            listed = referrers.get(path.rsplit("/", 1)[1], [])
            body = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": listed}).encode()
            return self.answer(200, body, [("Content-Type", "application/vnd.oci.image.index.v1+json")])
        if mode == "referrers-api" and "/manifests/" in path and path.rsplit("/", 1)[1] in manifests:
            body, kind = manifests[path.rsplit("/", 1)[1]]
            return self.answer(200, body, [("Content-Type", kind), ("Docker-Content-Digest", "sha256:" + hashlib.sha256(body).hexdigest())])
        if mode == "referrers-api" and "/blobs/" in path and path.rsplit("/", 1)[1] in blobs:
            return self.answer(200, blobs[path.rsplit("/", 1)[1]], [("Content-Type", "application/octet-stream")])
        if "/manifests/" in path:
            if mode == "escapes":
                message = "denied \x1b[31mEVIL\x1b[0m\x1b]0;owned\x07\r\nFORGED LINE"
                body = json.dumps({"errors": [{"code": "DENIED", "message": message}]}).encode()
                return self.answer(403, body, [("Content-Type", "application/json")])
            reference = path.rsplit("/", 1)[1]
            if reference not in ("latest", manifest_digest) and mode != "answers-anything":
                return self.answer(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]}', [("Content-Type", "application/json")])
            return self.answer(200, manifest, [("Content-Type", "application/vnd.oci.image.manifest.v1+json"),
                                               ("Docker-Content-Digest", manifest_digest)])
        if "/blobs/" in path:
            digest = path.rsplit("/", 1)[1]
            if digest == config_digest:
                if mode == "redirect-http":
                    return self.answer(307, b"", [("Location", "http://127.0.0.2:%d/blob%s" % (port, path))])
                return self.answer(200, evil if mode == "swapped-sha512" else config, [("Content-Type", "application/octet-stream")])
            if layers and digest == layers[0]["digest"]:
                self.send_response(200)
                self.send_header("Content-Length", str(len(layer)))
                self.end_headers()
                if mode == "stalled":
                    self.wfile.write(layer[: len(layer) // 2])
                    self.wfile.flush()
                    time.sleep(3600)
                else:
                    for byte in layer:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(1)
                return
            return self.answer(404, b'{"errors":[{"code":"BLOB_UNKNOWN","message":"unknown"}]}', [("Content-Type", "application/json")])
        self.answer(404)

class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass

server = Server(("127.0.0.1", port), Handler)
port = server.server_address[1]
if tls:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls[0], tls[1])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print("listening on %s:%d" % server.server_address, flush=True)
server.serve_forever()
"""#
}

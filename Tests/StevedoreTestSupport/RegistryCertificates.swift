import Foundation

/// Keys and certificates for test registries, made with the `openssl` CLI: a CA, a server certificate
/// for 127.0.0.1 signed by it, and a self-signed certificate whose key signs registry tokens.
public struct RegistryCertificates: Sendable {
    /// The directory holding the files.
    public let directory: String
    public var caCertificate: String { "\(directory)/ca.crt" }
    public var serverCertificate: String { "\(directory)/server.crt" }
    public var serverKey: String { "\(directory)/server.key" }
    public var tokenCertificate: String { "\(directory)/token.crt" }
    public var tokenKey: String { "\(directory)/token.key" }
    /// A directory with only `ca.crt`, for skopeo's `--cert-dir`.
    public var skopeoCertDirectory: String { "\(directory)/skopeo" }

    /// Makes every file in `directory`.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: skopeoCertDirectory, withIntermediateDirectories: true)
        let steps: [[String]] = [
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(directory)/ca.key", "-out", caCertificate,
             "-days", "2", "-subj", "/CN=Stevedore Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", serverKey, "-out", "\(directory)/server.csr", "-subj", "/CN=127.0.0.1"],
            ["sh", "-c", "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth\\nbasicConstraints=CA:FALSE\\n' > '\(directory)/server.ext'"],
            ["openssl", "x509", "-req", "-in", "\(directory)/server.csr", "-CA", caCertificate, "-CAkey", "\(directory)/ca.key", "-CAcreateserial",
             "-out", serverCertificate, "-days", "2", "-extfile", "\(directory)/server.ext"],
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", tokenKey, "-out", tokenCertificate,
             "-days", "2", "-subj", "/CN=Stevedore Test Token Issuer"],
            ["cp", caCertificate, "\(skopeoCertDirectory)/ca.crt"],
        ]
        for step in steps {
            let result = try ProcessRunner.run(step, timeout: 60)
            guard result.status == 0 else { throw TestServerError("\(step.joined(separator: " ")) failed: \(result.output)") }
        }
    }
}

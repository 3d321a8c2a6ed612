import NIOSSL
import StevedoreCore

extension RegistryTransport {
    /// The client TLS configuration: the system's trust roots plus the certificates of `--ca-file` and `SSL_CERT_FILE`.
    ///
    /// - Throws: ``StevedoreError`` `tlsFailure` when a certificate file cannot be read.
    static func tlsConfiguration(_ configuration: RegistryConfiguration) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        var roots: [NIOSSLCertificate] = []
        for path in [configuration.caFile, configuration.environment["SSL_CERT_FILE"]].compactMap({ $0 }) where !path.isEmpty {
            do {
                roots += try NIOSSLCertificate.fromPEMFile(path)
            } catch {
                throw StevedoreError(.tlsFailure, "cannot read certificates from \(path): \(error); give a PEM file of CA certificates")
            }
        }
        if !roots.isEmpty { tls.additionalTrustRoots = [.certificates(roots)] }
        return tls
    }
}

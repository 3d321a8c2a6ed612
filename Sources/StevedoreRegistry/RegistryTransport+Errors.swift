import AsyncHTTPClient
import Foundation
import NIOHTTP1
import NIOSSL
import StevedoreAuth
import StevedoreGitHub
import StevedoreCore

extension RegistryTransport {
    /// Turns a transport error into a ``StevedoreError`` (not retried) or a ``TransientFailure``.
    func classify(_ error: any Error, request: RegistryRequest, deadline: OperationDeadline) -> any Error {
        if error is CancellationError { return error }
        if let error = error as? StevedoreError { return error }
        if error is TransientFailure { return error }
        if let error = error as? HTTPClientError, error == .deadlineExceeded {
            return StevedoreError(.timedOut, "gave up on \(request.registry) after \(deadline.elapsedText): the time bound of \(Self.seconds(deadline.seconds)) ran out during \(request.summary)")
        }
        let text = Self.describe(error)
        if text.contains("WRONG_VERSION_NUMBER") {
            // The server answered the handshake with something that is not TLS, most often plain HTTP.
            return StevedoreError(.tlsFailure, "TLS with \(request.registry) failed: it does not answer in TLS (a plain-HTTP registry is used only with --insecure-registry \(request.registry)): \(text)")
        }
        if Self.isTLSFailure(error) {
            return StevedoreError(.tlsFailure, "TLS with \(request.registry) failed: \(text); if the registry uses a private CA, pass --ca-file CA.pem (or set SSL_CERT_FILE)")
        }
        return TransientFailure(lastAnswer: "connection error: \(text)")
    }

    /// The error for an answer that is neither accepted nor retried.
    func error(for response: HTTPClientResponse, body: Data, request: RegistryRequest, scopes: [RegistryScope]) async -> StevedoreError {
        let registry = request.registry
        let details = RegistryErrorBody(body)
        let status = response.status.code
        // Only a credential already used for this registry words the error: a credential helper is not run
        // for a registry that never asked for one.
        let credential = await sessions.cachedCredential(for: registry)
        let who = credential?.description ?? "anonymous access"
        let repository = scopes.first?.repository
        let action = request.method == .GET || request.method == .HEAD ? "pull from" : "push to"
        let codes = Set(details.codes)
        if status == 401 {
            let challenges = response.headers["WWW-Authenticate"].flatMap(AuthenticationChallenge.parse)
            if credential == nil {
                return StevedoreError(.unauthorized, "\(registry) needs credentials to \(action) \(repository ?? "this repository") (\(request.summary) answered 401); use `stevedore login \(registry)`, --username with --password-stdin, or STEVEDORE_REGISTRY_USERNAME/STEVEDORE_REGISTRY_PASSWORD")
            }
            if challenges.contains(where: { $0.error == "insufficient_scope" }) || codes.contains("DENIED") {
                return deniedError(registry: registry, who: who, action: action, repository: repository, request: request, details: details)
            }
            if challenges.contains(where: { $0.scheme == "basic" }) || codes.contains("UNAUTHORIZED") && !challenges.contains(where: { $0.scheme == "bearer" }) {
                return StevedoreError(.unauthorized, "\(registry) refused \(who) (\(request.summary) answered 401\(details.summarySuffix)); check the user name and password or token")
            }
            return deniedError(registry: registry, who: who, action: action, repository: repository, request: request, details: details)
        }
        if status == 403 || codes.contains("DENIED") {
            return deniedError(registry: registry, who: who, action: action, repository: repository, request: request, details: details)
        }
        if codes.contains("NAME_UNKNOWN") {
            return StevedoreError(.repositoryNotFound, "repository \(repository ?? "") does not exist on \(registry) (\(request.summary) answered \(Self.statusText(response.status))\(details.summarySuffix))")
        }
        if codes.contains("MANIFEST_UNKNOWN") || (status == 404 && request.notFound == .manifestNotFound) {
            return StevedoreError(.manifestNotFound, "\(registry)/\(repository ?? "") has no such tag or digest (\(request.summary) answered \(Self.statusText(response.status))\(details.summarySuffix))")
        }
        if codes.contains("BLOB_UNKNOWN") || (status == 404 && request.notFound == .blobNotFound) {
            return StevedoreError(.blobNotFound, "\(registry)/\(repository ?? "") has no such blob (\(request.summary) answered \(Self.statusText(response.status))\(details.summarySuffix))")
        }
        if codes.contains("DIGEST_INVALID") {
            return StevedoreError(.transferDigestMismatch, "\(registry) says the content of \(request.summary) does not match its digest\(details.summarySuffix)")
        }
        if codes.contains("SIZE_INVALID") {
            return StevedoreError(.transferSizeMismatch, "\(registry) says the content of \(request.summary) does not have the declared size\(details.summarySuffix)")
        }
        if status == 404 {
            return StevedoreError(request.notFound == .rejected ? .repositoryNotFound : request.notFound, "\(registry) answered \(request.summary) with 404 Not Found\(details.summarySuffix)")
        }
        return StevedoreError(.rejected, "\(registry) rejected \(request.summary): \(Self.statusText(response.status))\(details.summarySuffix)")
    }

    private func deniedError(registry: String, who: String, action: String, repository: String?, request: RegistryRequest, details: RegistryErrorBody) -> StevedoreError {
        var message = "\(registry) denied \(who) permission to \(action) \(repository ?? "the repository") (\(request.summary)\(details.summarySuffix))"
        if GitHubContainerRegistry.isHost(registry) { message += ". " + GitHubContainerRegistry.deniedExplanation }
        return StevedoreError(.denied, message)
    }

    /// `404 Not Found`; a reason phrase the registry chose is stripped of control characters.
    static func statusText(_ status: HTTPResponseStatus) -> String { RegistryErrorBody.printable("\(status.code) \(status.reasonPhrase)", limit: 100) }

    /// Whether `error` is TLS failing (an untrusted certificate, a failed handshake).
    static func isTLSFailure(_ error: any Error) -> Bool {
        let text = describe(error)
        return error is NIOSSLError || error is BoringSSLError || text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("handshake")
    }

    static func describe(_ error: any Error) -> String {
        RegistryErrorBody.printable("\(error)")
    }
}

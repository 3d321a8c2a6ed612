import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import StevedoreCore

/// The body of a request, made anew for every attempt so that retries resend it.
enum RequestBody: Sendable {
    case bytes(Data)
    case blob(Descriptor, any BlobSource, (any TransferProgress)?)
    case chunk(ByteBuffer)

    var length: Int64 {
        switch self {
        case .bytes(let data): return Int64(data.count)
        case .blob(let descriptor, _, _): return descriptor.size
        case .chunk(let buffer): return Int64(buffer.readableBytes)
        }
    }

    func makeBody() -> HTTPClientRequest.Body {
        switch self {
        case .bytes(let data): return .bytes(ByteBuffer(bytes: data))
        case .blob(let descriptor, let source, let progress):
            return .stream(BlobByteStream(source: source, descriptor: descriptor, progress: progress), length: .known(descriptor.size))
        case .chunk(let buffer): return .bytes(buffer)
        }
    }
}

/// One request to a registry.
struct RegistryRequest: Sendable {
    var method: HTTPMethod
    /// The registry, `host[:port]`.
    var registry: String
    /// A path (`/v2/…`) or an absolute URL (an upload `Location`).
    var target: String
    var headers: [(String, String)] = []
    var body: RequestBody?
    /// The token scopes the request needs, e.g. `repository:owner/app:pull,push`.
    var scopes: [RegistryScope]
    /// The statuses the caller handles; any other is an error or a retry.
    var accepted: Set<UInt>
    /// What 404 means for this request.
    var notFound: StevedoreError.Code = .rejected
    /// For messages: `PUT /v2/app/manifests/latest`.
    var summary: String {
        var path = target
        if let range = path.range(of: "://"), let slash = path[range.upperBound...].firstIndex(of: "/") { path = String(path[slash...]) }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        return "\(method.rawValue) \(path)"
    }
}

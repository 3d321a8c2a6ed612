import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves `/up` (the health check Kamal asks for) and `/` (a page loaded from the module's resource bundle).
@main
struct HelloServer {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        let portText = environment["PORT"] ?? "8080"
        guard let port = Int(portText), (1...65_535).contains(port) else {
            FileHandle.standardError.write(Data("error: PORT='\(portText)' is not a port number (1-65535)\n".utf8))
            exit(1)
        }
        guard let pageURL = Bundle.module.url(forResource: "index", withExtension: "html"),
              let page = try? Data(contentsOf: pageURL)
        else {
            FileHandle.standardError.write(Data("error: index.html is missing from the resource bundle\n".utf8))
            exit(1)
        }
        let host = environment["HOST"] ?? "0.0.0.0"
        let pageBytes = [UInt8](page)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(RequestHandler(page: pageBytes))
                }
            }
            .bind(host: host, port: port)
            .get()
        print("HelloServer listening on \(host):\(port)")
        try await channel.closeFuture.get()
    }
}

/// Answers each request with a complete response.
final class RequestHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let page: [UInt8]

    init(page: [UInt8]) {
        self.page = page
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        let (status, type, body): (HTTPResponseStatus, String, [UInt8])
        switch (request.method, path) {
        case (.GET, "/up"), (.HEAD, "/up"):
            (status, type, body) = (.ok, "text/plain; charset=utf-8", Array("OK\n".utf8))
        case (.GET, "/"), (.HEAD, "/"), (.GET, "/index.html"):
            (status, type, body) = (.ok, "text/html; charset=utf-8", page)
        default:
            (status, type, body) = (.notFound, "text/plain; charset=utf-8", Array("Not found\n".utf8))
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: request.isKeepAlive ? "keep-alive" : "close")
        let keepAlive = request.isKeepAlive
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let channel = context.channel
        let written = context.eventLoop.makePromise(of: Void.self)
        if !keepAlive { written.futureResult.whenComplete { _ in channel.close(promise: nil) } }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }
}

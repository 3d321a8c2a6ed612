import AsyncHTTPClient
import Foundation
import NIOCore
import StevedoreCore

extension RegistryClient {
    /// GETs a blob and hands the response to `consume`, retrying the whole transfer on transient failures.
    func streamBlob(_ descriptor: Descriptor, from reference: ImageReference, deadline: OperationDeadline, consume: (HTTPClientResponse) async throws -> Void) async throws {
        let request = RegistryRequest(
            method: .GET, registry: reference.apiHost, target: "/v2/\(reference.repository)/blobs/\(descriptor.digest)",
            scopes: [Self.pullScope(reference)], accepted: [200], notFound: .blobNotFound
        )
        try await transport.withRetries(request.summary, registry: reference.apiHost, deadline: deadline) {
            let response = try await transport.attempt(request, deadline: deadline)
            try await consume(response)
        }
    }

    /// Runs `body` for each element, at most ``RegistryConfiguration/maximumConcurrentTransfers`` at once.
    func forEachConcurrently<Element: Sendable>(_ elements: [Element], _ body: @escaping @Sendable (Element) async throws -> Void) async throws {
        let limit = configuration.maximumConcurrentTransfers
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = elements.makeIterator()
            var running = 0
            while running < limit, let element = iterator.next() {
                group.addTask { try await body(element) }
                running += 1
            }
            while try await group.next() != nil {
                if let element = iterator.next() {
                    group.addTask { try await body(element) }
                }
            }
        }
    }
}

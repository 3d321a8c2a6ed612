import Foundation
import StevedoreCore
import StevedoreLayout
import Testing

/// Runs `body` and checks that it throws a ``LayoutError`` with `code` whose message contains every fragment.
func expectLayoutError<T>(
    _ code: LayoutError.Code,
    containing fragments: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) {
    do {
        let value = try body()
        Issue.record("expected LayoutError.\(code), got \(value)", sourceLocation: sourceLocation)
    } catch let error as LayoutError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected LayoutError.\(code), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
}

/// The names in a directory, sorted; empty when it does not exist.
func directoryNames(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

/// Reads a whole blob through the streaming API, recording the largest chunk handed over.
func readWholeBlob(_ store: BlobStore, _ descriptor: Descriptor) async throws -> (data: Data, largestChunk: Int) {
    var data = Data()
    var largest = 0
    try await store.readBlob(descriptor) { chunk in
        largest = max(largest, chunk.count)
        data.append(contentsOf: chunk)
    }
    return (data, largest)
}

/// Collects values from many threads.
final class LockedList<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element] = []
    func append(_ element: Element) { lock.lock(); storage.append(element); lock.unlock() }
    var values: [Element] { lock.lock(); defer { lock.unlock() }; return storage }
}

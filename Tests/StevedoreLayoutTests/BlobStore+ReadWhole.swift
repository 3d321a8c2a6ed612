import Foundation
import StevedoreCore
import StevedoreLayout

extension BlobStore {
    /// Reads a whole blob through the streaming API.
    func readWhole(_ descriptor: Descriptor) async throws -> Data {
        var data = Data()
        try await readBlob(descriptor) { data.append(contentsOf: $0) }
        return data
    }
}

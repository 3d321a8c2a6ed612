import Foundation
import StevedoreCore

/// Small files of the cache directory, replaced atomically so that a reader sees the old or the new text.
enum CacheFile {
    /// Writes `data` to a temporary file beside `path` and renames it into place.
    ///
    /// - Throws: ``StevedoreError`` `io`.
    static func replace(_ path: String, with data: Data) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw StevedoreError(.io, "cannot write the cache file \(path): \(error.localizedDescription)", cause: error)
        }
    }
}

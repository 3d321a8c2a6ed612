import Foundation
import StevedoreCore

extension GeneratedSBOM {
    /// Writes the document to `path` atomically: into a temporary file beside it, then renamed over it; missing
    /// parent directories are created.
    ///
    /// - Throws: ``StevedoreError`` `sbomWriteFailed` with the system's reason.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw StevedoreError(.sbomWriteFailed, "cannot write the SBOM to '\(path)': \(error.localizedDescription)", cause: error)
        }
    }
}

import Foundation
import StevedoreCore

extension GeneratedSBOM {
    /// Writes the document to `path` atomically: into a temporary file beside it, then renamed over it.
    ///
    /// - Throws: ``StevedoreError`` `sbomWriteFailed` with the system's reason.
    public func write(to path: String) throws {
        do {
            try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw StevedoreError(.sbomWriteFailed, "cannot write the SBOM to '\(path)': \(error.localizedDescription)", cause: error)
        }
    }
}

import Foundation

extension BlobStore {
    /// How the names of blob writers' temporary files start.
    static let temporaryPrefix = ".tmp-"
    /// A temporary file older than this is removed even when locked: its writer hangs, or lost its lock.
    static let staleAge: Double = 24 * 60 * 60
    /// An unlocked temporary file younger than this is kept: its writer may be between creating and locking it.
    static let unlockedGrace: Double = 60

    /// Removes the temporary files that writers killed mid-blob left in `blobs/sha256`: each one that no live
    /// writer locks (writers hold an exclusive `flock` on theirs) and that is older than a minute, and each one
    /// older than a day. Errors are ignored; a file another process removes first is simply gone.
    ///
    /// - Returns: The names of the files removed.
    @discardableResult
    public func removeStaleTemporaryFiles() -> [String] {
        let directory = "\(root)/blobs/sha256"
        var removed: [String] = []
        for name in SystemCalls.names(in: directory, withPrefix: Self.temporaryPrefix) {
            let path = "\(directory)/\(name)"
            guard let age = SystemCalls.secondsSinceModification(path) else { continue }
            if age > Self.staleAge || (age > Self.unlockedGrace && !SystemCalls.isLocked(path)) {
                SystemCalls.removeFile(path)
                removed.append(name)
            }
        }
        return removed
    }

    /// Runs ``removeStaleTemporaryFiles()`` on the first write to this store in this process.
    func removeStaleTemporaryFilesOnce() {
        if StaleTemporaryFileSweeps.shared.claim(root) {
            removeStaleTemporaryFiles()
        }
    }
}

/// The stores this process has swept already, so that listing `blobs/sha256` happens once per store.
final class StaleTemporaryFileSweeps: @unchecked Sendable {
    static let shared = StaleTemporaryFileSweeps()
    private let lock = NSLock()
    private var roots: Set<String> = []

    /// Whether `root` was not swept yet (and is now counted as swept).
    func claim(_ root: String) -> Bool {
        lock.withLock { roots.insert(root).inserted }
    }
}

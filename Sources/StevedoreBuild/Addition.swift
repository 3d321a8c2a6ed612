import Foundation
import StevedoreArchive
import StevedoreCore

/// A host file or directory to copy into the image: `--add SRC:DEST`.
///
/// A directory's contents go under `DEST`; a file goes to `DEST`, or into it when `DEST` ends with `/`.
/// Symbolic links stay links; a link that leads outside `SRC` is an error.
public struct Addition: Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var destination: String

    public init(source: String, destination: String) { (self.source, self.destination) = (source, destination) }

    /// Parses `SRC:DEST` with an absolute `DEST`.
    ///
    /// - Throws: ``StevedoreError`` `invalidAddition`.
    public init(parsing string: String) throws {
        guard let colon = string.lastIndex(of: ":"), colon != string.startIndex else {
            throw StevedoreError(.invalidAddition, "'\(string)' must be SRC:DEST, e.g. Public:/srv/public")
        }
        let destination = String(string[string.index(after: colon)...])
        guard destination.hasPrefix("/") else {
            throw StevedoreError(.invalidAddition, "'\(string)': DEST '\(destination)' must be an absolute path in the image")
        }
        self.init(source: String(string[..<colon]), destination: destination)
    }

    public var description: String { "\(source):\(destination)" }

    /// Adds the source to `tree`.
    ///
    /// - Throws: ``StevedoreError`` `missingInput` when the source does not exist, or the archive's errors
    ///   (unreadable files, escaping links).
    public func add(to tree: inout FileTree) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw StevedoreError(.missingInput, "--add \(self): '\(source)' does not exist")
        }
        if isDirectory.boolValue {
            try tree.addDirectoryContents(hostPath: source, at: destination)
        } else {
            var target = destination
            if target.hasSuffix("/") { target += (source as NSString).lastPathComponent }
            guard FileManager.default.isReadableFile(atPath: source) else {
                throw StevedoreError(.missingInput, "--add \(self): '\(source)' is not readable")
            }
            let executable = FileManager.default.isExecutableFile(atPath: source)
            try tree.addFile(target, hostPath: source, mode: executable ? 0o755 : 0o644)
        }
    }
}

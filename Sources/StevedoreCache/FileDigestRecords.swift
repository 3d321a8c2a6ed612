import Foundation
import StevedoreArchive
import StevedoreCore

/// The `sha256` of files as last hashed, each with the ``FileIdentity`` it had then, kept in one text file
/// between runs so that an unchanged file is not read again.
///
/// A record is only trusted while the file's identity is exactly the recorded one. Files changed in the
/// last ``racyInterval`` before they were hashed are not recorded at all: a write in the same clock tick as
/// the hashing could leave the times unchanged (git's "racily clean" problem).
public struct FileDigestRecords: Sendable {
    /// One file's record.
    public struct Record: Hashable, Sendable {
        public var identity: FileIdentity
        public var content: LayerCacheKey.FileContent
    }

    /// How recent a change makes a file too fresh to record: 2 s.
    public static let racyInterval: Int64 = 2_000_000_000

    /// The records by host path.
    public private(set) var records: [String: Record] = [:]

    /// No records.
    public init() {}

    /// The record of `path`, when its identity is still `identity`.
    public func content(of path: String, identity: FileIdentity) -> LayerCacheKey.FileContent? {
        guard let record = records[path], record.identity == identity else { return nil }
        return record.content
    }

    /// Records what `path` hashed to, unless it changed within ``racyInterval`` of `hashedAt` (ns since 1970).
    public mutating func record(_ path: String, identity: FileIdentity, content: LayerCacheKey.FileContent, hashedAt: Int64) {
        guard identity.latestChange < hashedAt - Self.racyInterval, !path.contains("\n") else {
            records[path] = nil
            return
        }
        records[path] = Record(identity: identity, content: content)
    }

    /// Keeps only the records of `paths` (what the last build used), so the file does not grow forever.
    public mutating func keep(only paths: Set<String>) {
        records = records.filter { paths.contains($0.key) }
    }

    // MARK: The file

    private static let header = "stevedore-file-digests 1"

    /// Reads records written by ``write(to:)``; a missing or unreadable file (or another version's) gives none.
    public init(contentsOf path: String) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.popFirst() == Substring(Self.header) else { return }
        for line in lines {
            // sha256-hex size device inode modified changed path
            let fields = line.split(separator: " ", maxSplits: 6, omittingEmptySubsequences: false)
            guard fields.count == 7,
                  let digest = try? Digest(parsing: "sha256:\(fields[0])"),
                  let size = Int64(fields[1]), let device = UInt64(fields[2]), let inode = UInt64(fields[3]),
                  let modified = Int64(fields[4]), let changed = Int64(fields[5]) else { continue }
            records[String(fields[6])] = Record(
                identity: FileIdentity(device: device, inode: inode, size: size, modified: modified, changed: changed),
                content: LayerCacheKey.FileContent(size: size, digest: digest)
            )
        }
    }

    /// Writes the records to `path` atomically (a temporary file renamed into place).
    ///
    /// - Throws: ``StevedoreError`` `io`.
    public func write(to path: String) throws {
        var text = Self.header + "\n"
        for (file, record) in records.sorted(by: { $0.key < $1.key }) {
            let identity = record.identity
            text += "\(record.content.digest.encoded) \(identity.size) \(identity.device) \(identity.inode) \(identity.modified) \(identity.changed) \(file)\n"
        }
        try CacheFile.replace(path, with: Data(text.utf8))
    }
}

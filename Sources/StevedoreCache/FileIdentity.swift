#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import StevedoreCore

/// What `lstat` says about a file that changes whenever its bytes do: device, inode, size, and the
/// modification and status-change times to the nanosecond. A file whose identity is unchanged since it was
/// hashed has not been written since (the status-change time moves on every write and cannot be set back).
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Nanoseconds since 1970.
    public var modified: Int64
    /// Nanoseconds since 1970.
    public var changed: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        (self.device, self.inode, self.size, self.modified, self.changed) = (device, inode, size, modified, changed)
    }

    /// The identity of the file at `path` (not following a final symbolic link, as layers read files).
    ///
    /// - Throws: ``StevedoreError`` `unreadableFile`.
    public init(path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            throw StevedoreError(.unreadableFile, "cannot read '\(path)': \(String(cString: strerror(errno)))")
        }
        self.init(status)
    }

    /// The identity of an open file.
    init(_ status: stat) {
        #if canImport(Darwin)
        let (modifiedTime, changedTime) = (status.st_mtimespec, status.st_ctimespec)
        #else
        let (modifiedTime, changedTime) = (status.st_mtim, status.st_ctim)
        #endif
        self.init(
            device: UInt64(truncatingIfNeeded: status.st_dev),
            inode: UInt64(truncatingIfNeeded: status.st_ino),
            size: Int64(status.st_size),
            modified: Int64(modifiedTime.tv_sec) * 1_000_000_000 + Int64(modifiedTime.tv_nsec),
            changed: Int64(changedTime.tv_sec) * 1_000_000_000 + Int64(changedTime.tv_nsec)
        )
    }

    /// The later of the two times, in nanoseconds since 1970.
    var latestChange: Int64 { max(modified, changed) }
}

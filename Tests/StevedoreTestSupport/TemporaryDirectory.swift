import Foundation

/// A directory under the system's temporary directory that is removed when the value is dropped.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The directory's absolute path.
    public let path: String
    public var url: URL { URL(fileURLWithPath: path) }

    public init(_ label: String = "stevedore-test") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        path = "\(base)/\(label.lowercased())-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The absolute path of `relative` inside the directory.
    public func appending(_ relative: String) -> String { "\(path)/\(relative)" }

    /// Writes `contents` to `relative`, creating parent directories.
    @discardableResult
    public func write(_ relative: String, _ contents: String, mode: Int? = nil) throws -> String {
        let target = appending(relative)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: target))
        if let mode { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: target) }
        return target
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

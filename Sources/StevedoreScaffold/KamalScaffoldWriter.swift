import Foundation
import StevedoreCore

/// Writes a ``KamalScaffold`` into a package: `config/deploy.yml`, `.kamal/secrets` and the workflow.
///
/// It never overwrites a file without `force`: when any file to write exists (or the workflow already has a
/// `deploy` job), it writes nothing and says which. An existing workflow is extended, not replaced.
public struct KamalScaffoldWriter: Sendable {
    /// What happened to one file.
    public struct Change: Hashable, Sendable, CustomStringConvertible {
        /// What was done.
        public enum Action: String, Hashable, Sendable {
            case created
            case overwritten
            /// The `deploy` job was added to an existing workflow.
            case extended
        }

        /// The file, relative to the package directory.
        public var path: String
        /// What was done.
        public var action: Action

        public var description: String { "\(action.rawValue) \(path)" }
    }

    /// The contents to write.
    public var scaffold: KamalScaffold

    /// Creates a writer.
    public init(scaffold: KamalScaffold) {
        self.scaffold = scaffold
    }

    /// Writes the files into `packageDirectory`.
    ///
    /// - Throws: ``StevedoreError`` `fileExists` (listing every conflict) when a file exists and `force`
    ///   is false; `workflowNotExtensible`; `writeFailed`.
    @discardableResult
    public func write(into packageDirectory: String, force: Bool) throws -> [Change] {
        let fileManager = FileManager.default
        func exists(_ relative: String) -> Bool { fileManager.fileExists(atPath: "\(packageDirectory)/\(relative)") }
        var plan: [(path: String, contents: String, action: Change.Action)] = []
        var conflicts: [String] = []
        for (path, contents) in [("config/deploy.yml", scaffold.deployConfiguration), (".kamal/secrets", scaffold.secrets)] {
            if exists(path) {
                if force { plan.append((path, contents, .overwritten)) } else { conflicts.append(path) }
            } else {
                plan.append((path, contents, .created))
            }
        }
        let workflowPath = KamalScaffold.workflowPath
        if let data = fileManager.contents(atPath: "\(packageDirectory)/\(workflowPath)") {
            do {
                let extended = try scaffold.workflow(extending: String(decoding: data, as: UTF8.self), replacingDeployJob: force)
                plan.append((workflowPath, extended, .extended))
            } catch let error as StevedoreError where error.code == .fileExists {
                conflicts.append("\(workflowPath) (it already has a deploy job)")
            }
        } else {
            plan.append((workflowPath, scaffold.workflow, .created))
        }
        guard conflicts.isEmpty else {
            throw StevedoreError(.fileExists, "not writing anything: \(conflicts.joined(separator: ", ")) already exist\(conflicts.count == 1 ? "s" : ""); pass --force to overwrite")
        }
        for item in plan {
            let url = URL(fileURLWithPath: "\(packageDirectory)/\(item.path)")
            do {
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(item.contents.utf8).write(to: url, options: .atomic)
            } catch {
                throw StevedoreError(.writeFailed, "could not write \(item.path): \(error.localizedDescription)")
            }
        }
        return plan.map { Change(path: $0.path, action: $0.action) }
    }
}

import Foundation

extension FileManager {
    /// The names in a directory, sorted; empty when it does not exist.
    func sortedNames(inDirectory path: String) -> [String] {
        ((try? contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
}

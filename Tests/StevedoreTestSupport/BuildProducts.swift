import Foundation

/// Finds what SwiftPM built beside the running test bundle.
public enum BuildProducts {
    /// The directory holding the test bundle and the package's executables (e.g. `.build/debug`).
    public static var directory: String {
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        for candidate in [Bundle.main.bundleURL] + (0..<6).map({ _ in url.deleteLastPathComponent(); return url }) {
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("stevedore").path) {
                return candidate.path
            }
        }
        return Bundle.main.bundleURL.path
    }

    /// The root of this package's source tree.
    public static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }
}

import Foundation

/// spdx-tools' `pyspdxtools`, the independent judge of the SPDX documents Stevedore writes
/// (scripts/install-dependencies.sh installs it into the venv /opt/stevedore-venv).
public enum SPDXTools {
    /// `$PYSPDXTOOLS`, else `/opt/stevedore-venv/bin/pyspdxtools`, else `pyspdxtools` on PATH.
    public static var executable: String {
        if let path = ProcessInfo.processInfo.environment["PYSPDXTOOLS"], !path.isEmpty { return path }
        let venv = "/opt/stevedore-venv/bin/pyspdxtools"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "pyspdxtools"
    }

    /// Runs `pyspdxtools -i FILE`, which parses and validates the document (exit status 0 when it is valid).
    public static func validate(_ file: String) throws -> ProcessResult {
        try ProcessRunner.run([executable, "-i", file], timeout: 300)
    }
}

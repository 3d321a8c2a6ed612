import Foundation

/// Where blobs are kept when no OCI layout output holds them: `$STEVEDORE_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/stevedore`, else `~/.cache/stevedore`.
public enum CacheDirectory {
    /// The directory for `environment`.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["STEVEDORE_CACHE_DIR"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return "\(xdg)/stevedore" }
        return "\(FileManager.default.homeDirectoryForCurrentUser.path)/.cache/stevedore"
    }
}

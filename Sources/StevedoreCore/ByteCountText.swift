import Foundation

/// Sizes and rates for people: `12.3 MB`, `33.4 MB/s` (decimal units, as registries and docker show them).
public enum ByteCountText {
    /// `bytes` in B, kB, MB, GB or TB with one decimal.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) B" : "\(String(format: "%.1f", value)) \(units[unit])"
    }

    /// `bytes` over `elapsed` as MB/s with one decimal.
    public static func rate(_ bytes: Int64, over elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard seconds > 0 else { return "-" }
        return "\(String(format: "%.1f", Double(bytes) / seconds / 1e6)) MB/s"
    }
}

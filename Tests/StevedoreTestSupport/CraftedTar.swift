import Foundation

/// Builds tar streams byte by byte, for layers no tar tool would write: absurd pax or base-256 sizes, device
/// nodes, setuid files, links in any order.
public struct CraftedTar {
    /// The tar stream so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Appends a ustar header (and `data`, padded to 512 bytes).
    ///
    /// - Parameters:
    ///   - typeFlag: `"0"` file, `"1"` hard link, `"2"` symlink, `"3"`/`"4"` devices, `"5"` directory, `"x"` pax, `"g"` global pax.
    ///   - size: the size field's value when it differs from `data.count`; with `base256`, written as GNU base-256.
    public mutating func entry(
        _ name: String, typeFlag: Character = "0", mode: Int = 0o644, linkName: String = "",
        data: [UInt8] = [], size: Int64? = nil, base256: Bool = false
    ) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int64, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(Int64(mode), at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        let declared = size ?? Int64(data.count)
        if base256 {
            header[124] = 0x80
            var value = declared
            for index in stride(from: 135, to: 124, by: -1) {
                header[index] = UInt8(truncatingIfNeeded: value)
                value >>= 8
            }
        } else {
            octal(declared, at: 124, width: 12)
        }
        octal(0, at: 136, width: 12)
        header[156] = typeFlag.asciiValue ?? 0x30
        put(linkName, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        for index in 148..<156 { header[index] = 0x20 }
        let checksum = header.reduce(0) { $0 + Int64($1) }
        octal(checksum, at: 148, width: 7)
        header[155] = 0x20
        bytes += header
        bytes += data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// Appends a pax extended header (`"x"`, or `"g"` for a global one) holding `records` in order.
    public mutating func pax(_ records: [(String, String)], global: Bool = false, size: Int64? = nil) {
        var data: [UInt8] = []
        for (key, value) in records {
            let body = " \(key)=\(value)\n"
            var length = body.utf8.count + 1
            while String(length).utf8.count + body.utf8.count != length { length += 1 }
            data += Array("\(length)\(body)".utf8)
        }
        entry("PaxHeaders/x", typeFlag: global ? "g" : "x", data: data, size: size)
    }

    /// Appends the two zero blocks that end an archive.
    public mutating func end() {
        bytes += [UInt8](repeating: 0, count: 1024)
    }
}

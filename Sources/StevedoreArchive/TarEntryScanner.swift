/// A push-based reader of tar headers: it is fed the uncompressed stream in pieces of any size, skips file
/// data without holding it, and collects entry paths and problems.
///
/// Understands ustar (with its name prefix), GNU (`L`/`K` long names, base-256 numbers) and pax (`x`
/// headers' `path`, `linkpath` and `size`; `g` headers are skipped).
struct TarEntryScanner {
    private enum State {
        case header
        case skipping(remaining: Int64)
        case collecting(kind: UInt8, remaining: Int64, padding: Int64)
        case ended
        case failed
    }

    /// Pax or GNU long-name headers larger than this are treated as corrupt rather than held in memory.
    private static let metadataLimit: Int64 = 16 << 20

    /// Entry sizes above this are treated as corrupt: the size rounded up to 512 bytes must stay an `Int64`.
    /// (Go's archive/tar rejects only negative sizes, as it pads with `-size & 511`; this bound is as lax.)
    static let sizeLimit: Int64 = Int64.max - 511

    private(set) var entries: [String] = []
    private(set) var problems: [LayerProblem] = []
    private(set) var omittedProblemCount = 0
    private(set) var warnings: [LayerProblem] = []
    private(set) var omittedWarningCount = 0
    private let problemLimit: Int

    private var state = State.header
    private var header = [UInt8](repeating: 0, count: 512)
    private var headerFill = 0
    private var position: Int64 = 0
    private var zeroBlocks = 0
    private var collected: [UInt8] = []
    private var seenPaths: Set<[UInt8]> = []
    /// The normalised paths of the symbolic links seen so far.
    private var symlinkPaths: Set<[UInt8]> = []
    private var pendingPath: [UInt8]?
    private var pendingLinkPath: [UInt8]?
    private var pendingSize: Int64?
    /// How much of the current `.skipping` state is padding after the entry's data.
    private var trailingPadding: Int64 = 0

    init(problemLimit: Int) {
        self.problemLimit = problemLimit
    }

    mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let available = bytes.count - offset
            switch state {
            case .ended, .failed:
                return
            case .header:
                let take = min(512 - headerFill, available)
                header.withUnsafeMutableBytes { target in
                    if let target = target.baseAddress {
                        (target + headerFill).copyMemory(from: base + offset, byteCount: take)
                    }
                }
                headerFill += take
                offset += take
                position += Int64(take)
                if headerFill == 512 {
                    headerFill = 0
                    processHeader()
                }
            case .skipping(let remaining):
                let take = Int(min(remaining, Int64(available)))
                offset += take
                position += Int64(take)
                state = remaining == Int64(take) ? .header : .skipping(remaining: remaining - Int64(take))
            case .collecting(let kind, let remaining, let padding):
                let take = Int(min(remaining, Int64(available)))
                collected.append(contentsOf: UnsafeRawBufferPointer(start: base + offset, count: take))
                offset += take
                position += Int64(take)
                if remaining == Int64(take) {
                    state = padding > 0 ? .skipping(remaining: padding) : .header
                    finishMetadata(kind: kind)
                } else {
                    state = .collecting(kind: kind, remaining: remaining - Int64(take), padding: padding)
                }
            }
        }
    }

    /// Notes a stream that stopped early.
    mutating func finish() {
        switch state {
        case .ended, .failed:
            return
        case .header where headerFill == 0:
            // Without end-of-archive blocks, as Go's tar writer leaves a stream it was not closed on (umoci does
            // this): every entry is complete, and Go readers, umoci and container runtimes accept it.
            return
        case .skipping(let remaining) where remaining <= trailingPadding:
            // The last entry's data is complete; only its padding to 512 bytes is missing, which readers accept too.
            return
        default:
            report(.corruptTar, "the tar stream ends in the middle of an entry after \(position) bytes; it is truncated")
        }
        state = .failed
    }

    private mutating func processHeader() {
        let headerOffset = position - 512
        if header.allSatisfy({ $0 == 0 }) {
            zeroBlocks += 1
            if zeroBlocks == 2 { state = .ended }
            return
        }
        zeroBlocks = 0
        guard let stored = Self.parseNumber(header[148..<156]), checksumMatches(stored) else {
            fail("the tar header at offset \(headerOffset) has a wrong checksum; the layer is corrupt")
            return
        }
        guard let headerSize = Self.parseNumber(header[124..<136]) else {
            fail("the tar header at offset \(headerOffset) has an unreadable size field; the layer is corrupt")
            return
        }
        let typeFlag = header[156]
        let size = pendingSize ?? headerSize
        guard headerSize <= Self.sizeLimit, size <= Self.sizeLimit else {
            fail("the tar header at offset \(headerOffset) claims an entry of \(max(size, headerSize)) bytes, more than any tar can hold; the layer is corrupt")
            return
        }
        let padding = (512 - size % 512) % 512
        switch typeFlag {
        case UInt8(ascii: "x"), UInt8(ascii: "L"), UInt8(ascii: "K"):
            guard headerSize <= Self.metadataLimit else {
                fail("the tar metadata header at offset \(headerOffset) claims \(headerSize) bytes, more than \(Self.metadataLimit); the layer is corrupt")
                return
            }
            collected.removeAll(keepingCapacity: true)
            let metadataPadding = (512 - headerSize % 512) % 512
            if headerSize == 0 {
                finishMetadata(kind: typeFlag)
            } else {
                state = .collecting(kind: typeFlag, remaining: headerSize, padding: metadataPadding)
            }
            return
        case UInt8(ascii: "g"):
            let total = headerSize + (512 - headerSize % 512) % 512
            trailingPadding = 0
            if total > 0 { state = .skipping(remaining: total) }
            return
        default:
            break
        }

        let path = pendingPath ?? headerPath()
        let linkPath = pendingLinkPath ?? Self.field(header[157..<257])
        pendingPath = nil
        pendingLinkPath = nil
        pendingSize = nil
        record(path: path, typeFlag: typeFlag, linkPath: linkPath, mode: Self.parseNumber(header[100..<108]) ?? 0)

        // Links, devices, directories and FIFOs carry no data whatever their size field says.
        let carriesData = !(UInt8(ascii: "2")...UInt8(ascii: "6")).contains(typeFlag)
        if carriesData, size + padding > 0 {
            state = .skipping(remaining: size + padding)
            trailingPadding = padding
        } else {
            trailingPadding = 0
        }
    }

    private mutating func finishMetadata(kind: UInt8) {
        var data = collected
        collected.removeAll(keepingCapacity: true)
        switch kind {
        case UInt8(ascii: "L"):
            while data.last == 0 { data.removeLast() }
            pendingPath = data
        case UInt8(ascii: "K"):
            while data.last == 0 { data.removeLast() }
            pendingLinkPath = data
        default:
            parsePaxRecords(data)
        }
    }

    /// Reads pax records, `"<length> <key>=<value>\n"`.
    private mutating func parsePaxRecords(_ data: [UInt8]) {
        var index = 0
        while index < data.count {
            var length = 0
            var cursor = index
            while cursor < data.count, data[cursor] >= UInt8(ascii: "0"), data[cursor] <= UInt8(ascii: "9"), length < 1 << 30 {
                length = length * 10 + Int(data[cursor] - UInt8(ascii: "0"))
                cursor += 1
            }
            let end = index + length
            guard cursor < data.count, data[cursor] == UInt8(ascii: " "), length > 0, end <= data.count, data[end - 1] == UInt8(ascii: "\n") else {
                fail("a pax extended header holds a malformed record; the layer is corrupt")
                return
            }
            let record = data[(cursor + 1)..<(end - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else {
                fail("a pax extended header holds a record without '='; the layer is corrupt")
                return
            }
            let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
            let value = Array(record[(equals + 1)...])
            switch key {
            case "path": pendingPath = value
            case "linkpath": pendingLinkPath = value
            case "size":
                guard let size = Int64(String(decoding: value, as: UTF8.self)), size >= 0 else {
                    fail("a pax extended header has an unreadable size; the layer is corrupt")
                    return
                }
                pendingSize = size
            default: break
            }
            index = end
        }
    }

    private mutating func record(path rawPath: [UInt8], typeFlag: UInt8, linkPath: [UInt8], mode: Int64) {
        let path = String(decoding: rawPath, as: UTF8.self)
        entries.append(path)
        if rawPath.first == UInt8(ascii: "/") {
            report(.absolutePath, path: path, "the entry '\(path)' has an absolute path; layer paths must be relative to the image root")
        }
        let components = rawPath.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        if components.contains(where: { $0.elementsEqual("..".utf8) }) {
            report(.parentTraversal, path: path, "the entry '\(path)' has a '..' component, which could write outside the image root")
        }
        let key = Self.normalised(components)
        if let link = symlinkPrefix(of: key) {
            let linkName = String(decoding: link, as: UTF8.self)
            report(.pathThroughSymlink, path: path, "the entry '\(path)' is written through the symbolic link '\(linkName)' made earlier in the layer, so it lands wherever that link points")
        }
        switch typeFlag {
        case UInt8(ascii: "1"):
            let target = String(decoding: linkPath, as: UTF8.self)
            let targetComponents = linkPath.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
            if targetComponents.contains(where: { $0.elementsEqual("..".utf8) }) || linkPath.first == UInt8(ascii: "/") {
                report(.parentTraversal, path: path, "the hard link '\(path)' points at '\(target)', outside the image root")
            } else if !seenPaths.contains(Self.normalised(targetComponents)) {
                // Docker and containerd write a hard link only after the file it links to, in the same layer.
                report(.hardLinkOutsideLayer, path: path, "the hard link '\(path)' points at '\(target)', which is not an earlier entry of this layer")
            }
        case UInt8(ascii: "2"):
            if !key.isEmpty { symlinkPaths.insert(key) }
        case UInt8(ascii: "3"), UInt8(ascii: "4"):
            let kind = typeFlag == UInt8(ascii: "3") ? "character" : "block"
            report(.deviceNode, path: path, "the entry '\(path)' is a \(kind) device node")
        default:
            break
        }
        if mode & 0o6000 != 0, typeFlag != UInt8(ascii: "5") {
            let bits = mode & 0o6000 == 0o6000 ? "setuid and setgid bits" : mode & 0o4000 != 0 ? "setuid bit" : "setgid bit"
            report(.setuidOrSetgid, path: path, "the entry '\(path)' has the \(bits) (mode \(String(mode & 0o7777, radix: 8)))")
        }
        if !key.isEmpty, !seenPaths.insert(key).inserted {
            report(.duplicatePath, path: path, "the path '\(path)' appears more than once in the layer; which one wins depends on the tool extracting it")
        }
    }

    /// A path's components joined without empty and `.` components.
    private static func normalised(_ components: [ArraySlice<UInt8>]) -> [UInt8] {
        var key: [UInt8] = []
        for component in components where !component.elementsEqual(".".utf8) {
            if !key.isEmpty { key.append(UInt8(ascii: "/")) }
            key.append(contentsOf: component)
        }
        return key
    }

    /// The longest proper prefix of the normalised path `key` that is a symbolic link seen earlier, if any.
    private func symlinkPrefix(of key: [UInt8]) -> [UInt8]? {
        guard !symlinkPaths.isEmpty else { return nil }
        var found: [UInt8]?
        for (index, byte) in key.enumerated() where byte == UInt8(ascii: "/") {
            let prefix = Array(key[..<index])
            if symlinkPaths.contains(prefix) { found = prefix }
        }
        return found
    }

    private func headerPath() -> [UInt8] {
        let name = Self.field(header[0..<100])
        let isPOSIX = header[257..<263].elementsEqual([0x75, 0x73, 0x74, 0x61, 0x72, 0x00])
        let prefix = isPOSIX ? Self.field(header[345..<500]) : []
        return prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name
    }

    private func checksumMatches(_ stored: Int64) -> Bool {
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (index, byte) in header.enumerated() {
            let value = (148..<156).contains(index) ? UInt8(ascii: " ") : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        return stored == unsigned || stored == signed
    }

    private mutating func fail(_ message: String) {
        report(.corruptTar, message)
        state = .failed
    }

    private mutating func report(_ kind: LayerProblem.Kind, path: String? = nil, _ message: String) {
        if kind.isWarning {
            if warnings.count < problemLimit {
                warnings.append(LayerProblem(kind, path: path, message))
            } else {
                omittedWarningCount += 1
            }
        } else if problems.count < problemLimit {
            problems.append(LayerProblem(kind, path: path, message))
        } else {
            omittedProblemCount += 1
        }
    }

    /// The bytes of a NUL-terminated header field.
    private static func field(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        Array(bytes.prefix { $0 != 0 })
    }

    /// Reads an octal number (space or NUL padded) or a GNU base-256 number.
    static func parseNumber(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard let first = bytes.first else { return nil }
        if first & 0x80 != 0 {
            guard first & 0x40 == 0 else { return nil }
            var value = Int64(first & 0x3f)
            for byte in bytes.dropFirst() {
                guard value <= (Int64.max >> 8) else { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var sawDigit = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard value <= (Int64.max >> 3) else { return nil }
                value = value << 3 | Int64(byte - UInt8(ascii: "0"))
                sawDigit = true
            case UInt8(ascii: " "), 0:
                if sawDigit { return value }
            default:
                return nil
            }
        }
        return sawDigit ? value : 0
    }
}

import ArgumentParser
import Foundation
import StevedoreArchive

/// How layers are written: time stamps, compression and threads; shared by `build` and `package-image`.
struct LayerWritingOptions: ParsableArguments {
    @Option(name: .customLong("source-date-epoch"), help: ArgumentHelp("Seconds since 1970 used for every time stamp (default: $SOURCE_DATE_EPOCH, else 0).", valueName: "SECONDS"))
    var sourceDateEpoch: Int64?

    @Option(help: ArgumentHelp("How layers are compressed (default: gzip:6; zstd's default level is 3, and older runtimes cannot read it); part of the reproducibility inputs.", valueName: "gzip[:1-9]|zstd[:1-19]"), transform: Parse.compression)
    var compression: LayerCompression?

    @Option(name: .customLong("compression-level"), help: ArgumentHelp("The gzip level from 1 to 9 (the same as --compression gzip:LEVEL).", valueName: "LEVEL"))
    var compressionLevel: Int?

    @Option(help: "Compression threads (default: the number of cores); the output does not depend on it.")
    var threads: Int?

    @Flag(name: .customLong("no-cache"), help: "Compress every layer; do not look layers up in, or record them to, the layer cache ($STEVEDORE_CACHE_DIR, else ~/.cache/stevedore).")
    var noCache = false

    func validate() throws {
        if let compressionLevel {
            guard (1...9).contains(compressionLevel) else {
                throw ValidationError("--compression-level must be from 1 to 9")
            }
            if case .zstd = compression {
                throw ValidationError("--compression-level is gzip's level; for zstd give --compression zstd:LEVEL")
            }
            if let compression, compression != .gzip(level: compressionLevel) {
                throw ValidationError("--compression-level \(compressionLevel) contradicts --compression \(compression); give one of them")
            }
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let sourceDateEpoch, sourceDateEpoch < 0 { throw ValidationError("--source-date-epoch must not be negative") }
    }

    /// SOURCE_DATE_EPOCH from the flag, else the environment, else 0.
    func creationTime() throws -> Int64 {
        if let sourceDateEpoch { return sourceDateEpoch }
        guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return 0 }
        guard let value = Int64(text), value >= 0 else {
            throw ValidationError("SOURCE_DATE_EPOCH '\(text)' must be a whole number of seconds")
        }
        return value
    }

    var layerOptions: LayerOptions {
        var options = LayerOptions()
        options.compression = compression ?? compressionLevel.map { .gzip(level: $0) } ?? .default
        if let threads { options.threads = threads }
        return options
    }
}

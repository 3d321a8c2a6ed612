// stevedore-bench-layer DIR [OUTPUT_DIR] — writes DIR as one reproducible tar+gzip layer and prints the
// throughput and peak memory. Used by scripts/bench-layer.sh.
// stevedore-bench-layer --hash FILE [sha256|sha512] — hashes FILE with DigestHasher in 1 MiB reads and prints
// the throughput (BENCHMARKS.md, "The plugin tool's build").
import Foundation
import StevedoreArchive
import StevedoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Stores the blob as a file under a directory, hashing it as any blob store does.
struct BenchmarkBlobSink: BlobSink {
    let directory: String

    func makeBlobWriter() throws -> any BlobWriter {
        try BenchmarkBlobWriter(path: "\(directory)/layer-\(getpid()).tar.gz")
    }
}

final class BenchmarkBlobWriter: BlobWriter {
    private let path: String
    private let descriptorNumber: Int32
    private var hasher = DigestHasher()

    init(path: String) throws {
        self.path = path
        descriptorNumber = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptorNumber >= 0 else { throw StevedoreError(.sinkFailure, "cannot create \(path)") }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = systemWrite(descriptorNumber, base + offset, bytes.count - offset)
            guard written > 0 else { throw StevedoreError(.sinkFailure, "cannot write \(path)") }
            offset += written
        }
    }

    func commit(expected: (digest: Digest, size: Int64)?) throws -> (digest: Digest, size: Int64) {
        close(descriptorNumber)
        return (hasher.finalize(), hasher.count)
    }

    func abort() {
        close(descriptorNumber)
        unlink(path)
    }
}

func peakResidentKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
    return -1
}

/// Hashes a file with ``DigestHasher`` in 1 MiB reads, as a blob store does, and prints the throughput.
func benchmarkHashing(path: String, algorithm: String) -> Int32 {
    let descriptorNumber = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptorNumber >= 0 else {
        FileHandle.standardError.write(Data("stevedore-bench-layer: cannot open \(path)\n".utf8))
        return 1
    }
    defer { close(descriptorNumber) }
    let zeros = algorithm == "sha512" ? String(repeating: "0", count: 128) : String(repeating: "0", count: 64)
    guard let pattern = try? Digest(parsing: "\(algorithm):\(zeros)") else {
        FileHandle.standardError.write(Data("stevedore-bench-layer: unknown algorithm \(algorithm)\n".utf8))
        return 2
    }
    var hasher = DigestHasher(algorithmOf: pattern)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    defer { buffer.deallocate() }
    let start = Date()
    while true {
        let count = read(descriptorNumber, buffer.baseAddress, buffer.count)
        guard count > 0 else { break }
        hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
    }
    let digest = hasher.finalize()
    let seconds = Date().timeIntervalSince(start)
    print("digest=\(digest) bytes=\(hasher.count)")
    print(String(format: "seconds=%.2f throughput_MBps=%.1f", seconds, Double(hasher.count) / 1_000_000 / seconds))
    return 0
}

let arguments = CommandLine.arguments
if arguments.count >= 3, arguments[1] == "--hash" {
    exit(benchmarkHashing(path: arguments[2], algorithm: arguments.count >= 4 ? arguments[3] : "sha256"))
}
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: stevedore-bench-layer DIR [OUTPUT_DIR] [THREADS]\n".utf8))
    exit(2)
}
let output = arguments.count >= 3 ? arguments[2] : NSTemporaryDirectory()
var options = LayerOptions()
if arguments.count >= 4, let threads = Int(arguments[3]) { options.threads = threads }

do {
    let start = Date()
    var tree = FileTree()
    try tree.addDirectoryContents(hostPath: arguments[1], at: "")
    let layer = try await LayerWriter(options: options).write(tree, to: BenchmarkBlobSink(directory: output))
    let seconds = Date().timeIntervalSince(start)
    let megabytes = Double(layer.uncompressedSize) / 1_000_000
    print("entries=\(tree.count) tar_bytes=\(layer.uncompressedSize) gzip_bytes=\(layer.descriptor.size) threads=\(options.threads)")
    print("digest=\(layer.descriptor.digest) diffID=\(layer.diffID)")
    print(String(format: "seconds=%.2f throughput_MBps=%.1f peak_rss_kB=%d", seconds, megabytes / seconds, peakResidentKilobytes()))
} catch {
    FileHandle.standardError.write(Data("stevedore-bench-layer: \(error)\n".utf8))
    exit(1)
}

/// The C library's `write`, named apart from the writer's own `write`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

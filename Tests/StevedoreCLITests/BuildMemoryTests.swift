import Foundation
import StevedoreTestSupport
import Testing

/// Layers stream through the writer in bounded chunks. Measured on a `stevedore build` process of its own
/// (its peak resident set, from the kernel's accounting of a waited-for child), so neither the test process
/// nor other tests running beside it can change the figure.
struct BuildMemoryTests {
    @Test("a build streams a 1 GiB file into its layer: stevedore's peak memory stays far below the file's size")
    func largeFileStreamsInBoundedMemory() throws {
        let work = try TemporaryDirectory("stevedore-memory")
        let file = work.appending("sparse")
        let size: Int64 = 1 << 30
        try TestLayouts.check(ProcessRunner.run(["truncate", "-s", String(size), file]))
        let measure = #"""
            import resource, subprocess, sys
            code = subprocess.run(sys.argv[1:]).returncode
            sys.stderr.write("peak-kilobytes %d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.exit(code)
            """#
        let result = try ProcessRunner.run(
            ["python3", "-c", measure, StevedoreBinary.path, "build", "--add", "\(file):/data/sparse", "--output", "oci-layout:\(work.appending("layout"))", "--quiet"],
            environment: ["STEVEDORE_CACHE_DIR": work.appending("cache")], timeout: 900
        )
        #expect(result.status == 0, "\(result.output)")
        let line = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("peak-kilobytes ") }, "\(result.output)")
        let peakKilobytes = try #require(Int(line.dropFirst("peak-kilobytes ".count)))
        #expect(peakKilobytes < 400 * 1024, "stevedore's peak resident set was \(peakKilobytes) KiB for a \(size >> 20) MiB file")
    }
}

import Foundation
import StevedoreTestSupport
import Testing

/// The reproducibility contract: the same inputs give the same digest whatever the machine's state.
@Suite(.serialized, .dedicatedThread)
struct ReproducibilityTests {
    /// Writes the same resources and executable under `root` with the given file-system accidents.
    func makeInputs(root: String, umask newMask: mode_t, parentMode: Int, owner: uid_t, mtime: String, reverse: Bool) throws -> (String, String) {
        let base = "\(root)/deep/parent"
        try FileManager.default.createDirectory(atPath: "\(base)/res/sub", withIntermediateDirectories: true)
        var files = [("res/a.txt", "alpha\n"), ("res/sub/b.txt", "beta\n"), ("res/z.txt", "zulu\n"), ("res/sub/long-\(String(repeating: "x", count: 120)).txt", "long\n"), ("res/ünïcødé.txt", "u\n")]
        if reverse { files.reverse() }
        for (path, text) in files {
            FileManager.default.createFile(atPath: "\(base)/\(path)", contents: Data(text.utf8))
        }
        try Self.applyUmask(newMask, under: root)
        try FileManager.default.createSymbolicLink(atPath: "\(base)/res/link", withDestinationPath: "a.txt")
        let executable = "\(base)/hello-c"
        try FileManager.default.copyItem(atPath: try Fixtures.cProgram.get(), toPath: executable)
        // Each set-up step must succeed, or the two copies would not differ as the tests claim.
        try TestLayouts.check(ProcessRunner.run(["chmod", "-R", "u+x", executable]))
        if owner != getuid() { try TestLayouts.check(ProcessRunner.run(["chown", "-R", "\(owner):\(owner)", root])) }
        try TestLayouts.check(ProcessRunner.run(["find", root, "-exec", "touch", "-h", "-d", mtime, "{}", "+"]))
        try TestLayouts.check(ProcessRunner.run(["chmod", String(parentMode, radix: 8), "\(root)/deep", base]))
        return (executable, "\(base)/res")
    }

    /// Needs root: the copies belong to different owners (chown), and the second build runs in its own UTS
    /// namespace (`unshare --uts`) under another host name. CI runs the tests as root (`.ci/run`).
    @Test(
        "two copies of the inputs that differ in mtimes, modes, umask, owner, path, TZ, locale, host name and threads build the same digest",
        .timeLimit(.minutes(10)),
        .enabled(if: getuid() == 0, "chown to another owner and unshare --uts need root")
    )
    func sameDigestFromDifferentCopies() throws {
        let one = try TemporaryDirectory("repro-one")
        let two = try TemporaryDirectory("repro-two-with-a-longer-path")
        let (exeA, resA) = try makeInputs(root: one.path, umask: 0o022, parentMode: 0o755, owner: 0, mtime: "2001-02-03 04:05:06", reverse: false)
        let (exeB, resB) = try makeInputs(root: two.path, umask: 0o077, parentMode: 0o700, owner: 4321, mtime: "2024-12-31 23:59:59", reverse: true)
        #expect(try Self.listing(one.appending("deep")) != Self.listing(two.appending("deep")), "the set-up made two identical copies")

        // A locale that really differs from C (decimal comma, German collation), generated here so that no
        // installed locale is assumed; LOCPATH points the C library at it.
        let locales = try TemporaryDirectory("repro-locale")
        try TestLayouts.check(ProcessRunner.run(["localedef", "-i", "de_DE", "-f", "UTF-8", locales.appending("de_DE.UTF-8")]))
        try #require(FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/Pacific/Auckland"), "without tzdata TZ would silently be UTC")
        let german = ["LOCPATH": locales.path, "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"]
        let decimalPoint = try ProcessRunner.run(["locale", "-k", "decimal_point"], environment: german)
        try #require(decimalPoint.stdout == "decimal_point=\",\"\n" && decimalPoint.stderr.isEmpty, "the locale did not load: \(decimalPoint.output)")

        let a = try StevedoreBinary.run(
            ["build", "--executable", exeA, "--add", "\(resA):/srv/res", "--output", "oci-layout:\(one.appending("out")):x", "--threads", "1", "--no-cache"],
            environment: ["TZ": "UTC", "LANG": "C", "LC_ALL": "C", "SOURCE_DATE_EPOCH": "1700000000"]
        )
        // The second build runs under another host name, which it writes down first.
        let hostName = "stevedore-repro-\(UUID().uuidString.prefix(8).lowercased())"
        let seenHostName = two.appending("hostname")
        var environment: [String: String?] = ["TZ": "Pacific/Auckland", "SOURCE_DATE_EPOCH": "1700000000"]
        environment.merge(german) { _, new in new }
        let b = try ProcessRunner.run(
            ["unshare", "--uts", "sh", "-c", "hostname \"$0\" && hostname > \"$1\" && shift && exec \"$@\"", hostName, seenHostName,
             StevedoreBinary.path, "build", "--executable", exeB, "--add", "\(resB):/srv/res", "--output", "oci-layout:\(two.appending("out")):x", "--threads", "2", "--no-cache"],
            environment: environment
        )
        #expect(a.status == 0, "\(a.output)")
        #expect(b.status == 0, "\(b.output)")
        #expect((try? String(contentsOfFile: seenHostName, encoding: .utf8)) == hostName + "\n")
        #expect(digest(of: a) != nil)
        #expect(digest(of: a) == digest(of: b))
        // The executable keeps the same name and the same bytes, so every blob is identical.
        let blobsA = try FileManager.default.contentsOfDirectory(atPath: one.appending("out/blobs/sha256")).sorted()
        let blobsB = try FileManager.default.contentsOfDirectory(atPath: two.appending("out/blobs/sha256")).sorted()
        #expect(blobsA == blobsB)
    }

    /// `ls -lnR --full-time` of `path`: owners, modes and times, to prove the copies differ.
    static func listing(_ path: String) throws -> String {
        let result = try ProcessRunner.run(["ls", "-lnR", "--full-time", path], environment: ["TZ": "UTC", "LC_ALL": "C"])
        try TestLayouts.check(result)
        return result.stdout.replacingOccurrences(of: path, with: "")
    }

    @Test("SOURCE_DATE_EPOCH changes only created, history and file times", .timeLimit(.minutes(10)))
    func sourceDateEpochChangesOnlyTimes() throws {
        let work = try TemporaryDirectory("epoch")
        let (executable, resources) = try makeInputs(root: work.path, umask: 0o022, parentMode: 0o755, owner: getuid(), mtime: "2010-01-01", reverse: false)
        var configs: [[String: Any]] = []
        var listings: [[String]] = []
        for epoch in ["0", "1700000000"] {
            let layout = work.appending("out-\(epoch)")
            let build = try StevedoreBinary.run(["build", "--executable", executable, "--add", "\(resources):/srv", "--output", "oci-layout:\(layout):t", "--source-date-epoch", epoch])
            #expect(build.status == 0, "\(build.output)")
            var config = json(try ProcessRunner.run(["skopeo", "inspect", "--config", "oci:\(layout):t"]).stdout)
            #expect((config["created"] as? String) == (epoch == "0" ? "1970-01-01T00:00:00Z" : "2023-11-14T22:13:20Z"))
            config["created"] = nil
            // The layers' digests follow from their file times, which the listings below compare.
            config["rootfs"] = nil
            config["history"] = (config["history"] as? [[String: Any]])?.map { entry in entry.filter { $0.key != "created" } }
            configs.append(config)
            let layers = json(try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(layout):t"]).stdout)["layers"] as? [[String: Any]] ?? []
            var listing: [String] = []
            for layer in layers {
                let hex = (layer["digest"] as? String ?? "").replacingOccurrences(of: "sha256:", with: "")
                let tar = try ProcessRunner.run(["tar", "--numeric-owner", "-tvzf", "\(layout)/blobs/sha256/\(hex)"], environment: ["TZ": "UTC"])
                // Drop the date and time columns; keep mode, owner, size and name.
                listing += tar.stdout.split(separator: "\n").map { line in
                    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                    return (fields.prefix(3) + fields.dropFirst(5)).joined(separator: " ")
                }
                let times = Set(tar.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).prefix(2).joined(separator: " ") })
                #expect(times == [epoch == "0" ? "1970-01-01 00:00" : "2023-11-14 22:13"], "\(times)")
            }
            listings.append(listing)
        }
        #expect(NSDictionary(dictionary: configs[0]).isEqual(to: configs[1]))
        #expect(listings[0] == listings[1])
        #expect(listings[0].contains { $0.hasPrefix("drwxrwxrwt 0/0 0 tmp/") })
    }

    /// Gives every file and directory under `root` the mode it would have been created with under the umask
    /// `mask`, without calling umask(), which is process-wide and would change the files parallel tests create.
    static func applyUmask(_ mask: mode_t, under root: String) throws {
        let result = try ProcessRunner.run([
            "sh", "-c", #"find "$1" -type d -exec chmod "$2" {} + && find "$1" -type f -exec chmod "$3" {} +"#, "sh",
            root, String(0o777 & ~mask, radix: 8), String(0o666 & ~mask, radix: 8),
        ])
        guard result.status == 0 else { throw FixtureError(message: "chmod under \(root) failed: \(result.output)") }
    }
}

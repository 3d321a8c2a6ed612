import Foundation
import StevedoreTestSupport
import Testing

/// What a self-contained image from scratch holds, read from the layers `stevedore build` wrote: the three-layer
/// order that lets a rebuild re-use the first two, and the system files of the first.
@Suite(.serialized, .dedicatedThread)
struct BuildCommandSelfContainedTests {
    /// A C program linking zlib that prints `greeting`.
    static func program(printing greeting: String) -> String {
        """
        #include <stdio.h>
        #include <zlib.h>
        int main(void) { printf("\(greeting) %s\\n", zlibVersion()); return 0; }
        """
    }

    @Test("after only the executable changes, layers 1 and 2 are byte-identical and layer 3 differs", .timeLimit(.minutes(10)))
    func aChangedExecutableChangesOnlyTheLastLayer() throws {
        let work = try TemporaryDirectory("layer-order")
        let compiler = CCompiler(directory: work)
        let first = try compiler.compile(Self.program(printing: "first build"), to: "one/app", ["-lz"])
        let second = try compiler.compile(Self.program(printing: "second build"), to: "two/app", ["-lz"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) != Data(contentsOf: URL(fileURLWithPath: second)))
        try work.write("static/index.html", "<h1>hello</h1>\n")

        var layouts: [String] = []
        for (name, executable) in [("one", first), ("two", second)] {
            let layout = work.appending("out-\(name)")
            let build = try StevedoreBinary.run([
                "build", "--executable", executable, "--add", "\(work.appending("static")):/srv/static",
                "--output", "oci-layout:\(layout):t", "--source-date-epoch", "1700000000",
            ])
            try #require(build.status == 0, "\(build.output)")
            layouts.append(layout)
        }
        let one = try ImageLayers(layout: layouts[0], tag: "t")
        let two = try ImageLayers(layout: layouts[1], tag: "t")
        try #require(one.digests.count == 3 && two.digests.count == 3, "\(one.digests) \(two.digests)")
        #expect(one.digests[0] == two.digests[0], "the libraries and system files")
        #expect(one.digests[1] == two.digests[1], "the --add resources")
        #expect(one.digests[2] != two.digests[2], "the executable")
        for index in 0..<2 {
            #expect(try one.bytes(index) == two.bytes(index))
        }
        #expect(try one.entries(0).keys.contains { $0.hasSuffix("/libz.so.1") })
        #expect(try one.entries(1).keys.contains("srv/static/index.html"))
        #expect(try one.entries(2).keys.sorted() == ["usr", "usr/local", "usr/local/bin", "usr/local/bin/app"])
    }

    @Test("the first layer holds the host's CA bundle, nsswitch.conf, /home/nonroot (65532, 0700) and /tmp (1777)")
    func theFirstLayerHoldsTheSystemFiles() throws {
        let hostBundle = URL(fileURLWithPath: "/etc/ssl/certs/ca-certificates.crt").resolvingSymlinksInPath().path
        try #require(FileManager.default.isReadableFile(atPath: hostBundle), "scripts/install-dependencies.sh installs ca-certificates")
        let work = try TemporaryDirectory("system-files")
        let layout = work.appending("layout")
        let build = try StevedoreBinary.run(["build", "--executable", try Fixtures.cProgram.get(), "--output", "oci-layout:\(layout):t"])
        try #require(build.status == 0, "\(build.output)")
        #expect(!build.stderr.contains("CA bundle"), "\(build.stderr)")

        let layers = try ImageLayers(layout: layout, tag: "t")
        let entries = try layers.entries(0)
        #expect(entries["home/nonroot"] == .init(mode: "drwx------", owner: "65532/65532"))
        #expect(entries["tmp"] == .init(mode: "drwxrwxrwt", owner: "0/0"))
        #expect(entries["etc/nsswitch.conf"] == .init(mode: "-rw-r--r--", owner: "0/0"))
        #expect(entries["etc/ssl/certs/ca-certificates.crt"] == .init(mode: "-rw-r--r--", owner: "0/0"))
        #expect(try layers.file("etc/nsswitch.conf", in: 0).split(separator: "\n").contains("hosts: files dns"))
        #expect(try layers.file("etc/ssl/certs/ca-certificates.crt", in: 0) == String(contentsOfFile: hostBundle, encoding: .utf8))
    }

    /// Hides the host's CA bundles with an empty file system mounted over `/etc/ssl` (and `/etc/pki`) in a mount
    /// namespace of the build alone: that needs root, which CI has.
    @Test("a host without a CA bundle gets an image without one, and the build says so", .enabled(if: canHideHostFiles, "unshare --mount needs root"))
    func aHostWithoutACABundleIsWarnedAbout() throws {
        let work = try TemporaryDirectory("no-ca-bundle")
        let layout = work.appending("layout")
        let build = try ProcessRunner.run([
            "unshare", "--mount", "--propagation", "private", "sh", "-c",
            "mount -t tmpfs none /etc/ssl && { [ ! -d /etc/pki ] || mount -t tmpfs none /etc/pki; } && exec \"$@\"", "sh",
            StevedoreBinary.path, "build", "--executable", try Fixtures.cProgram.get(), "--output", "oci-layout:\(layout):t",
        ])
        try #require(build.status == 0, "\(build.output)")
        #expect(build.stderr.contains("warning"), "\(build.stderr)")
        #expect(build.stderr.contains("this host has no CA bundle (looked for /etc/ssl/certs/ca-certificates.crt, "), "\(build.stderr)")
        #expect(build.stderr.contains("install the CA certificates"), "\(build.stderr)")
        let entries = try ImageLayers(layout: layout, tag: "t").entries(0)
        #expect(entries["etc/ssl/certs/ca-certificates.crt"] == nil)
        #expect(entries["etc/nsswitch.conf"] != nil)
    }

    /// Whether this process may hide host files from a child with a private mount namespace.
    static let canHideHostFiles: Bool = {
        (try? ProcessRunner.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs none /mnt"]).status) == 0
    }()
}

/// The layers of an image in an OCI layout, read with skopeo and tar.
struct ImageLayers {
    /// The owner and mode `tar --numeric-owner -tv` shows for an entry.
    struct Entry: Equatable, CustomStringConvertible {
        var mode: String
        var owner: String
        var description: String { "\(mode) \(owner)" }
    }

    let layout: String
    /// The layer digests, in order (`sha256:…`).
    let digests: [String]

    init(layout: String, tag: String) throws {
        self.layout = layout
        let raw = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(layout):\(tag)"])
        try TestLayouts.check(raw)
        digests = (json(raw.stdout)["layers"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String }
    }

    /// The blob file of layer `index`.
    func blob(_ index: Int) -> String {
        "\(layout)/blobs/sha256/\(digests[index].replacingOccurrences(of: "sha256:", with: ""))"
    }

    func bytes(_ index: Int) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: blob(index)))
    }

    /// Every entry of layer `index` by path (no leading `./`, no trailing `/`).
    func entries(_ index: Int) throws -> [String: Entry] {
        let listing = try ProcessRunner.run(["tar", "--numeric-owner", "-tvzf", blob(index)], environment: ["TZ": "UTC", "LC_ALL": "C"])
        try TestLayouts.check(listing)
        var entries: [String: Entry] = [:]
        for line in listing.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6 else { continue }
            var path = String(fields[5])
            if path.hasPrefix("./") { path.removeFirst(2) }
            while path.hasSuffix("/") { path.removeLast() }
            entries[path] = Entry(mode: String(fields[0]), owner: String(fields[1]))
        }
        return entries
    }

    /// The contents of the file `path` in layer `index`.
    func file(_ path: String, in index: Int) throws -> String {
        let extracted = try ProcessRunner.run(["tar", "-xzOf", blob(index), path])
        try TestLayouts.check(extracted)
        return extracted.stdout
    }
}

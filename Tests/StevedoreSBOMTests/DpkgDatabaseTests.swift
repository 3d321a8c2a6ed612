import Foundation
import StevedoreSBOM
import StevedoreTestSupport
import Testing

struct DpkgDatabaseTests {
    /// A root with a tiny dpkg database: a multiarch zlib1g (amd64 and arm64), a package of its own
    /// architecture whose list file has no `:ARCH`, one that is only configured, and an os-release.
    static func craftedRoot() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory("dpkg-root")
        try root.write("var/lib/dpkg/status", """
            Package: zlib1g
            Status: install ok installed
            Architecture: amd64
            Multi-Arch: same
            Source: zlib
            Version: 1:1.2.13.dfsg-1
            Description: compression library - runtime
             zlib is a library implementing the deflate compression method found
             in gzip and PKZIP.

            Package: zlib1g
            Status: install ok installed
            Architecture: arm64
            Source: zlib
            Version: 1:1.2.13.dfsg-9
            Description: compression library - runtime

            Package: libfoo1
            Status: install ok installed
            Architecture: amd64
            Version: 2.0-1
            Source: foo (2.0-1)

            Package: gone
            Status: deinstall ok config-files
            Architecture: amd64
            Version: 1.0

            """)
        try root.write("var/lib/dpkg/info/zlib1g:amd64.list", "/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libz.so.1\n/lib/x86_64-linux-gnu/libz.so.1.2.13\n")
        try root.write("var/lib/dpkg/info/zlib1g:arm64.list", "/.\n/usr/lib/aarch64-linux-gnu/libz.so.1.2.13\n")
        try root.write("var/lib/dpkg/info/libfoo1.list", "/usr/lib/x86_64-linux-gnu/libfoo.so.1\n")
        try root.write("var/lib/dpkg/info/gone.list", "/usr/lib/x86_64-linux-gnu/libgone.so.1\n")
        try root.write("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
        return root
    }

    @Test("owners through usr-merge aliases, multiarch list names and symlink names")
    func craftedDatabase() throws {
        let root = try Self.craftedRoot()
        let paths: Set<String> = [
            "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", "/usr/lib/aarch64-linux-gnu/libz.so.1.2.13", "/lib/aarch64-linux-gnu/libz.so.1.2.13",
            "/lib/x86_64-linux-gnu/libfoo.so.1", "/usr/lib/x86_64-linux-gnu/libgone.so.1", "/usr/lib/libnothing.so", "/opt/x/libz.so.1",
            "/lib/x86_64-linux-gnu/libz.so.1",
        ]
        let database = try DpkgDatabase(root: root.path, paths: paths)

        let zlib = try #require(database.package(owning: "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"))
        #expect(zlib == DebianPackage(name: "zlib1g", version: "1:1.2.13.dfsg-1", architecture: "amd64", source: "zlib", distribution: "debian-12"))
        #expect(zlib.packageURL.description == "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12")
        #expect(database.package(owning: "/lib/aarch64-linux-gnu/libz.so.1.2.13")?.architecture == "arm64")
        #expect(database.package(owning: "/lib/aarch64-linux-gnu/libz.so.1.2.13")?.version == "1:1.2.13.dfsg-9")
        // A file dpkg does not list under its real name is found under the name the loader opens.
        #expect(database.package(owning: "/opt/x/libz.so.1", or: ["/lib/x86_64-linux-gnu/libz.so.1"])?.name == "zlib1g")
        let foo = try #require(database.package(owning: "/lib/x86_64-linux-gnu/libfoo.so.1"))
        #expect(foo.name == "libfoo1")
        #expect(foo.source == "foo")
        #expect(database.package(owning: "/usr/lib/x86_64-linux-gnu/libgone.so.1") == nil)
        #expect(database.package(owning: "/usr/lib/libnothing.so") == nil)
    }

    @Test("a root without dpkg knows no owners")
    func noDatabase() throws {
        let root = try TemporaryDirectory("no-dpkg")
        #expect(!DpkgDatabase.exists(root: root.path))
        let database = try DpkgDatabase(root: root.path, paths: ["/lib/x86_64-linux-gnu/libz.so.1"])
        #expect(database.package(owning: "/lib/x86_64-linux-gnu/libz.so.1") == nil)
    }

    @Test("the host's zlib: /usr/lib/x86_64-linux-gnu/libz.so.1 is zlib1g at dpkg-query's version")
    func hostZlib() throws {
        #if arch(x86_64)
        let query = try ProcessRunner.run(["dpkg-query", "-W", "-f=${Version}", "zlib1g:amd64"])
        try #require(query.status == 0, "\(query.output)")
        let real = URL(fileURLWithPath: "/usr/lib/x86_64-linux-gnu/libz.so.1").resolvingSymlinksInPath().path
        let database = try DpkgDatabase(root: "/", paths: ["/usr/lib/x86_64-linux-gnu/libz.so.1", real])
        let zlib = try #require(database.package(owning: "/usr/lib/x86_64-linux-gnu/libz.so.1"))
        #expect(zlib.name == "zlib1g")
        #expect(zlib.version == query.stdout)
        #expect(zlib.architecture == "amd64")
        #expect(database.package(owning: real) == zlib)
        #endif
    }
}

import Foundation
import StevedoreELF
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct LoaderConfigurationTests {
    @Test func followsIncludeGlobsInsideAFakeRoot() throws {
        let root = try TemporaryDirectory("elf-root")
        try root.write("etc/ld.so.conf", """
            # the main file
            include /etc/ld.so.conf.d/*.conf
            /opt/main/lib/   # trailing slash and comment
            hwcap 0 nosegneg
            /opt/legacy/lib=libc5
            include extra/*.conf
            relative/ignored
            """)
        try root.write("etc/ld.so.conf.d/b.conf", "/opt/b/lib\n/opt/shared/lib\n")
        try root.write("etc/ld.so.conf.d/a.conf", "/opt/a/lib\ninclude nested.list\n")
        try root.write("etc/ld.so.conf.d/nested.list", "/opt/nested/lib\n/opt/shared/lib\n")
        try root.write("etc/ld.so.conf.d/not-matched.txt", "/opt/never\n")
        try root.write("etc/extra/z.conf", "/opt/extra/lib\n")
        let configuration = try LoaderConfiguration(root: root.path)
        #expect(configuration.directories == [
            "/opt/a/lib", "/opt/nested/lib", "/opt/shared/lib", "/opt/b/lib", "/opt/main/lib", "/opt/legacy/lib", "/opt/extra/lib",
        ])
    }

    @Test func stopsAtIncludeLoops() throws {
        let root = try TemporaryDirectory("elf-root")
        try root.write("etc/ld.so.conf", "/opt/first\ninclude /etc/ld.so.conf\n")
        #expect(try LoaderConfiguration(root: root.path).directories == ["/opt/first"])
    }

    @Test func aMissingFileListsNothing() throws {
        let root = try TemporaryDirectory("elf-root")
        #expect(try LoaderConfiguration(root: root.path).directories.isEmpty)
    }

    @Test func readsTheHostConfiguration() throws {
        let host = try LoaderConfiguration()
        let listed = try ProcessRunner.run(["sh", "-c", "cat /etc/ld.so.conf.d/*.conf 2>/dev/null | grep '^/' || true"]).stdout
        for line in listed.split(separator: "\n") {
            #expect(host.directories.contains(String(line)))
        }
    }
}

import Foundation
import StevedoreArchive
import StevedoreBuild
import StevedoreCore
import StevedoreTestSupport
import Testing

/// The files an image from scratch gets: users, groups, name service configuration, `/tmp`, homes and CA
/// certificates, as a program in the image sees them.
struct SystemFilesTests {
    static func tree(_ files: SystemFiles = SystemFiles()) throws -> FileTree {
        var tree = FileTree()
        try files.add(to: &tree)
        return tree
    }

    static func text(_ tree: FileTree, _ path: String) -> String? {
        guard case .regularFile(.bytes(let bytes)) = tree.entry(at: path)?.kind else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func passwdHasRootNobodyAndNonroot() throws {
        #expect(Self.text(try Self.tree(), "etc/passwd") == """
            root:x:0:0:root:/root:/sbin/nologin
            nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
            nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin

            """)
    }

    @Test func groupHasRootNobodyAndNonroot() throws {
        #expect(Self.text(try Self.tree(), "etc/group") == "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n")
    }

    @Test func theDefaultUserIsNonrootWhoseHomeIsInPasswd() throws {
        #expect(SystemFiles.user == "65532:65532")
        let nonroot = try #require(Self.text(try Self.tree(), "etc/passwd")?.split(separator: "\n").first { $0.hasPrefix("nonroot:") })
        let fields = nonroot.split(separator: ":", omittingEmptySubsequences: false)
        #expect("\(fields[2]):\(fields[3])" == SystemFiles.user)
        #expect(String(fields[5]) == SystemFiles.home)
    }

    @Test func nsswitchReadsFilesThenDNS() throws {
        let nsswitch = try #require(Self.text(try Self.tree(), "etc/nsswitch.conf"))
        #expect(nsswitch.split(separator: "\n").contains("hosts: files dns"))
        #expect(nsswitch.split(separator: "\n").contains("passwd: files"))
    }

    @Test("directories: owner and mode", arguments: [
        ("tmp", 0o1777, 0),
        ("root", 0o700, 0),
        ("home", 0o755, 0),
        ("home/nonroot", 0o700, 65532),
    ] as [(String, UInt32, Int)])
    func directories(path: String, mode: UInt32, owner: Int) throws {
        let entry = try #require(try Self.tree().entry(at: path))
        #expect(entry.isDirectory)
        #expect(entry.mode == mode, "\(path) is \(String(entry.mode, radix: 8))")
        #expect(entry.owner.uid == owner)
        #expect(entry.owner.gid == owner)
    }

    @Test("generated files are root's and world-readable", arguments: ["etc/passwd", "etc/group", "etc/nsswitch.conf"])
    func generatedFiles(path: String) throws {
        let entry = try #require(try Self.tree().entry(at: path))
        #expect(entry.mode == 0o644)
        #expect(entry.owner == .root)
    }

    @Test func theFirstReadableCABundleIsCopiedWithSymlinksResolved() throws {
        let host = try TemporaryDirectory("stevedore-ca")
        let bundle = try host.write("pki/bundle.pem", "-----BEGIN CERTIFICATE-----\n")
        try FileManager.default.createSymbolicLink(atPath: host.appending("link.pem"), withDestinationPath: bundle)
        var files = SystemFiles()
        files.certificateBundleCandidates = [host.appending("missing.pem"), host.appending("link.pem"), bundle]
        let entry = try #require(try Self.tree(files).entry(at: "etc/ssl/certs/ca-certificates.crt"))
        #expect(entry.kind == .regularFile(.hostFile(path: URL(fileURLWithPath: bundle).resolvingSymlinksInPath().path)))
        #expect(entry.mode == 0o644)
    }

    @Test func noCABundleOnTheHostMeansNone() throws {
        var files = SystemFiles()
        files.certificateBundleCandidates = ["/nonexistent/stevedore/ca.pem"]
        let tree = try Self.tree(files)
        #expect(tree.entry(at: "etc/ssl/certs/ca-certificates.crt") == nil)
        #expect(tree.entry(at: "etc/passwd") != nil)
    }

    @Test(.enabled(if: SystemFiles().certificateBundleCandidates.contains { FileManager.default.isReadableFile(atPath: $0) }))
    func theHostsCABundleIsInTheImage() throws {
        #expect(try Self.tree().entry(at: "etc/ssl/certs/ca-certificates.crt") != nil)
    }

    /// What `tar` lists for the written layer: the numbers a container runtime applies.
    @Test func theWrittenLayerListsOwnersAndModes() async throws {
        let scratch = try TemporaryDirectory("stevedore-system-files")
        var files = SystemFiles()
        files.certificateBundleCandidates = []
        let store = try FileBlobSink(directory: scratch.appending("blobs"))
        let layer = try await LayerWriter(options: LayerOptions()).write(try Self.tree(files), to: store)
        let listing = try ProcessRunner.run(["tar", "--numeric-owner", "-tvzf", store.path(of: layer.descriptor.digest)])
        try #require(listing.status == 0, "\(listing.output)")
        let lines = listing.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        func line(_ path: String) -> (mode: String, owner: String)? {
            lines.first { $0.last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "/")) } == path }.map { (String($0[0]), String($0[1])) }
        }
        #expect(line("home/nonroot")?.mode == "drwx------")
        #expect(line("home/nonroot")?.owner == "65532/65532")
        #expect(line("tmp")?.mode == "drwxrwxrwt")
        #expect(line("tmp")?.owner == "0/0")
        #expect(line("etc/passwd")?.mode == "-rw-r--r--")
    }
}

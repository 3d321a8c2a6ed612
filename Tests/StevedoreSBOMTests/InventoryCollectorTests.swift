import Foundation
import StevedoreCore
import StevedoreSBOM
import StevedoreTestSupport
import Testing

struct InventoryCollectorTests {
    @Test("the host's zlib is hashed and owned by zlib1g; a file outside dpkg has no owner")
    func hostLibraries() async throws {
        #if arch(x86_64)
        let work = try TemporaryDirectory("collector")
        let stray = try work.write("libstray.so.1", "not really a library")
        let real = URL(fileURLWithPath: "/usr/lib/x86_64-linux-gnu/libz.so.1").resolvingSymlinksInPath().path
        let subject = SBOMSubject(
            name: "hello", digest: Digest.sha256(of: Array("x".utf8)), isIndex: false,
            images: [.init(
                platform: Platform(os: "linux", architecture: "amd64"), manifestDigest: Digest.sha256(of: Array("x".utf8)),
                executable: .init(hostPath: stray, imagePath: "/usr/local/bin/hello"),
                sharedLibraries: [
                    .init(hostPath: real, imagePath: "/lib/x86_64-linux-gnu/libz.so.1"),
                    .init(hostPath: stray, imagePath: "/opt/lib/libstray.so.1"),
                ]
            )],
            creationTime: 0
        )
        let inventory = try await InventoryCollector().inventory(of: subject)
        let image = try #require(inventory.images.first)
        #expect(image.executable?.sha256 == Digest.sha256(of: Array("not really a library".utf8)))
        #expect(image.swiftRuntime == nil)
        let zlib = try #require(image.libraries.first { $0.imagePath.hasSuffix("libz.so.1") })
        #expect(zlib.debianPackage?.name == "zlib1g")
        #expect(zlib.sha256 == Digest.sha256(of: [UInt8](try Data(contentsOf: URL(fileURLWithPath: real)))))
        #expect(image.libraries.first { $0.imagePath == "/opt/lib/libstray.so.1" }?.debianPackage == nil)
        #endif
    }

    @Test("a sysroot's own dpkg database owns its libraries")
    func sysroot() async throws {
        let root = try DpkgDatabaseTests.craftedRoot()
        let library = try root.write("usr/lib/x86_64-linux-gnu/libfoo.so.1", "foo")
        let subject = SBOMSubject(
            name: "hello", digest: Digest.sha256(of: Array("x".utf8)), isIndex: false,
            images: [.init(
                platform: Platform(os: "linux", architecture: "amd64"), manifestDigest: Digest.sha256(of: Array("x".utf8)),
                executable: nil, sharedLibraries: [.init(hostPath: library, imagePath: "/lib/x86_64-linux-gnu/libfoo.so.1")], libraryRoot: root.path
            )],
            creationTime: 0
        )
        let inventory = try await InventoryCollector().inventory(of: subject)
        #expect(inventory.images.first?.libraries.first?.debianPackage?.name == "libfoo1")
    }

    @Test("an unreadable file is unreadableSBOMInput")
    func unreadable() async throws {
        let subject = SBOMSubject(
            name: "hello", digest: Digest.sha256(of: Array("x".utf8)), isIndex: false,
            images: [.init(
                platform: Platform(os: "linux", architecture: "amd64"), manifestDigest: Digest.sha256(of: Array("x".utf8)),
                executable: .init(hostPath: "/nonexistent/hello", imagePath: "/usr/local/bin/hello"), sharedLibraries: []
            )],
            creationTime: 0
        )
        await #expect { try await InventoryCollector().inventory(of: subject) } throws: { ($0 as? StevedoreError)?.code == .unreadableSBOMInput }
    }
}

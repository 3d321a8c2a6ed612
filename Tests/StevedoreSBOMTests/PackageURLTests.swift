import StevedoreSBOM
import Testing

struct PackageURLTests {
    @Test("a Debian package's purl keeps the epoch's ':' and encodes '+'")
    func debian() {
        let package = DebianPackage(name: "zlib1g", version: "1:1.2.13.dfsg-1+deb12u1", architecture: "amd64", distribution: "debian-12")
        #expect(package.packageURL.description == "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1%2Bdeb12u1?arch=amd64&distro=debian-12")
    }

    @Test("Swift package purls", arguments: [
        ("https://github.com/apple/swift-nio.git", "pkg:swift/github.com/apple/swift-nio@2.81.0"),
        ("https://github.com/apple/swift-nio", "pkg:swift/github.com/apple/swift-nio@2.81.0"),
        ("git@github.com:apple/swift-nio.git", "pkg:swift/github.com/apple/swift-nio@2.81.0"),
        ("ssh://git@example.com:2222/team/lib.git", "pkg:swift/example.com/team/lib@2.81.0"),
    ])
    func swift(_ location: String, _ expected: String) {
        let package = SwiftPackage(identity: "x", location: location, version: "2.81.0")
        #expect(package.packageURL?.description == expected)
    }

    @Test("os-release gives the distro qualifier of Debian only")
    func osRelease() {
        #expect(OSRelease(parsing: "ID=debian\nVERSION_ID=\"12\"\n").debianDistribution == "debian-12")
        #expect(OSRelease(parsing: "ID=ubuntu\nVERSION_ID=\"24.04\"\n").debianDistribution == nil)
        #expect(OSRelease(parsing: "ID=debian\n").debianDistribution == nil)
    }
}

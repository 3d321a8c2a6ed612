import Foundation
import StevedoreCore
import StevedoreSBOM
import Testing

struct PackageResolvedTests {
    static let version1 = """
        {
          "object": {
            "pins": [
              {
                "package": "swift-nio",
                "repositoryURL": "https://github.com/apple/swift-nio.git",
                "state": { "branch": null, "revision": "aaaa", "version": "2.81.0" }
              },
              {
                "package": "Yams",
                "repositoryURL": "https://github.com/jpsim/Yams.git",
                "state": { "branch": "main", "revision": "bbbb", "version": null }
              }
            ]
          },
          "version": 1
        }
        """

    static let version2 = """
        {
          "pins" : [
            {
              "identity" : "swift-nio",
              "kind" : "remoteSourceControl",
              "location" : "https://github.com/apple/swift-nio.git",
              "state" : { "revision" : "aaaa", "version" : "2.81.0" }
            },
            {
              "identity" : "swift-log",
              "kind" : "remoteSourceControl",
              "location" : "git@github.com:apple/swift-log.git",
              "state" : { "revision" : "cccc", "version" : "1.6.1" }
            }
          ],
          "version" : 2
        }
        """

    static let version3 = """
        {
          "originHash" : "0123",
          "pins" : [
            {
              "identity" : "swift-nio",
              "kind" : "remoteSourceControl",
              "location" : "https://github.com/apple/swift-nio.git",
              "state" : { "revision" : "aaaa", "version" : "2.81.0" }
            },
            {
              "identity" : "local-thing",
              "kind" : "localSourceControl",
              "location" : "/src/local-thing",
              "state" : { "revision" : "dddd" }
            }
          ],
          "version" : 3
        }
        """

    @Test("version 1: package, repositoryURL, version or branch")
    func version1File() throws {
        let packages = try PackageResolved(data: Data(Self.version1.utf8)).packages
        #expect(packages.map(\.identity) == ["swift-nio", "yams"])
        #expect(packages[0].version == "2.81.0")
        #expect(packages[0].packageURL?.description == "pkg:swift/github.com/apple/swift-nio@2.81.0")
        #expect(packages[1].version == nil)
        #expect(packages[1].branch == "main")
        #expect(packages[1].versionText == "bbbb")
    }

    @Test("version 2: identity, location (https and scp-like)")
    func version2File() throws {
        let packages = try PackageResolved(data: Data(Self.version2.utf8)).packages
        #expect(packages.map(\.identity) == ["swift-log", "swift-nio"])
        #expect(packages[0].packageURL?.description == "pkg:swift/github.com/apple/swift-log@1.6.1")
        #expect(packages[1].location == "https://github.com/apple/swift-nio.git")
    }

    @Test("version 3: a local package has no purl and no download location")
    func version3File() throws {
        let packages = try PackageResolved(data: Data(Self.version3.utf8)).packages
        #expect(packages.map(\.identity) == ["local-thing", "swift-nio"])
        #expect(packages[0].packageURL == nil)
        #expect(packages[0].downloadLocation == nil)
        #expect(packages[0].versionText == "dddd")
        #expect(packages[1].packageURL?.description == "pkg:swift/github.com/apple/swift-nio@2.81.0")
    }

    @Test("unknown versions and non-JSON are invalidPackageResolved", arguments: [
        #"{"version": 9, "pins": []}"#, "not json", #"{"version": 1}"#,
    ])
    func rejects(_ text: String) {
        #expect { try PackageResolved(data: Data(text.utf8)) } throws: { ($0 as? StevedoreError)?.code == .invalidPackageResolved }
    }

    @Test("a missing file names its path")
    func missingFile() {
        #expect { try PackageResolved(contentsOf: "/nonexistent/Package.resolved") } throws: {
            ($0 as? StevedoreError)?.code == .invalidPackageResolved && "\($0)".contains("/nonexistent/Package.resolved")
        }
    }
}

import StevedoreBuild
import StevedoreCore
import StevedoreJobs
import StevedorePublish
import StevedoreRegistry
import Testing

@Suite struct PackageImageJobTests {
    static func job(push: Bool, userLabels: [String: String] = [:], executables: [BuildExecutable] = [BuildExecutable(path: "/src/hello/.build/release/HelloServer")]) -> PackageImageJob {
        var image = BuildRequest(executable: nil)
        image.executables = executables
        image.settings.labels = userLabels
        return PackageImageJob(
            package: PackageImageRequest(
                packageDirectory: "/src/hello", product: "HelloServer",
                resourceBundles: ["/src/hello/.build/release/HelloServer_HelloServer.resources"]
            ),
            image: image, publish: PublishOptions(), push: push, deploy: false, pushedImageFile: nil,
            registry: RegistryConfiguration(), environment: [:]
        )
    }

    static let provenance = ImageProvenance(sourceDateEpoch: 1_700_000_000, revision: "abc", source: "https://github.com/acme/hello", isDirty: false)

    @Test func theBuildPlacesBundlesBesideTheExecutableAndTheUsersLabelsWin() throws {
        let job = Self.job(push: false, userLabels: ["org.opencontainers.image.source": "https://example.com", "service": "mine"])
        let request = try job.buildRequest(provenance: Self.provenance, serviceLabels: ["service": "hello"], destination: nil)
        #expect(request.executable == "/src/hello/.build/release/HelloServer")
        #expect(request.additions == [Addition(
            source: "/src/hello/.build/release/HelloServer_HelloServer.resources",
            destination: "/usr/local/bin/HelloServer_HelloServer.resources"
        )])
        #expect(request.settings.labels == [
            "org.opencontainers.image.source": "https://example.com",
            "org.opencontainers.image.revision": "abc",
            "org.opencontainers.image.created": "2023-11-14T22:13:20Z",
            "service": "mine",
        ])
        #expect(request.creationTime == 1_700_000_000)
        #expect(request.outputs == [.layout(path: "/src/hello/.build/stevedore/oci/HelloServer", tag: "latest")])
        #expect(request.push == nil)
    }

    @Test func aPushGoesToTheFirstTagWithTheOthersAsExtraTags() throws {
        let destination = PublishDestination(repository: "127.0.0.1:5000/acme/hello", tags: ["abc", "latest"], isDefaultBranch: true)
        let request = try Self.job(push: true).buildRequest(provenance: Self.provenance, serviceLabels: [:], destination: destination)
        #expect(request.push == ImageReference(registry: "127.0.0.1:5000", repository: "acme/hello", tag: "abc"))
        #expect(request.tags == [try ImageTag("latest")])
        #expect(request.outputs == [.layout(path: "/src/hello/.build/stevedore/oci/HelloServer", tag: "abc")])
    }

    @Test func everyPlatformsExecutableIsBuiltWithTheBundlesOfTheFirst() throws {
        let executables = [
            try BuildExecutable(parsing: "linux/amd64=/src/hello/.build/x86_64/release/HelloServer"),
            try BuildExecutable(parsing: "linux/arm64=/src/hello/.build/aarch64/release/HelloServer"),
        ]
        let request = try Self.job(push: false, executables: executables).buildRequest(provenance: Self.provenance, serviceLabels: [:], destination: nil)
        #expect(request.executables == executables)
        #expect(request.additions.map(\.destination) == ["/usr/local/bin/HelloServer_HelloServer.resources"])
    }

    @Test func withoutAnExecutableTheRequestSaysWhatToPass() {
        #expect { try Self.job(push: false, executables: []).buildRequest(provenance: Self.provenance, serviceLabels: [:], destination: nil) } throws: { error in
            (error as? StevedoreError)?.code == .missingInput && "\(error)".contains("--executable")
        }
    }
}

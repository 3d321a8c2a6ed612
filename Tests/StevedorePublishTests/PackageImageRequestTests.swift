import StevedoreCore
import Testing
@testable import StevedorePublish

@Suite struct PackageImageRequestTests {
    static let request = PackageImageRequest(
        packageDirectory: "/src/hello",
        product: "HelloServer",
        executable: "/src/hello/.build/release/HelloServer",
        resourceBundles: ["/src/hello/.build/release/HelloServer_HelloServer.resources"],
        buildOptions: ["--expose", "8080", "--label", "org.opencontainers.image.source=https://example.com"]
    )
    static let provenance = ImageProvenance(sourceDateEpoch: 1_700_000_000, revision: "abc", source: "https://github.com/acme/hello", isDirty: false)

    @Test func buildArgumentsPlaceBundlesBesideTheExecutableAndKeepUserOptionsLast() {
        let outputs = Self.request.resolvedOutputs(layoutTag: "latest", needsLayout: false)
        #expect(outputs == [.layout(path: "/src/hello/.build/stevedore/oci/HelloServer", tag: "latest")])
        let arguments = Self.request.buildArguments(provenance: Self.provenance, outputs: outputs, digestFile: "/tmp/d")
        #expect(arguments == [
            "build", "--executable", "/src/hello/.build/release/HelloServer",
            "--output", "oci-layout:/src/hello/.build/stevedore/oci/HelloServer:latest",
            "--add", "/src/hello/.build/release/HelloServer_HelloServer.resources:/usr/local/bin/HelloServer_HelloServer.resources",
            "--label", "org.opencontainers.image.source=https://github.com/acme/hello",
            "--label", "org.opencontainers.image.revision=abc",
            "--label", "org.opencontainers.image.created=2023-11-14T22:13:20Z",
            "--source-date-epoch", "1700000000",
            "--digest-file", "/tmp/d",
            "--expose", "8080", "--label", "org.opencontainers.image.source=https://example.com",
        ])
    }

    @Test func pushingAddsALayoutWhenOnlyAnArchiveIsRequested() throws {
        var request = Self.request
        request.outputs = [try ImageLocation(parsing: "docker-archive:/tmp/hello.tar:hello:1")]
        #expect(request.resolvedOutputs(layoutTag: "v1", needsLayout: false).count == 1)
        let outputs = request.resolvedOutputs(layoutTag: "v1", needsLayout: true)
        #expect(outputs.first == .layout(path: "/src/hello/.build/stevedore/oci/HelloServer", tag: "v1"))
        #expect(PackageImageRequest.layoutToPush(in: outputs) == outputs.first)
    }

    @Test func pushArgumentsTagTheRestAfterTheFirst() {
        let destination = PublishDestination(repository: "127.0.0.1:5000/acme/hello", tags: ["abc", "latest"], isDefaultBranch: true)
        let arguments = PackageImageRequest.pushArguments(
            layout: .layout(path: "/l", tag: "abc"), destination: destination, pushOptions: ["--ca-file", "/ca.pem"], digestFile: "/tmp/p")
        #expect(arguments == ["push", "oci-layout:/l:abc", "127.0.0.1:5000/acme/hello:abc", "--tag", "latest", "--digest-file", "/tmp/p", "--ca-file", "/ca.pem"])
    }

    @Test func runInstructionsNameEveryOutput() throws {
        let digest = Digest.sha256(of: Array("x".utf8))
        let text = PackageImageRequest.runInstructions(
            outputs: [.layout(path: "/l", tag: "latest"), try ImageLocation(parsing: "docker-archive:/a.tar")], digest: digest, port: "8080")
        #expect(text.contains("Image digest: \(digest)"))
        #expect(text.contains("podman run --rm -p 8080:8080 oci:/l:latest"))
        #expect(text.contains("podman load -i /a.tar"))
    }

    @Test func layoutPathsWithCapitalsAreCopiedIntoStorageFirst() {
        let text = PackageImageRequest.runInstructions(
            outputs: [.layout(path: "/src/Hello/.build/stevedore/oci/HelloServer", tag: "v1")], digest: Digest.sha256(of: [1]), port: nil)
        #expect(text.contains("skopeo copy oci:/src/Hello/.build/stevedore/oci/HelloServer:v1 containers-storage:localhost/helloserver:v1 && podman run --rm localhost/helloserver:v1"))
        #expect(PackageImageRequest.storageName("My_App.2") == "my-app-2")
    }
}

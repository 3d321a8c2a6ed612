import StevedoreCore
import Testing
@testable import StevedorePublish

@Suite struct PackageImageRequestTests {
    static let request = PackageImageRequest(
        packageDirectory: "/src/hello",
        product: "HelloServer",
        resourceBundles: ["/src/hello/.build/release/HelloServer_HelloServer.resources"]
    )

    @Test func theDefaultOutputIsThePackagesLayout() {
        #expect(Self.request.resolvedOutputs(layoutTag: "latest", needsLayout: false) == [.layout(path: "/src/hello/.build/stevedore/oci/HelloServer", tag: "latest")])
    }

    @Test func pushingAddsALayoutWhenOnlyAnArchiveIsRequested() throws {
        var request = Self.request
        request.outputs = [try ImageLocation(parsing: "docker-archive:/tmp/hello.tar:hello:1")]
        #expect(request.resolvedOutputs(layoutTag: "v1", needsLayout: false).count == 1)
        let outputs = request.resolvedOutputs(layoutTag: "v1", needsLayout: true)
        #expect(outputs.first == .layout(path: "/src/hello/.build/stevedore/oci/HelloServer", tag: "v1"))
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

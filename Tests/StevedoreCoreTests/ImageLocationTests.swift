import Testing
@testable import StevedoreCore

struct ImageLocationTests {
    static func ref(_ registry: String, _ repository: String, _ tag: String? = nil) -> ImageReference {
        ImageReference(registry: registry, repository: repository, tag: tag)
    }

    @Test(arguments: [
        ("oci-layout:out", ImageLocation.layout(path: "out", tag: nil)),
        ("oci-layout:out:latest", .layout(path: "out", tag: "latest")),
        ("oci-layout:/tmp/image:v1.2_rc-3", .layout(path: "/tmp/image", tag: "v1.2_rc-3")),
        ("oci-layout:./build/img:1.0", .layout(path: "./build/img", tag: "1.0")),
        ("oci-layout:out:", .layout(path: "out", tag: nil)),
        ("oci:out", .layout(path: "out", tag: nil)),
        ("oci:/var/tmp/x:dev", .layout(path: "/var/tmp/x", tag: "dev")),
        ("docker-archive:image.tar", .dockerArchive(path: "image.tar", reference: nil)),
        ("docker-archive:/tmp/image.tar:app:1", .dockerArchive(path: "/tmp/image.tar", reference: ref("docker.io", "library/app", "1"))),
        ("docker-archive:image.tar:app", .dockerArchive(path: "image.tar", reference: ref("docker.io", "library/app", "latest"))),
        ("docker-archive:image.tar:ghcr.io/owner/app", .dockerArchive(path: "image.tar", reference: ref("ghcr.io", "owner/app", "latest"))),
        ("docker-archive:image.tar:localhost:5000/app:2", .dockerArchive(path: "image.tar", reference: ref("localhost:5000", "app", "2"))),
        ("docker://ghcr.io/owner/repo:1", .registry(ref("ghcr.io", "owner/repo", "1"))),
        ("docker://nginx", .registry(ref("docker.io", "library/nginx"))),
        ("docker://127.0.0.1:5000/app:t", .registry(ref("127.0.0.1:5000", "app", "t"))),
        ("ghcr.io/owner/repo:1", .registry(ref("ghcr.io", "owner/repo", "1"))),
        ("nginx:1.25", .registry(ref("docker.io", "library/nginx", "1.25"))),
        // `registry` is the name of a Docker Hub image, not a transport.
        ("registry:2", .registry(ref("docker.io", "library/registry", "2"))),
        ("localhost:5000/app", .registry(ref("localhost:5000", "app"))),
    ])
    func parsesLocation(text: String, expected: ImageLocation) throws {
        let location = try ImageLocation(parsing: text)
        #expect(location == expected)
        #expect(try ImageLocation(parsing: location.description) == location)
    }

    @Test(arguments: [
        ("oci-layout:", StevedoreError.Code.invalidLocation, "expected oci-layout:DIR[:TAG]"),
        ("oci:", .invalidLocation, "expected oci-layout:DIR[:TAG]"),
        ("oci-layout::tag", .invalidLocation, "expected oci-layout:DIR[:TAG]"),
        ("oci-layout:out:bad tag", .invalidLocation, "tag 'bad tag'"),
        ("oci-layout:out:-x", .invalidLocation, "tag '-x'"),
        ("oci:out:" + String(repeating: "t", count: 129), .invalidLocation, "1 to 128"),
        ("docker-archive:", .invalidLocation, "expected docker-archive:FILE[:NAME[:TAG]]"),
        ("docker-archive::app", .invalidLocation, "expected docker-archive:FILE[:NAME[:TAG]]"),
        ("docker-archive:x.tar:Owner/App", .invalidReference, "use 'owner/app'"),
        ("docker-archive:x.tar:app:bad!", .invalidReference, "tag 'bad!'"),
        ("/tmp/layout", .invalidLocation, "a directory needs a transport, e.g. oci-layout:/tmp/layout"),
        ("./out", .invalidLocation, "e.g. oci-layout:./out"),
        ("docker://", .invalidReference, "it is empty"),
        ("docker://ghcr.io/Owner/Repo:1", .invalidReference, "use 'ghcr.io/owner/repo:1'"),
        ("Nginx", .invalidReference, "use 'nginx'"),
        ("", .invalidReference, "it is empty"),
    ])
    func rejectsInvalidLocation(text: String, code: StevedoreError.Code, messageContains: String) {
        #expect {
            try ImageLocation(parsing: text)
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == code && error.message.contains(messageContains)
        }
    }

    @Test func descriptionNamesTheTransport() throws {
        #expect(try ImageLocation(parsing: "oci:out:v1").description == "oci-layout:out:v1")
        #expect(try ImageLocation(parsing: "docker-archive:a.tar:app").description == "docker-archive:a.tar:docker.io/library/app:latest")
        #expect(try ImageLocation(parsing: "docker://nginx").description == "docker.io/library/nginx")
    }
}

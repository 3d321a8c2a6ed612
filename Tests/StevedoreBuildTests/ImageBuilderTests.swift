import Foundation
import StevedoreArchive
import StevedoreBuild
import StevedoreCore
import StevedoreLayout
import StevedoreTestSupport
import Testing

struct ImageBuilderTests {
    func recipe(epoch: Int64 = 0, settings: ImageSettings = ImageSettings()) throws -> ImageRecipe {
        var tree = FileTree()
        try tree.addFile("etc/hello.txt", text: "hello, reproducible world\n")
        try tree.addFile("usr/local/bin/tool", text: "#!/bin/sh\necho tool\n", mode: 0o755)
        try tree.addDirectory("tmp", mode: 0o1777)
        var recipe = ImageRecipe(platform: Platform(os: "linux", architecture: "amd64"), layers: [.init(tree: tree, createdBy: "test layer")], settings: settings, creationTime: epoch)
        recipe.defaultEnvironment = [EnvironmentVariable(name: "PATH", value: "/usr/bin")]
        recipe.defaultUser = "65532:65532"
        return recipe
    }

    func build(_ recipe: ImageRecipe, base: ImageBuilder.Base? = nil, threads: Int = 2, in existing: (OCILayout, TemporaryDirectory)? = nil) async throws -> (Image, OCILayout, TemporaryDirectory) {
        let work = try existing?.1 ?? TemporaryDirectory("builder")
        let layout = try existing?.0 ?? OCILayout(path: work.appending("layout"))
        var options = LayerOptions()
        options.threads = threads
        let image = try await ImageBuilder(layerOptions: options).build(recipe, base: base, into: layout.store)
        try layout.write(image, tag: "t")
        return (image, layout, work)
    }

    /// The digest of a fixed input is pinned: a change here is a deliberate, visible change of the output format.
    @Test func goldenDigest() async throws {
        var settings = ImageSettings()
        settings.environment = [EnvironmentVariable(name: "MODE", value: "golden")]
        settings.exposedPorts = [try ExposedPort(parsing: "8080")]
        settings.labels = ["org.opencontainers.image.title": "golden"]
        let (image, _, _) = try await build(try recipe(settings: settings))
        #expect(String(decoding: image.configurationData, as: UTF8.self) == #"{"architecture":"amd64","config":{"Env":["PATH=/usr/bin","MODE=golden"],"ExposedPorts":{"8080/tcp":{}},"Labels":{"org.opencontainers.image.title":"golden"},"User":"65532:65532"},"created":"1970-01-01T00:00:00Z","history":[{"created":"1970-01-01T00:00:00Z","created_by":"test layer"}],"os":"linux","rootfs":{"diff_ids":["GOLDEN_DIFF_ID"],"type":"layers"}}"#.replacingOccurrences(of: "GOLDEN_DIFF_ID", with: image.configuration.rootfs.diffIDs.first?.description ?? ""))
        #expect(image.manifest.layers.first?.digest.description == "sha256:c930bc4bd63b607818c68998f4a8a31a737f0d5c7a2bd827c1c622e02500c6dc")
        #expect(image.manifestDescriptor.digest.description == "sha256:1d55a7f54db60fa93f1e85c3026607a9ae81d73e7086502cc7aa36aec97e5f84")
    }

    @Test func sameDigestWithOneOrEightThreads() async throws {
        let (one, _, _) = try await build(try recipe(), threads: 1)
        let (eight, _, _) = try await build(try recipe(), threads: 8)
        #expect(one.manifestDescriptor.digest == eight.manifestDescriptor.digest)
    }

    @Test func configurationInheritsFromTheBase() async throws {
        var baseSettings = ImageSettings()
        baseSettings.entrypoint = ["/bin/sh", "-c"]
        baseSettings.cmd = ["echo base"]
        baseSettings.environment = [EnvironmentVariable(name: "KEEP", value: "1"), EnvironmentVariable(name: "OVERRIDE", value: "old")]
        baseSettings.labels = ["a": "1", "b": "1"]
        baseSettings.workingDirectory = "/base"
        let (baseImage, baseLayout, baseWork) = try await build(try recipe(settings: baseSettings))

        var settings = ImageSettings()
        settings.entrypoint = ["/usr/local/bin/tool"]
        settings.environment = [EnvironmentVariable(name: "OVERRIDE", value: "new")]
        settings.labels = ["b": "2"]
        var child = try recipe(epoch: 100, settings: settings)
        child.layers[0].createdBy = "child layer"
        let (image, layout, _) = try await build(child, base: .init(image: baseImage, name: "oci-layout:base:t"), in: (baseLayout, baseWork))
        let config = try #require(image.configuration.config)
        #expect(config.entrypoint == ["/usr/local/bin/tool"])
        #expect(config.cmd == nil, "an entrypoint that replaces the base's drops the base's cmd")
        #expect(config.env == ["PATH=/usr/bin", "KEEP=1", "OVERRIDE=new"])
        #expect(config.labels == ["a": "1", "b": "2"])
        #expect(config.workingDir == "/base")
        #expect(config.user == "65532:65532")
        #expect(image.configuration.rootfs.diffIDs.count == 2)
        #expect(image.configuration.rootfs.diffIDs.first == baseImage.configuration.rootfs.diffIDs.first)
        #expect(image.configuration.history?.map(\.createdBy) == ["test layer", "child layer"])
        #expect(image.manifest.layers.first == baseImage.manifest.layers.first)
        #expect(image.manifest.annotations?[AnnotationKey.baseName] == "oci-layout:base:t")
        #expect(image.manifest.annotations?[AnnotationKey.baseDigest] == baseImage.manifestDescriptor.digest.description)
        #expect(try layout.resolve(tag: "t").digest == image.manifestDescriptor.digest)
    }

    @Test func baseForAnotherPlatformIsRejected() async throws {
        let (baseImage, _, _) = try await build(try recipe())
        var child = try recipe()
        child.platform = Platform(os: "linux", architecture: "arm64")
        await #expect(throws: StevedoreError.self) {
            _ = try await build(child, base: .init(image: baseImage, name: "base"))
        }
    }

    @Test(arguments: [(0, "1970-01-01T00:00:00Z"), (1_700_000_000, "2023-11-14T22:13:20Z"), (951_782_400, "2000-02-29T00:00:00Z")])
    func timestamps(seconds: Int64, expected: String) {
        #expect(ImageBuilder.timestamp(seconds) == expected)
    }
}

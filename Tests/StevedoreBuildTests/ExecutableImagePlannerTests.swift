import Foundation
import StevedoreArchive
import StevedoreBuild
import StevedoreCore
import StevedoreTestSupport
import Testing

/// `stevedore build --executable`: which layers an executable becomes, in which order, for which platform.
struct ExecutableImagePlannerTests {
    static let zlibProgram = """
        #include <stdio.h>
        #include <zlib.h>
        int main(void) { printf("zlib %s\\n", zlibVersion()); return 0; }
        """

    /// A compiled program `hello` and a resource directory, in a temporary directory.
    struct Fixture {
        let directory: TemporaryDirectory
        let executable: String

        init(flags: [String] = ["-lz"]) throws {
            directory = try TemporaryDirectory("stevedore-planner")
            executable = try CCompiler(directory: directory).compile(ExecutableImagePlannerTests.zlibProgram, to: "bin/hello", flags)
            try directory.write("public/index.html", "<h1>hello</h1>\n")
        }

        var resources: Addition { Addition(source: directory.appending("public"), destination: "/srv/public") }

        func planner(additions: [Addition] = [], selfContained: Bool = true, platform: String? = nil) throws -> ExecutableImagePlanner {
            ExecutableImagePlanner(
                executablePath: executable, additions: additions, selfContained: selfContained,
                requestedPlatform: try platform.map { try Platform(parsing: $0) }
            )
        }
    }

    static func paths(_ layer: ImageRecipe.Layer) -> [String] { layer.tree.entries.map(\.path) }

    @Test func anImageFromScratchHasLibrariesThenResourcesThenTheExecutable() throws {
        let fixture = try Fixture()
        let recipe = try fixture.planner(additions: [fixture.resources]).plan(settings: ImageSettings(), creationTime: 0)
        #expect(recipe.layers.map(\.createdBy) == [
            "stevedore: 3 runtime libraries and system files",
            "stevedore: add /srv/public",
            "stevedore: executable /usr/local/bin/hello",
        ])
        let libraries = Self.paths(recipe.layers[0])
        #expect(libraries.contains { $0.hasSuffix("/libz.so.1") }, "\(libraries)")
        #expect(libraries.contains { $0.hasSuffix("/libc.so.6") }, "\(libraries)")
        #expect(libraries.contains("etc/passwd"))
        #expect(libraries.contains("home/nonroot"))
        #expect(Self.paths(recipe.layers[1]) == ["srv", "srv/public", "srv/public/index.html"])
        #expect(Self.paths(recipe.layers[2]) == ["usr", "usr/local", "usr/local/bin", "usr/local/bin/hello"])
        let executable = try #require(recipe.layers[2].tree.entry(at: "usr/local/bin/hello"))
        #expect(executable.kind == .regularFile(.hostFile(path: fixture.executable)))
        #expect(executable.mode == 0o755)
    }

    @Test func anImageFromScratchRunsAsNonrootWithAPath() throws {
        let fixture = try Fixture()
        let recipe = try fixture.planner().plan(settings: ImageSettings(), creationTime: 42)
        #expect(recipe.defaultUser == "65532:65532")
        #expect(recipe.defaultEnvironment == [EnvironmentVariable(name: "PATH", value: SystemFiles.path)])
        #expect(recipe.settings.entrypoint == ["/usr/local/bin/hello"])
        #expect(recipe.creationTime == 42)
    }

    @Test func onABaseImageOnlyTheResourcesAndTheExecutableAreAdded() throws {
        let fixture = try Fixture()
        let recipe = try fixture.planner(additions: [fixture.resources], selfContained: false).plan(settings: ImageSettings(), creationTime: 0)
        #expect(recipe.layers.map(\.createdBy) == ["stevedore: add /srv/public", "stevedore: executable /usr/local/bin/hello"])
        #expect(recipe.defaultUser == nil, "the base image's user stays")
        #expect(recipe.defaultEnvironment == [], "the base image's environment stays")
    }

    @Test func withoutResourcesThereIsNoResourceLayer() throws {
        let fixture = try Fixture()
        let recipe = try fixture.planner().plan(settings: ImageSettings(), creationTime: 0)
        #expect(recipe.layers.count == 2)
        #expect(recipe.layers.last?.createdBy == "stevedore: executable /usr/local/bin/hello")
    }

    @Test func aStaticExecutableNeedsNoLibraries() throws {
        let fixture = try Fixture(flags: ["-static", "-lz"])
        let recipe = try fixture.planner().plan(settings: ImageSettings(), creationTime: 0)
        #expect(recipe.layers.first?.createdBy == "stevedore: 0 runtime libraries and system files")
        let paths = Self.paths(try #require(recipe.layers.first))
        #expect(!paths.contains { $0.contains(".so") }, "\(paths)")
        #expect(paths.contains("etc/passwd"))
    }

    @Test func anEntrypointGivenIsKeptAndTheInstallDirectoryCanChange() throws {
        let fixture = try Fixture()
        var planner = try fixture.planner(selfContained: false)
        planner.installDirectory = "/app"
        var settings = ImageSettings()
        settings.entrypoint = ["/app/hello", "--serve"]
        let recipe = try planner.plan(settings: settings, creationTime: 0)
        #expect(planner.imageExecutablePath == "/app/hello")
        #expect(recipe.settings.entrypoint == ["/app/hello", "--serve"])
        #expect(Self.paths(try #require(recipe.layers.last)) == ["app", "app/hello"])
    }

    @Test func thePlatformComesFromTheExecutable() throws {
        let fixture = try Fixture()
        let recipe = try fixture.planner().plan(settings: ImageSettings(), creationTime: 0)
        #expect(recipe.platform == Platform.host)
    }

    @Test("a --platform that agrees is used, normalised", .enabled(if: Platform.host == Platform(os: "linux", architecture: "amd64")),
          arguments: ["linux/amd64", "linux/x86_64"])
    func agreeingPlatform(requested: String) throws {
        let fixture = try Fixture()
        let recipe = try fixture.planner(selfContained: false, platform: requested).plan(settings: ImageSettings(), creationTime: 0)
        #expect(recipe.platform == Platform(os: "linux", architecture: "amd64"))
    }

    @Test("a --platform that disagrees with the executable is an error naming both", .enabled(if: Platform.host == Platform(os: "linux", architecture: "amd64")),
          arguments: ["linux/arm64", "linux/arm/v7", "linux/386"])
    func disagreeingPlatform(requested: String) throws {
        let fixture = try Fixture()
        let planner = try fixture.planner(selfContained: false, platform: requested)
        let error = #expect(throws: (any Error).self) { try planner.plan(settings: ImageSettings(), creationTime: 0) }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains(requested), "\(message)")
        #expect(message.contains("linux/amd64"), "\(message)")
        #expect(message.contains(fixture.executable), "\(message)")
    }

    @Test("inputs that cannot become an image", arguments: [("missing", "does not exist"), ("script", "a script?")])
    func unusableExecutable(kind: String, fragment: String) throws {
        let directory = try TemporaryDirectory("stevedore-planner")
        let path = try kind == "script" ? directory.write("run.sh", "#!/bin/sh\necho hi\n", mode: 0o755) : directory.appending("missing")
        let planner = ExecutableImagePlanner(executablePath: path, additions: [], selfContained: true, requestedPlatform: nil)
        do {
            _ = try planner.plan(settings: ImageSettings(), creationTime: 0)
            Issue.record("planning \(kind) succeeded")
        } catch {
            #expect("\(error)".contains(path), "\(error)")
            #expect("\(error)".contains(fragment), "\(error)")
        }
    }
}

import Foundation
import StevedoreTestSupport
import Testing

extension PluginTests {
    @Suite struct BuildImage {
        @Test func helloServerImageValidatesAndServesUnderPodman() throws {
            let package = try PluginFixture.helloServer()
            let commit = try PluginFixture.head(of: package)
            // Nothing of an earlier run is left: the layout below can only come from this build.
            try #require(!FileManager.default.fileExists(atPath: package + "/.build"))
            let first = try PluginFixture.swiftPackage(["build-image", "--expose", "8080"], in: package)
            try #require(first.status == 0, "build-image failed:\n\(first.output)")
            let digest = try #require(PluginFixture.builtDigest(in: first.output), "no digest in:\n\(first.output)")
            #expect(first.output.contains("containers-storage:localhost/helloserver:latest && podman run --rm -p 8080:8080 localhost/helloserver:latest"), "\(first.output)")
            #expect(!first.output.contains("timing:"), "timing lines without --verbose:\n\(first.output)")
            let layout = package + "/.build/stevedore/oci/HelloServer"

            // Same commit, built again: the same digest; with --verbose, one timing line per phase.
            let second = try PluginFixture.swiftPackage(["build-image", "--expose", "8080", "--verbose"], in: package)
            try #require(second.status == 0, "second build-image failed:\n\(second.output)")
            #expect(PluginFixture.builtDigest(in: second.output) == digest)
            for phase in ["tool check", "product build", "provenance", "layer planning", "layers", "write"] {
                #expect(second.output.contains("timing: \(phase) "), "no timing line for \(phase):\n\(second.output)")
            }
            #expect(PluginFixture.firstMatch(of: #"timing: layers [0-9.]+ s \((0) written, [1-9][0-9]* reused\)"#, in: second.output) == "0", "\(second.output)")
            // On Linux the plugin builds the tool itself and the product beside it, each in a scratch directory of its
            // own inside SwiftPM's (so that SwiftPM keeps each one's build plan).
            #expect(second.output.contains("`swift build --product stevedore` took "), "\(second.output)")
            #expect(FileManager.default.isExecutableFile(atPath: PluginFixture.scratch + "/stevedore/tool/debug/stevedore"))
            #expect(FileManager.default.isExecutableFile(atPath: PluginFixture.scratch + "/stevedore/products/host/release/HelloServer"))

            // The OCI tools accept it.
            let validate = try ProcessRunner.run(["oci-image-tool", "validate", "--type", "image", "--ref", "name=latest", layout])
            #expect(validate.status == 0, "\(validate.output)")
            let unpackDirectory = try TemporaryDirectory("plugin-umoci")
            let bundle = unpackDirectory.appending("bundle")
            let unpack = try ProcessRunner.run(["umoci", "unpack", "--image", "\(layout):latest", bundle])
            try #require(unpack.status == 0, "\(unpack.output)")
            let rootfs = bundle + "/rootfs"
            #expect(FileManager.default.isExecutableFile(atPath: rootfs + "/usr/local/bin/HelloServer"))
            #expect(FileManager.default.fileExists(atPath: rootfs + "/usr/local/bin/HelloServer_HelloServer.resources/index.html"))

            // Labels and timestamps come from the commit.
            let config = try PluginFixture.json(try ProcessRunner.run(["skopeo", "inspect", "--config", "oci:\(layout):latest"]))
            let labels = (config["config"] as? [String: Any])?["Labels"] as? [String: String] ?? [:]
            #expect(labels["org.opencontainers.image.revision"] == commit)
            #expect(labels["org.opencontainers.image.source"] == "https://github.com/Acme/Hello")
            #expect(labels["org.opencontainers.image.created"] == PluginFixture.commitDate)
            #expect((config["created"] as? String)?.hasPrefix("2023-11-14T22:13:20") == true)

            // podman runs it; /up answers 200 and / serves the bundled page. (podman names an image read from a
            // layout after its path, which must be lowercase: run a copy.)
            let podman = try PluginPodman()
            let runnable = "/tmp/plugin-image-\(UUID().uuidString.prefix(8).lowercased())"
            try FileManager.default.copyItem(atPath: layout, toPath: runnable)
            defer { try? FileManager.default.removeItem(atPath: runnable) }
            // The server cannot bind port 0 and report it (its output is buffered in the container): a port free a
            // moment ago, and another one if the server exits because something took that port meanwhile.
            var port = 0
            var server: BackgroundProcess?
            var name = ""
            defer {
                if let server {
                    _ = try? podman.run(["rm", "-f", "-t", "1", name])
                    server.stop()
                }
            }
            var up: ProcessResult?
            for _ in 0..<3 where up == nil {
                if let server {
                    _ = try? podman.run(["rm", "-f", "-t", "1", name])
                    server.stop()
                }
                port = try BackgroundProcess.freePort()
                name = "plugin-hello-\(UUID().uuidString.prefix(8).lowercased())"
                // In the foreground: a detached `podman run -d` leaves conmon holding descriptors that keep
                // Foundation from noticing podman's exit.
                let started = try BackgroundProcess(
                    podman.command(["run", "--rm", "--name", name, "--network=host", "-e", "PORT=\(port)", "oci:\(runnable):latest"]),
                    logPath: podman.storage.appending("server.log"))
                server = started
                for _ in 0..<150 where started.isRunning {
                    let attempt = try ProcessRunner.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/up"], timeout: 5)
                    if attempt.stdout == "200" { up = attempt; break }
                    usleep(200_000)
                }
            }
            #expect(up?.stdout == "200", "the server did not answer /up with 200; podman's log:\n\(server?.log ?? "")")
            let page = try ProcessRunner.run(["curl", "-fsS", "http://127.0.0.1:\(port)/"], timeout: 10)
            #expect(page.status == 0 && page.stdout.contains("Hello from a Swift server"), "\(page.output)")
            #expect(try ProcessRunner.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/missing"], timeout: 5).stdout == "404")
        }

        @Test func helpSaysHowToGrantPermissions() throws {
            let package = try PluginFixture.helloServer()
            for verb in ["build-image", "push-image"] {
                let help = try PluginFixture.swiftPackage([verb, "--help"], in: package)
                #expect(help.status == 0, "\(help.output)")
                #expect(help.output.contains("--allow-writing-to-package-directory"))
                #expect(help.output.contains("--disable-sandbox"))
                #expect(help.output.contains("--static-swift-stdlib"))
                if verb == "push-image" { #expect(help.output.contains("--allow-network-connections all")) }
            }
        }
    }
}

/// podman with the settings these machines need, its storage in a temporary directory.
struct PluginPodman {
    let storage: TemporaryDirectory
    let runRoot: String

    init() throws {
        storage = try TemporaryDirectory("plugin-podman")
        runRoot = "/tmp/pr-\(UUID().uuidString.prefix(8))"
    }

    func run(_ arguments: [String]) throws -> ProcessResult {
        try Podman.runRetryingLostExitCode(command(arguments), timeout: 300)
    }

    /// The full podman command line for `arguments`.
    func command(_ arguments: [String]) -> [String] {
        let global = ["podman", "--root", storage.appending("root"), "--runroot", runRoot, "--runtime", "runc",
                      "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file"]
        var command = arguments
        if command.first == "run" {
            command.insert(contentsOf: ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"], at: 1)
        }
        return global + command
    }
}

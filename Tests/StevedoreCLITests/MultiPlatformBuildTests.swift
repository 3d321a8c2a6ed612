import Foundation
import StevedoreTestSupport
import Testing

/// Issue 11: one index for amd64 and arm64, from one build or joined from per-runner images, judged by skopeo,
/// oci-image-tool, podman, umoci and qemu.
@Suite(.serialized, .dedicatedThread)
struct MultiPlatformBuildTests {
    static let epoch = ["--source-date-epoch", "1700000000"]

    static func platforms(ofIndex raw: String) -> [String] {
        let manifests = json(raw)["manifests"] as? [[String: Any]] ?? []
        return manifests.map { entry in
            let platform = entry["platform"] as? [String: Any] ?? [:]
            return "\(platform["os"] as? String ?? "")/\(platform["architecture"] as? String ?? "")"
        }
    }

    @Test("one build of an amd64 and an arm64 executable is one index that podman, umoci and qemu accept", .timeLimit(.minutes(15)))
    func oneBuildTwoPlatforms() throws {
        let amd64 = try Fixtures.cProgram.get(), arm64 = try Fixtures.cProgramARM64.get()
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        let work = try TemporaryDirectory("multi-platform")
        let layout = work.appending("layout")
        let reference = "\(env.address)/team/multi:v1"
        let build = try env.stevedore(
            ["build", "--executable", amd64, "--executable", "linux/arm64=\(arm64)", "--output", "oci-layout:\(layout):v1", "--push", reference,
             "--annotation", "org.opencontainers.image.title=hello"] + Self.epoch + env.trustArguments + env.credentialArguments(),
            stdin: env.password
        )
        #expect(build.status == 0, "\(build.output)")
        let indexDigest = try #require(digest(of: build))

        // The layout: an index of two platform manifests, valid for oci-image-tool.
        let rawLayout = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(layout):v1"])
        #expect(json(rawLayout.stdout)["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
        #expect(Self.platforms(ofIndex: rawLayout.stdout) == ["linux/amd64", "linux/arm64"])
        #expect((json(rawLayout.stdout)["annotations"] as? [String: String])?["org.opencontainers.image.title"] == "hello")
        let indexFile = "\(layout)/blobs/sha256/\(indexDigest.replacingOccurrences(of: "sha256:", with: ""))"
        let validate = try ProcessRunner.run(["oci-image-tool", "validate", "--type", "imageIndex", indexFile])
        #expect(validate.status == 0, "\(validate.output)")
        let verify = try StevedoreBinary.run(["verify", "oci-layout:\(layout):v1"])
        #expect(verify.status == 0 && verify.stdout.contains("2 manifests"), "\(verify.output)")

        // The registry holds the same index.
        let rawRegistry = try env.skopeo(["inspect", "--raw"] + env.skopeoArguments() + ["docker://\(reference)"])
        #expect(rawRegistry.status == 0, "\(rawRegistry.output)")
        #expect(rawRegistry.stdout.data(using: .utf8) == rawLayout.stdout.data(using: .utf8))
        let manifests = json(rawRegistry.stdout)["manifests"] as? [[String: Any]] ?? []
        let childDigests = manifests.compactMap { $0["digest"] as? String }
        #expect(childDigests.count == 2)

        // podman picks each platform's manifest from the index (its RepoDigests name the index and that manifest).
        let podman = try Podman()
        for (arch, expected) in zip(["amd64", "arm64"], childDigests) {
            let pull = try podman.podman(["pull", "-q", "--arch", arch, "--cert-dir", env.certificates?.skopeoCertDirectory ?? "", "--creds", "\(env.user):\(env.password)", reference])
            #expect(pull.status == 0, "\(pull.output)")
            let id = pull.stdout.split(separator: "\n").last.map(String.init) ?? ""
            let pulled = try podman.podman(["image", "inspect", "--format", "{{.Architecture}} {{json .RepoDigests}}", id])
            let other = childDigests.first { $0 != expected } ?? ""
            #expect(pulled.stdout.hasPrefix("\(arch) ") && pulled.stdout.contains(expected) && !pulled.stdout.contains(other), "\(pulled.output)")
        }
        // The amd64 child runs under podman; the arm64 one, unpacked, runs under qemu.
        let run = try podman.run("oci:\(layout):v1", runFlags: ["--arch", "amd64"])
        #expect(run.status == 0 && run.stdout.contains("hello from c with zlib"), "\(run.output)")
        let arm64Layout = work.appending("arm64")
        try TestLayouts.check(ProcessRunner.run(["skopeo", "copy", "--override-arch", "arm64", "oci:\(layout):v1", "oci:\(arm64Layout):v1"]))
        let bundle = work.appending("bundle")
        try TestLayouts.check(ProcessRunner.run(["umoci", "unpack", "--rootless", "--image", "\(arm64Layout):v1", bundle]))
        let rootfs = "\(bundle)/rootfs"
        let qemu = try ProcessRunner.run(["qemu-aarch64-static", "-L", rootfs, "\(rootfs)/usr/local/bin/hello-c"])
        #expect(qemu.status == 0 && qemu.stdout.contains("hello from c with zlib"), "\(qemu.output)")
    }

    @Test("index create from two single-platform images pushed separately gives the one-build index digest", .timeLimit(.minutes(10)))
    func indexCreateMatchesOneBuild() throws {
        let amd64 = try Fixtures.cProgram.get(), arm64 = try Fixtures.cProgramARM64.get()
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let work = try TemporaryDirectory("index-create")
        let oneBuild = try env.stevedore(["build", "--executable", amd64, "--executable", arm64, "--output", "oci-layout:\(work.appending("one")):v1"] + Self.epoch)
        #expect(oneBuild.status == 0, "\(oneBuild.output)")
        // The CI-matrix way: each runner pushes its platform under its own tag; a last job joins them.
        for (executable, tag) in [(arm64, "v1-arm64"), (amd64, "v1-amd64")] {
            let push = try env.stevedore(["build", "--executable", executable, "--push", "\(env.address)/team/app:\(tag)"] + Self.epoch)
            #expect(push.status == 0, "\(push.output)")
        }
        let join = try env.stevedore(["index", "create", "--push", "\(env.address)/team/app:v1", "--output", "oci-layout:\(work.appending("joined")):v1",
                                      "\(env.address)/team/app:v1-arm64", "\(env.address)/team/app:v1-amd64"])
        #expect(join.status == 0, "\(join.output)")
        #expect(digest(of: join) != nil)
        #expect(digest(of: join) == digest(of: oneBuild))
        #expect(try env.skopeoDigest("\(env.address)/team/app:v1") == digest(of: oneBuild))
        // Flattening: an index and an image of another platform... and a duplicate platform is an error naming both.
        let duplicate = try env.stevedore(["index", "create", "--output", "oci-layout:\(work.appending("dup")):v1",
                                           "oci-layout:\(work.appending("one")):v1", "\(env.address)/team/app:v1-amd64"])
        #expect(duplicate.status == 65, "\(duplicate.output)")
        #expect(duplicate.stderr.contains("both have an image for linux/amd64"), "\(duplicate.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work.appending("dup/index.json")))
    }

    @Test("inspect lists an index's platforms and --platform picks one; a docker-archive of several platforms is refused")
    func inspectAndRefusals() throws {
        let amd64 = try Fixtures.cProgram.get(), arm64 = try Fixtures.cProgramARM64.get()
        let work = try TemporaryDirectory("multi-inspect")
        let layout = work.appending("layout")
        #expect(try StevedoreBinary.run(["build", "--executable", amd64, "--executable", arm64, "--output", "oci-layout:\(layout):v1", "--quiet"]).status == 0)
        let inspect = try StevedoreBinary.run(["inspect", "oci-layout:\(layout):v1"])
        #expect(inspect.status == 0, "\(inspect.output)")
        #expect(inspect.stdout.contains("Platforms (2"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("linux/amd64") && inspect.stdout.contains("linux/arm64"), "\(inspect.stdout)")
        let one = try StevedoreBinary.run(["inspect", "oci-layout:\(layout):v1", "--platform", "linux/arm64"])
        #expect(one.status == 0 && one.stdout.contains("Platform      linux/arm64"), "\(one.output)")

        let archive = try StevedoreBinary.run(["build", "--executable", amd64, "--executable", arm64, "--output", "docker-archive:\(work.appending("x.tar"))"])
        #expect(archive.status != 0)
        #expect(archive.stderr.contains("cannot hold a multi-platform image"), "\(archive.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work.appending("x.tar")))
        let twice = try StevedoreBinary.run(["build", "--executable", amd64, "--executable", "linux/amd64=\(amd64)", "--output", "oci-layout:\(work.appending("twice"))"])
        #expect(twice.status == 65 && twice.stderr.contains("are both for linux/amd64"), "\(twice.output)")
        let wrong = try StevedoreBinary.run(["build", "--executable", "linux/arm64=\(amd64)", "--output", "oci-layout:\(work.appending("wrong"))"])
        #expect(wrong.status == 65 && wrong.stderr.contains("does not match"), "\(wrong.output)")
    }

    /// `--sysroot`: a foreign executable's libraries found in an unpacked root instead of the host's directories.
    @Test("--sysroot finds an arm64 executable's libraries in a root file system")
    func sysrootFindsLibraries() throws {
        let arm64 = try Fixtures.cProgramARM64.get()
        let work = try TemporaryDirectory("sysroot")
        // A minimal arm64 root: the loader, libc and zlib copied from the host's multiarch directories.
        let root = work.appending("root")
        try TestLayouts.check(ProcessRunner.run(["sh", "-c", """
            set -e
            mkdir -p '\(root)/lib/aarch64-linux-gnu' '\(root)/lib'
            cp -L /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 '\(root)/lib/'
            cp -L /usr/aarch64-linux-gnu/lib/libc.so.6 '\(root)/lib/aarch64-linux-gnu/'
            cp -L /lib/aarch64-linux-gnu/libz.so.1 '\(root)/lib/aarch64-linux-gnu/'
            """]))
        let build = try StevedoreBinary.run(["build", "--executable", arm64, "--sysroot", "linux/arm64=\(root)", "--output", "oci-layout:\(work.appending("layout")):v1", "--verbose"])
        #expect(build.status == 0, "\(build.output)")
        let bundle = work.appending("bundle")
        try TestLayouts.check(ProcessRunner.run(["umoci", "unpack", "--rootless", "--image", "\(work.appending("layout")):v1", bundle]))
        let qemu = try ProcessRunner.run(["qemu-aarch64-static", "-L", "\(bundle)/rootfs", "\(bundle)/rootfs/usr/local/bin/hello-c"])
        #expect(qemu.status == 0 && qemu.stdout.contains("hello from c with zlib"), "\(qemu.output)")
        // An empty root has no loader: the error says where it looked.
        try FileManager.default.createDirectory(atPath: work.appending("empty"), withIntermediateDirectories: true)
        let empty = try StevedoreBinary.run(["build", "--executable", arm64, "--sysroot", work.appending("empty"), "--output", "oci-layout:\(work.appending("none"))"])
        #expect(empty.status != 0 && empty.stderr.contains(work.appending("empty")), "\(empty.output)")
    }
}

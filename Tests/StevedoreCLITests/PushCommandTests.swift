import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreTestSupport
import Testing

/// `stevedore push`, `pull`, `copy` and `login` against Debian's docker-registry, checked with skopeo and umoci.
@Suite(.serialized, .dedicatedThread)
struct PushCommandTests {
    @Test("push, then skopeo and umoci read it; pull what skopeo pushed", arguments: RegistrySetup.allCases)
    func pushAndPullRoundTrip(setup: RegistrySetup) throws {
        let env = try RegistryTestEnvironment(setup)
        defer { env.stop() }
        let work = env.directory
        let image = try TestLayouts.make(at: work.appending("source"), tag: "v1", layers: [
            .init(randomFiles: ["data/blob.bin": 700_000]),
            .init(files: ["hello.txt": "hello from stevedore \(setup)\n"]),
        ])
        let target = "\(env.address)/team/app"
        let digestFile = work.appending("digest.txt")
        var outputs = ""

        let push = try env.stevedore(
            ["push", "oci-layout:\(work.appending("source")):v1", "\(target):v1", "--tag", "extra", "--digest-file", digestFile]
                + env.trustArguments + env.credentialArguments(),
            stdin: env.needsCredentials ? env.password + "\n" : nil
        )
        outputs += push.output
        #expect(push.status == 0, "\(push.output)")
        let pinned = "\(target):v1@\(image.manifestDescriptor.digest)"
        #expect(push.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == pinned)
        #expect((try? String(contentsOfFile: digestFile, encoding: .utf8)) == pinned + "\n")

        // skopeo sees the same manifest under both tags.
        #expect(try env.skopeoDigest("\(target):v1") == image.manifestDescriptor.digest.description)
        #expect(try env.skopeoDigest("\(target):extra") == image.manifestDescriptor.digest.description)

        // skopeo copies it to an OCI layout unchanged, and umoci unpacks it.
        let copy = try env.skopeo(["copy"] + env.skopeoArguments(side: "src") + ["docker://\(target):v1", "oci:\(work.appending("copy")):v1"])
        #expect(copy.status == 0, "\(copy.output)")
        let copied = try OCILayout(path: work.appending("copy"), create: false).resolve(tag: "v1")
        #expect(copied.digest == image.manifestDescriptor.digest)
        let unpack = try ProcessRunner.run(["umoci", "unpack", "--rootless", "--image", "\(work.appending("copy")):v1", work.appending("bundle")])
        #expect(unpack.status == 0, "\(unpack.output)")
        #expect((try? String(contentsOfFile: work.appending("bundle/rootfs/hello.txt"), encoding: .utf8)) == "hello from stevedore \(setup)\n")

        // An image skopeo pushed pulls with identical digests.
        let other = try TestLayouts.make(at: work.appending("other"), tag: "v2", layers: [
            .init(randomFiles: ["other.bin": 300_000]), .init(files: ["etc/other.txt": "other\n"]),
        ])
        let skopeoPush = try env.skopeo(["copy"] + env.skopeoArguments(side: "dest") + ["oci:\(work.appending("other")):v2", "docker://\(env.address)/team/other:v2"])
        #expect(skopeoPush.status == 0, "\(skopeoPush.output)")
        let skopeoDigest = try env.skopeoDigest("\(env.address)/team/other:v2")
        #expect(skopeoDigest == other.manifestDescriptor.digest.description)
        let pull = try env.stevedore(
            ["pull", "\(env.address)/team/other:v2", "oci-layout:\(work.appending("pulled")):v2", "--verbose"] + env.trustArguments + env.credentialArguments(),
            stdin: env.needsCredentials ? env.password : nil
        )
        outputs += pull.output
        #expect(pull.status == 0, "\(pull.output)")
        #expect(pull.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "oci-layout:\(work.appending("pulled")):v2@\(skopeoDigest ?? "")")
        let pulled = try OCILayout(path: work.appending("pulled"), create: false)
        #expect(try pulled.resolve(tag: "v2").digest == other.manifestDescriptor.digest)
        for descriptor in [other.manifest.config] + other.manifest.layers {
            #expect(try TestLayouts.digest(ofFile: pulled.store.path(for: descriptor.digest)) == descriptor.digest)
        }

        // Pulling again moves nothing and gives the same answer.
        let again = try env.stevedore(
            ["pull", "\(env.address)/team/other:v2", "oci-layout:\(work.appending("pulled")):v2"] + env.trustArguments + env.credentialArguments(),
            stdin: env.needsCredentials ? env.password : nil
        )
        outputs += again.output
        #expect(again.stdout == pull.stdout)
        #expect(again.stderr.contains("already present"))

        // No secret in anything stevedore printed, even with --verbose.
        if env.needsCredentials {
            #expect(!outputs.contains(env.password))
            #expect(!outputs.contains("eyJ"), "a JWT appeared in the output")
        }
    }

    @Test("a registry with a private CA is refused until --ca-file or SSL_CERT_FILE names the CA")
    func transportSecurity() throws {
        let env = try RegistryTestEnvironment(.basicTLS)
        defer { env.stop() }
        try TestLayouts.make(at: env.directory.appending("source"), tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
        let untrusted = try env.stevedore(
            ["push", "oci-layout:\(env.directory.appending("source")):v1", "\(env.address)/app:v1"] + env.credentialArguments(),
            stdin: env.password
        )
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.hasPrefix("error: "))
        #expect(untrusted.stderr.contains("--ca-file"), "\(untrusted.stderr)")
        let viaEnvironment = try env.stevedore(
            ["push", "oci-layout:\(env.directory.appending("source")):v1", "\(env.address)/app:v1", "--quiet"] + env.credentialArguments(),
            stdin: env.password, environment: ["SSL_CERT_FILE": env.certificates?.caCertificate]
        )
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.output)")
        #expect(viaEnvironment.stderr.isEmpty, "--quiet printed: \(viaEnvironment.stderr)")
    }

    /// Exit codes follow CommandFailure: 77 for refused credentials or permission, 66 for what does not exist.
    @Test("wrong password, pull-only credentials, unknown repository and unknown tag give specific errors")
    func authenticationAndLookupErrors() throws {
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        let source = env.directory.appending("source")
        try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
        var outputs = ""

        let wrong = try env.stevedore(["push", "oci-layout:\(source):v1", "\(env.address)/team/app:v1"] + env.trustArguments + env.credentialArguments(), stdin: "not-the-password")
        outputs += wrong.output
        #expect(wrong.status == 77, "credentials refused")
        #expect(wrong.stderr.hasPrefix("error: "))
        #expect(wrong.stderr.contains("refused user 'alice'"), "\(wrong.stderr)")

        let readOnly = try env.stevedore(
            ["push", "oci-layout:\(source):v1", "\(env.address)/team/app:v1"] + env.trustArguments + env.credentialArguments(user: env.reader),
            stdin: env.readerPassword
        )
        outputs += readOnly.output
        #expect(readOnly.status == 77, "permission denied")
        #expect(readOnly.stderr.contains("denied user 'reader'"), "\(readOnly.stderr)")
        #expect(readOnly.stderr.contains("push to team/app"), "\(readOnly.stderr)")

        let pushed = try env.stevedore(["push", "oci-layout:\(source):v1", "\(env.address)/team/app:v1"] + env.trustArguments + env.credentialArguments(), stdin: env.password)
        outputs += pushed.output
        #expect(pushed.status == 0, "\(pushed.output)")

        let unknownRepository = try env.stevedore(
            ["pull", "\(env.address)/team/nothing:v1", "oci-layout:\(env.directory.appending("out"))"] + env.trustArguments + env.credentialArguments(user: env.reader),
            stdin: env.readerPassword
        )
        outputs += unknownRepository.output
        #expect(unknownRepository.status == 66, "not found")
        #expect(unknownRepository.stderr.contains("repository team/nothing does not exist"), "\(unknownRepository.stderr)")

        let unknownTag = try env.stevedore(
            ["pull", "\(env.address)/team/app:nope", "oci-layout:\(env.directory.appending("out"))"] + env.trustArguments + env.credentialArguments(user: env.reader),
            stdin: env.readerPassword
        )
        outputs += unknownTag.output
        #expect(unknownTag.status == 66, "not found")
        #expect(unknownTag.stderr.contains("has no tag 'nope'"), "\(unknownTag.stderr)")

        let anonymous = try env.stevedore(["pull", "\(env.address)/team/app:v1", "oci-layout:\(env.directory.appending("out"))"] + env.trustArguments)
        #expect(anonymous.status == 77, "credentials needed")
        #expect(anonymous.stderr.contains("needs credentials"), "\(anonymous.stderr)")

        for secret in [env.password, env.readerPassword, "eyJ"] {
            #expect(!outputs.contains(secret))
        }
    }

    @Test("login stores docker-style credentials (0600) that later commands use")
    func loginThenPush() throws {
        let env = try RegistryTestEnvironment(.basicTLS)
        defer { env.stop() }
        let bad = try env.stevedore(["login", env.address, "--username", env.user, "--password-stdin"] + env.trustArguments, stdin: "wrong")
        #expect(bad.status == 77, "credentials refused")
        #expect(bad.stderr.contains("refused"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: env.directory.appending("home/.docker/config.json")))

        let login = try env.stevedore(["login", env.address, "--username", env.user, "--password-stdin"] + env.trustArguments, stdin: env.password)
        #expect(login.status == 0, "\(login.output)")
        #expect(!login.output.contains(env.password))
        let configPath = env.directory.appending("home/.docker/config.json")
        let attributes = try FileManager.default.attributesOfItem(atPath: configPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as? [String: Any]
        let auth = ((config?["auths"] as? [String: Any])?[env.address] as? [String: Any])?["auth"] as? String
        #expect(auth == Data("\(env.user):\(env.password)".utf8).base64EncodedString())

        try TestLayouts.make(at: env.directory.appending("source"), tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
        let push = try env.stevedore(["push", "oci-layout:\(env.directory.appending("source")):v1", "\(env.address)/app:v1"] + env.trustArguments)
        #expect(push.status == 0, "\(push.output)")
    }

    @Test("an image built --from a registry base into a layout records the base, and its push mounts the base layers; it runs under podman")
    func baseLayersAreMounted() async throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let work = env.directory
        let baseReference = "\(env.address)/library/busybox:1"
        let baseDigestText = try Self.pushBusyboxBase(env, to: baseReference)
        let baseManifest = json(try env.skopeo(["inspect", "--raw"] + env.skopeoArguments() + ["docker://\(baseReference)"]).stdout)
        let baseLayers = (baseManifest["layers"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String }
        try #require(!baseLayers.isEmpty, "\(baseManifest)")

        // Build on the base with --from into a layout: the base's layers come first, and the layout records the base.
        let app = work.appending("app")
        let file = try work.write("hello.txt", "stevedore was here\n")
        let build = try env.stevedore(["build", "--from", baseReference, "--add", "\(file):/hello.txt", "--output", "oci-layout:\(app):app"])
        try #require(build.status == 0, "\(build.output)")
        let image = try await OCILayout(path: app, create: false).image(tag: "app").loadImage(platform: nil)
        #expect(image.manifest.layers.map(\.digest.description).prefix(baseLayers.count) == baseLayers[...])
        #expect(image.manifest.layers.count == baseLayers.count + 1)
        #expect(image.manifest.annotations?[AnnotationKey.baseName] == baseReference)
        #expect(image.manifest.annotations?[AnnotationKey.baseDigest] == baseDigestText)

        let push = try env.stevedore(["push", "oci-layout:\(app):app", "\(env.address)/team/app:1"])
        #expect(push.status == 0, "\(push.output)")
        #expect(push.stderr.contains("mounted \(baseLayers.count)"), "\(push.stderr)")
        #expect(env.registry.requestCount(method: "POST", uriContaining: "mount=", status: 201) == baseLayers.count)
        for layer in baseLayers {
            #expect(env.registry.requestCount(method: "PUT", uriContaining: "/v2/team/app/blobs/uploads/", String(layer.dropFirst("sha256:".count))) == 0, "base layer \(layer) was uploaded")
        }

        // podman runs it: the base's shell and our file are both there.
        let podman = try Self.podmanRun(env, "\(env.address)/team/app:1", ["/bin/sh", "-c", "cat /hello.txt"])
        #expect(podman.status == 0, "\(podman.output)")
        #expect(podman.stdout.contains("stevedore was here"), "\(podman.output)")
    }

    @Test("stevedore build --from a registry base --push to the same registry: mounted, and it runs under podman")
    func buildFromRegistryBase() throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let baseReference = "\(env.address)/library/busybox:1"
        _ = try Self.pushBusyboxBase(env, to: baseReference)
        let mountsBefore = env.registry.requestCount(method: "POST", uriContaining: "mount=", status: 201)
        let file = try env.directory.write("hello.txt", "built on busybox\n")
        let build = try env.stevedore(["build", "--from", baseReference, "--add", "\(file):/hello.txt", "--push", "\(env.address)/team/built:1"])
        #expect(build.status == 0, "\(build.output)")
        #expect(build.stdout.contains("\(env.address)/team/built:1@sha256:"), "\(build.stdout)")
        #expect(digest(of: build) == (try env.skopeoDigest("\(env.address)/team/built:1")), "the printed digest is the one skopeo reads")
        #expect(env.registry.requestCount(method: "POST", uriContaining: "mount=", status: 201) - mountsBefore == 1, "\(env.registry.log)")
        #expect(env.registry.requestCount(method: "PUT", uriContaining: "/v2/team/built/blobs/uploads/") == 2 + 2, "our layer and the configuration only, and the attached SBOM's two blobs (the document and the empty configuration)")
        let podman = try Self.podmanRun(env, "\(env.address)/team/built:1", ["/bin/sh", "-c", "cat /hello.txt"])
        #expect(podman.status == 0, "\(podman.output)")
        #expect(podman.stdout.contains("built on busybox"), "\(podman.output)")
    }

    @Test("a registry that keeps failing makes the push fail within its time bound, naming registry, request and status")
    func pushGivesUpWithinTimeBound() throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [
            .status(503, method: "HEAD", pathContains: "/blobs/", times: -1),
        ])
        defer { proxy.stop() }
        let source = env.directory.appending("source")
        try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
        let push = try env.stevedore(["push", "oci-layout:\(source):v1", "\(proxy.address)/team/app:v1", "--timeout", "3", "--retries", "100"])
        #expect(push.status == 1)
        // The time bound stopped it, not the number of tries: far fewer than the hundred allowed were made (a
        // count, not a clock, so a busy machine cannot fail it), and the error below says it was the bound.
        #expect(proxy.faultCount > 0 && proxy.faultCount < 100, "\(proxy.faultCount) tries:\n\(proxy.log)")
        let lines = push.stderr.split(separator: "\n")
        let error = lines.last.map(String.init) ?? ""
        #expect(error.hasPrefix("error: gave up on \(proxy.address) after"), "\(push.stderr)")
        #expect(error.contains("HEAD /v2/team/app/blobs/sha256:"), "\(error)")
        #expect(error.contains("503 Service Unavailable"), "\(error)")
    }

    @Test("copy between repositories of one registry mounts every blob")
    func copyMountsWithinRegistry() throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let source = env.directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(randomFiles: ["b.bin": 100_000])])
        let first = try env.stevedore(["copy", "oci-layout:\(source):v1", "\(env.address)/team/one:v1"])
        #expect(first.status == 0, "\(first.output)")
        let copy = try env.stevedore(["copy", "\(env.address)/team/one:v1", "\(env.address)/team/two"])
        #expect(copy.status == 0, "\(copy.output)")
        #expect(copy.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(env.address)/team/two:v1@\(image.manifestDescriptor.digest)")
        #expect(env.registry.requestCount(method: "POST", uriContaining: "mount=", status: 201) == 2)
    }

    /// Makes a one-layer busybox image with umoci and pushes it with skopeo; returns its manifest digest.
    /// Issue 9, item 5: a registry that takes a whole upload and never answers used to hold the push for the
    /// transport's ten-minute read timeout; the idle timeout now turns the silence into a retry.
    @Test("a registry that takes a blob and never answers: the idle timeout turns the silence into a retry")
    func silentRegistryIsRetried() throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [
            .silence(method: "PUT", pathContains: "/blobs/uploads/", times: 1),
        ])
        defer { proxy.stop() }
        let source = env.directory.appending("source")
        try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
        let push = try env.stevedore(
            ["push", "oci-layout:\(source):v1", "\(proxy.address)/team/app:v1", "--timeout", "120"],
            environment: ["STEVEDORE_REGISTRY_IDLE_TIMEOUT": "2"]
        )
        #expect(push.status == 0, "\(push.output)")
        #expect(proxy.log.contains("-> FAULT silence"), "\(proxy.log)")
        #expect(try env.skopeoDigest("\(env.address)/team/app:v1")?.hasPrefix("sha256:") == true)
    }

    /// Issue 9, item 3: a registry that declines a cross-repository mount (202, e.g. no pull right on the source)
    /// gets the layer uploaded; a base layer that was never downloaded streams from the base's repository.
    @Test("a declined mount becomes an upload streamed from the base's repository")
    func declinedMountStreamsFromTheOrigin() throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        _ = try Self.pushBusyboxBase(env, to: "\(env.address)/library/busybox:1")
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [
            .status(202, method: "POST", pathContains: "mount=", times: -1),
        ])
        defer { proxy.stop() }
        let file = try env.directory.write("hello.txt", "built on a declined mount\n")
        let build = try env.stevedore([
            "build", "--from", "\(proxy.address)/library/busybox:1", "--add", "\(file):/hello.txt", "--push", "\(proxy.address)/team/declined:1",
        ])
        #expect(build.status == 0, "\(build.output)")
        #expect(proxy.log.contains("mount=") && proxy.log.contains("-> FAULT 202"), "\(proxy.log)")
        #expect(env.registry.requestCount(method: "PUT", uriContaining: "/v2/team/declined/blobs/uploads/") == 3 + 2, "the base layer, ours and the configuration, and the SBOM's two blobs: \(env.registry.log)")
        let podman = try Self.podmanRun(env, "\(env.address)/team/declined:1", ["/bin/sh", "-c", "cat /hello.txt"])
        #expect(podman.status == 0, "\(podman.output)")
        #expect(podman.stdout.contains("built on a declined mount"), "\(podman.output)")
    }

    static func pushBusyboxBase(_ env: RegistryTestEnvironment, to reference: String) throws -> String {
        let work = env.directory
        let base = work.appending("base")
        for step in [
            ["umoci", "init", "--layout", base],
            ["umoci", "new", "--image", "\(base):latest"],
            ["umoci", "unpack", "--rootless", "--image", "\(base):latest", work.appending("base-bundle")],
        ] {
            try TestLayouts.check(ProcessRunner.run(step))
        }
        let rootfs = work.appending("base-bundle/rootfs")
        try TestLayouts.check(ProcessRunner.run(["sh", "-c", "mkdir -p '\(rootfs)/bin' && cp /usr/bin/busybox '\(rootfs)/bin/busybox' && ln -s busybox '\(rootfs)/bin/sh' && ln -s busybox '\(rootfs)/bin/cat'"]))
        try TestLayouts.check(ProcessRunner.run(["umoci", "repack", "--image", "\(base):latest", work.appending("base-bundle")]))
        try TestLayouts.check(ProcessRunner.run(["umoci", "config", "--image", "\(base):latest", "--config.env", "PATH=/bin", "--config.cmd", "/bin/sh"]))
        try TestLayouts.check(env.skopeo(["copy", "--dest-tls-verify=false", "oci:\(base):latest", "docker://\(reference)"]))
        guard let digest = try env.skopeoDigest(reference) else { throw TestServerError("skopeo cannot inspect \(reference)") }
        return digest
    }

    /// `podman run --rm` of a plain-HTTP registry image, with the flags this machine needs.
    static func podmanRun(_ env: RegistryTestEnvironment, _ image: String, _ command: [String]) throws -> ProcessResult {
        let runroot = "/tmp/pr-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: runroot) }
        return try Podman.runRetryingLostExitCode([
            "podman", "--root", env.directory.appending("podman"), "--runroot", runroot, "--storage-driver", "vfs", "--runtime", "runc",
            "--cgroup-manager", "cgroupfs", "--events-backend", "file",
            "run", "--rm", "--network=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
            "--tls-verify=false", image,
        ] + command, timeout: 300)
    }
}

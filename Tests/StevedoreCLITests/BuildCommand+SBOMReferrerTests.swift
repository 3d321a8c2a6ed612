import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing

/// `stevedore build --push` attaches the image's SBOM by default: on a registry without the referrers API (Debian's
/// docker-registry, like ghcr.io) through the referrers tag schema, read back by `stevedore sbom`, the same bytes and
/// the same artifact manifest for the same inputs; `--sbom none` attaches nothing.
@Suite(.serialized, .dedicatedThread)
struct BuildCommandSBOMReferrerTests {
    @Test("a pushed image gets its SBOM as a referrer under the sha256-<hex> tag; stevedore sbom prints it; a rebuild attaches the same one", .timeLimit(.minutes(10)))
    func pushAttachesTheSBOMThroughTheTagSchema() throws {
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        let executable = try Fixtures.cProgram.get()
        let reference = "\(env.address)/team/hello:v1"
        let sbomFile = env.directory.appending("hello.spdx.json")
        let pushed = try env.stevedore(
            ["build", "--executable", executable, "--push", reference, "--sbom-output", sbomFile] + env.trustArguments + env.credentialArguments(),
            stdin: env.password
        )
        try #require(pushed.status == 0, "\(pushed.output)")
        let imageDigest = try #require(try env.skopeoDigest(reference))
        let sbom = try Data(contentsOf: URL(fileURLWithPath: sbomFile))
        #expect(try SPDXTools.validate(sbomFile).status == 0)

        // The fallback tag, read by skopeo: an index listing one SPDX artifact, whose manifest names the image.
        let tag = "sha256-" + imageDigest.dropFirst("sha256:".count)
        let listing = try env.skopeo(["inspect", "--raw"] + env.skopeoArguments() + ["docker://\(env.address)/team/hello:\(tag)"])
        try #require(listing.status == 0, "no referrers tag \(tag): \(listing.output)")
        let index = json(listing.stdout)
        #expect(index["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
        let referrers = index["manifests"] as? [[String: Any]] ?? []
        try #require(referrers.count == 1, "\(listing.stdout)")
        #expect(referrers[0]["artifactType"] as? String == "application/spdx+json")
        let artifactDigest = try #require(referrers[0]["digest"] as? String)
        let artifact = json(try env.skopeo(["inspect", "--raw"] + env.skopeoArguments() + ["docker://\(env.address)/team/hello@\(artifactDigest)"]).stdout)
        #expect(artifact["artifactType"] as? String == "application/spdx+json")
        let subject = artifact["subject"] as? [String: Any] ?? [:]
        #expect(subject["digest"] as? String == imageDigest)
        #expect(subject["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")
        let layers = artifact["layers"] as? [[String: Any]] ?? []
        #expect(layers.first?["digest"] as? String == Digest.sha256(of: Array(sbom)).description)

        // `stevedore sbom` prints exactly the attached document.
        let printed = try env.stevedore(["sbom", reference] + env.trustArguments + env.credentialArguments(), stdin: env.password)
        #expect(printed.status == 0, "\(printed.output)")
        #expect(Data(printed.stdout.utf8) == sbom)

        // The same inputs built and pushed again: the same image, the same SBOM, so the same artifact, listed once.
        let again = try env.stevedore(
            ["build", "--executable", executable, "--push", reference] + env.trustArguments + env.credentialArguments(), stdin: env.password
        )
        try #require(again.status == 0, "\(again.output)")
        let listedAgain = json(try env.skopeo(["inspect", "--raw"] + env.skopeoArguments() + ["docker://\(env.address)/team/hello:\(tag)"]).stdout)
        let digestsAgain = (listedAgain["manifests"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String }
        #expect(digestsAgain == [artifactDigest])
    }

    @Test("an OCI layout output keeps the SBOM as a referrer of the image: stevedore sbom and inspect read it, umoci and oci-image-tool accept the layout", .timeLimit(.minutes(10)))
    func layoutOutputKeepsTheSBOMAsAReferrer() throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("sbom-layout")
        let layout = work.appending("layout")
        let file = work.appending("hello.spdx.json")
        let build = try StevedoreBinary.run(["build", "--executable", executable, "--output", "oci-layout:\(layout):v1", "--sbom", "spdx", "--sbom-output", file])
        try #require(build.status == 0, "\(build.output)")
        let printed = try StevedoreBinary.run(["sbom", "oci-layout:\(layout):v1"])
        #expect(printed.status == 0, "\(printed.output)")
        #expect(Data(printed.stdout.utf8) == (try Data(contentsOf: URL(fileURLWithPath: file))))
        let inspect = try StevedoreBinary.run(["inspect", "oci-layout:\(layout):v1"])
        #expect(inspect.status == 0 && inspect.stdout.contains("application/spdx+json"), "\(inspect.output)")
        // The image is still what `oci-layout:DIR:v1` names, and the judges accept the layout with its referrers tag.
        let validate = try ProcessRunner.run(["oci-image-tool", "validate", "--type", "image", "--ref", "name=v1", layout])
        #expect(validate.status == 0, "\(validate.output)")
        let unpacked = try ProcessRunner.run(["umoci", "unpack", "--image", "\(layout):v1", work.appending("bundle")])
        #expect(unpacked.status == 0, "\(unpacked.output)")
    }

    @Test("--sbom none pushes no referrer", .timeLimit(.minutes(10)))
    func sbomNoneAttachesNothing() throws {
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        let executable = try Fixtures.cProgram.get()
        let reference = "\(env.address)/team/bare:v1"
        let pushed = try env.stevedore(
            ["build", "--executable", executable, "--push", reference, "--sbom", "none"] + env.trustArguments + env.credentialArguments(), stdin: env.password
        )
        try #require(pushed.status == 0, "\(pushed.output)")
        let tags = json(try env.skopeo(["list-tags"] + env.skopeoArguments() + ["docker://\(env.address)/team/bare"]).stdout)
        #expect(tags["Tags"] as? [String] == ["v1"])
        let printed = try env.stevedore(["sbom", reference] + env.trustArguments + env.credentialArguments(), stdin: env.password)
        #expect(printed.status == 66, "\(printed.output)")
    }
}

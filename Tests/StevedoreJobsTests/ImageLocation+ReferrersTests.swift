import Foundation
import StevedoreAuth
import StevedoreCore
import StevedoreJobs
import StevedoreLayout
import StevedoreRegistry
import StevedoreTestSupport
import Testing

/// Artifacts (SBOMs) attached to images as OCI referrers, end to end: through the Jobs API into docker-registry
/// 2.8 (TLS and token authentication, no referrers API, so the `sha256-<hex>` tag schema), checked with
/// skopeo; read back with `stevedore sbom` and `stevedore inspect`; carried by `copy --referrers` both ways
/// between the registry and an OCI layout that umoci, skopeo and oci-image-tool still accept; and through a
/// registry with the referrers API, where no tag is written.
@Suite(.serialized, .dedicatedThread)
struct ImageLocationReferrersTests {
    static let sbom = #"{"SPDXID":"SPDXRef-DOCUMENT","name":"app","packages":[{"name":"zlib1g","versionInfo":"1:1.2.13"}],"spdxVersion":"SPDX-2.3"}"#

    static func makeClient(_ env: RegistryTestEnvironment) throws -> RegistryClient {
        try RegistryClient(configuration: RegistryConfiguration(
            credentials: CredentialResolver(
                explicit: (nil, Credential(username: env.user, secret: env.password, origin: "test")),
                environment: [:], homeDirectory: env.directory.appending("client-home")
            ),
            caFile: env.certificates?.caCertificate,
            timeout: 120,
            environment: [:]
        ))
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("attach to a pushed image: the sha256-<hex> tag lists it once, its subject is the image; sbom, inspect and copy --referrers both ways")
    func attachThroughTheReferrersTagSchema() async throws {
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        let source = env.directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["app/hello.txt": "hello\n"])])
        let reference = "\(env.address)/team/app:v1"
        let push = try env.stevedore(["push", "oci-layout:\(source):v1", reference] + env.trustArguments + env.credentialArguments(), stdin: env.password)
        try #require(push.status == 0, "\(push.output)")

        let client = try Self.makeClient(env)
        let location = try ImageLocation(parsing: reference)
        let artifact = ReferrerArtifact(blob: Data(Self.sbom.utf8), mediaType: .spdxJSON, sourceDateEpoch: 0)
        let attached: ReferrerAttachment
        let again: ReferrerAttachment
        do {
            attached = try await location.attach(artifact, client: client)
            again = try await location.attach(artifact, client: client)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        let imageDigest = image.manifestDescriptor.digest
        #expect(attached.subject.digest == imageDigest)
        #expect(attached.referrersTag == "sha256-\(imageDigest.encoded)")
        #expect(again.wasPresent)

        // The fallback tag, read independently: an OCI index listing the artifact once, with its type.
        let tagged = try env.skopeo(["inspect", "--raw"] + env.skopeoArguments() + ["docker://\(env.address)/team/app:sha256-\(imageDigest.encoded)"])
        try #require(tagged.status == 0, "\(tagged.output)")
        let index = Self.json(tagged.stdout)
        #expect(index["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
        let listed = index["manifests"] as? [[String: Any]] ?? []
        #expect(listed.count == 1, "\(tagged.stdout)")
        #expect(listed.first?["artifactType"] as? String == "application/spdx+json")
        #expect(listed.first?["digest"] as? String == attached.descriptor.digest.description)
        // The artifact manifest: its subject is the image's descriptor, its config the empty descriptor.
        let manifest = try env.skopeo(["inspect", "--raw"] + env.skopeoArguments() + ["docker://\(env.address)/team/app@\(attached.descriptor.digest)"])
        try #require(manifest.status == 0, "\(manifest.output)")
        let document = Self.json(manifest.stdout)
        let subject = document["subject"] as? [String: Any] ?? [:]
        #expect(subject["digest"] as? String == imageDigest.description)
        #expect(subject["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")
        #expect((subject["size"] as? Int).map(Int64.init) == image.manifestDescriptor.size)
        #expect((document["config"] as? [String: Any])?["mediaType"] as? String == "application/vnd.oci.empty.v1+json")
        #expect(document["artifactType"] as? String == "application/spdx+json")

        // Read back by the CLI.
        let sbom = try env.stevedore(["sbom", reference] + env.trustArguments + env.credentialArguments(), stdin: env.password)
        #expect(sbom.status == 0, "\(sbom.output)")
        #expect(sbom.stdout == Self.sbom)
        let inspect = try env.stevedore(["inspect", reference] + env.trustArguments + env.credentialArguments(), stdin: env.password)
        #expect(inspect.status == 0, "\(inspect.output)")
        #expect(inspect.stdout.contains("Referrers (1)"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("application/spdx+json"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains(attached.descriptor.digest.description), "\(inspect.stdout)")

        // Registry → layout with --referrers: the SBOM comes along, the layout stays valid.
        let copied = env.directory.appending("copied")
        let toLayout = try env.stevedore(["copy", "--referrers", reference, "oci-layout:\(copied):v1"] + env.trustArguments + env.credentialArguments(), stdin: env.password)
        try #require(toLayout.status == 0, "\(toLayout.output)")
        let fromLayout = try env.stevedore(["sbom", "oci-layout:\(copied):v1"])
        #expect(fromLayout.status == 0, "\(fromLayout.output)")
        #expect(fromLayout.stdout == Self.sbom)
        let layoutInspect = try env.stevedore(["inspect", "oci-layout:\(copied)"])
        #expect(layoutInspect.stdout.contains("application/spdx+json"), "\(layoutInspect.output)")
        let validate = try ProcessRunner.run(["oci-image-tool", "validate", "--type", "image", "--ref", "name=v1", copied])
        #expect(validate.status == 0, "\(validate.output)")
        let unpack = try ProcessRunner.run(["umoci", "unpack", "--rootless", "--image", "\(copied):v1", env.directory.appending("bundle")])
        #expect(unpack.status == 0, "\(unpack.output)")
        let skopeo = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(copied):v1"])
        #expect(Data(skopeo.stdout.utf8) == image.manifestData, "\(skopeo.output)")

        // Layout → another repository with --referrers.
        let other = "\(env.address)/team/other:v1"
        let toRegistry = try env.stevedore(["copy", "--referrers", "oci-layout:\(copied):v1", other] + env.trustArguments + env.credentialArguments(), stdin: env.password)
        try #require(toRegistry.status == 0, "\(toRegistry.output)")
        let otherSBOM = try env.stevedore(["sbom", other] + env.trustArguments + env.credentialArguments(), stdin: env.password)
        #expect(otherSBOM.status == 0, "\(otherSBOM.output)")
        #expect(otherSBOM.stdout == Self.sbom)
        let otherTag = try env.skopeo(["inspect", "--raw"] + env.skopeoArguments() + ["docker://\(env.address)/team/other:sha256-\(imageDigest.encoded)"])
        #expect(otherTag.status == 0, "\(otherTag.output)")

        // No SBOM: a clear error naming the image (exit 66, not found).
        let none = try env.stevedore(["sbom", "oci-layout:\(source):v1"])
        #expect(none.status == 66, "\(none.output)")
        #expect(none.stderr.contains("oci-layout:\(source):v1"), "\(none.stderr)")
        #expect(none.stderr.contains("application/spdx+json"), "\(none.stderr)")
    }

    @Test("a registry with the referrers API answers OCI-Subject: no sha256-<hex> tag is written, the listing uses /referrers/")
    func attachThroughTheReferrersAPI() async throws {
        let directory = try TemporaryDirectory("referrers-api")
        let registry = try MisbehavingRegistry(directory: directory.appending("registry"), mode: .referrersAPI)
        defer { registry.stop() }
        let source = directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
        let client = try RegistryClient(configuration: RegistryConfiguration(timeout: 60, environment: [:]))
        let location = ImageLocation.registry(ImageReference(registry: registry.address, repository: "app", tag: "v1"))
        let artifact = ReferrerArtifact(blob: Data(Self.sbom.utf8), mediaType: .spdxJSON)
        do {
            _ = try await ImageTransfer.copy(from: try OCILayout(path: source, create: false).image(tag: "v1"), to: try location.destination(client: client))
            let attached = try await location.attach(artifact, subject: image.manifestDescriptor, client: client)
            #expect(attached.referrersTag == nil)
            let listed = try await location.referrers(client: client)
            #expect(listed.subject.digest == image.manifestDescriptor.digest)
            #expect(listed.referrers.map(\.digest) == [attached.descriptor.digest])
            #expect(listed.referrers.first?.artifactType == "application/spdx+json")
            let read = try await location.attachedArtifact(artifactTypes: ["application/spdx+json"], client: client)
            #expect(read.blob == Data(Self.sbom.utf8))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            Issue.record("\(error)\n\(registry.log)")
            return
        }
        let log = registry.log
        #expect(log.contains("PUT /v2/app/manifests/sha256:"), "\(log)")
        #expect(!log.contains("/manifests/sha256-"), "the referrers tag was used:\n\(log)")
        #expect(log.contains("GET /v2/app/referrers/\(image.manifestDescriptor.digest)"), "\(log)")
    }
}

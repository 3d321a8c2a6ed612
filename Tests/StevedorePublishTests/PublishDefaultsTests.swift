import Foundation
import StevedoreCore
import StevedoreGitHub
import StevedoreTestSupport
import Testing
@testable import StevedorePublish

@Suite(.dedicatedThread) struct PublishDefaultsTests {
    static let sha = "0123456789abcdef0123456789abcdef01234567"
    static let otherSHA = "fedcba9876543210fedcba9876543210fedcba98"

    static func git(branch: String? = "main", dirty: Bool = false, origin: String? = "git@github.com:Acme/Hello.git", originHead: String? = nil) -> GitSnapshot {
        GitSnapshot(commit: sha, commitTime: 1_700_000_000, branch: branch, isDirty: dirty, originURL: origin, originDefaultBranch: originHead)
    }

    @Test func repositoryFromGitHubActionsIsLowercased() throws {
        let defaults = PublishDefaults(environment: ["GITHUB_REPOSITORY": "Acme/Hello"], git: nil)
        #expect(try defaults.destination(PublishOptions(tags: [try ImageTag("v1")])).repository == "ghcr.io/acme/hello")
    }

    @Test func repositoryFromOriginWhenNoGitHubContext() throws {
        let defaults = PublishDefaults(environment: [:], git: Self.git(origin: "https://github.com/Acme/Web-App.git"))
        #expect(try defaults.destination(PublishOptions()).repository == "ghcr.io/acme/web-app")
    }

    @Test func explicitRepositoryWins() throws {
        let defaults = PublishDefaults(environment: ["GITHUB_REPOSITORY": "acme/hello"], git: Self.git())
        let destination = try defaults.destination(PublishOptions(repository: "127.0.0.1:5000/test/hello"))
        #expect(destination.repository == "127.0.0.1:5000/test/hello")
    }

    @Test(arguments: ["ghcr.io/Acme/Hello", "ghcr.io/acme/hello:v1", "ghcr.io/acme/hello@sha256:0123"])
    func malformedRepositoryIsRejected(repository: String) {
        let defaults = PublishDefaults(environment: [:], git: Self.git())
        #expect { try defaults.destination(PublishOptions(repository: repository)) } throws: { error in
            (error as? StevedoreError)?.code == .invalidArgument && "\(error)".contains("--repository")
        }
    }

    @Test func missingRepositorySaysWhatToPass() {
        let defaults = PublishDefaults(environment: [:], git: Self.git(origin: "https://gitlab.com/acme/hello.git"))
        #expect { try defaults.destination(PublishOptions()) } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .missingRepository && error.message.contains("--repository")
        }
    }

    @Test(arguments: [
        // environment, git branch, origin/HEAD, explicit default, expected tags
        ([:], "main", nil, nil, [sha, "latest"]),
        ([:], "master", nil, nil, [sha, "latest"]),
        ([:], "feature", nil, nil, [sha]),
        ([:], nil, nil, nil, [sha]),
        ([:], "develop", "develop", nil, [sha, "latest"]),
        ([:], "main", "develop", nil, [sha]),
        ([:], "trunk", nil, "trunk", [sha, "latest"]),
        (["GITHUB_REF": "refs/heads/main", "GITHUB_SHA": otherSHA], "main", nil, nil, [otherSHA, "latest"]),
        (["GITHUB_REF": "refs/heads/feature", "GITHUB_SHA": otherSHA], "main", nil, nil, [otherSHA]),
        (["GITHUB_REF": "refs/tags/v1.0.0"], "main", nil, nil, [sha]),
        (["GITHUB_REF": "refs/pull/7/merge"], nil, nil, nil, [sha]),
    ] as [([String: String], String?, String?, String?, [String])])
    func defaultTags(environment: [String: String], branch: String?, originHead: String?, explicitDefault: String?, expected: [String]) throws {
        let defaults = PublishDefaults(environment: environment, git: Self.git(branch: branch, originHead: originHead))
        #expect(try defaults.destination(PublishOptions(defaultBranch: explicitDefault)).tags == expected)
    }

    @Test func eventPayloadNamesTheDefaultBranch() throws {
        let directory = try TemporaryDirectory("publish-event")
        let event = try directory.write("event.json", #"{"ref":"refs/heads/trunk","repository":{"full_name":"acme/hello","default_branch":"trunk"}}"#)
        let environment = ["GITHUB_REF": "refs/heads/trunk", "GITHUB_EVENT_PATH": event, "GITHUB_REPOSITORY": "acme/hello"]
        let defaults = PublishDefaults(environment: environment, git: Self.git(branch: nil), eventDefaultBranch: PublishDefaults.defaultBranch(fromEventAt: event))
        #expect(defaults.eventDefaultBranch == "trunk")
        #expect(try defaults.destination(PublishOptions()).tags == [Self.sha, "latest"])
        #expect(PublishDefaults.defaultBranch(fromEventAt: directory.appending("missing.json")) == nil)
    }

    @Test func dirtyTreeGetsSuffixAndNoLatest() throws {
        let defaults = PublishDefaults(environment: [:], git: Self.git(dirty: true))
        #expect(try defaults.destination(PublishOptions()).tags == ["\(Self.sha)-dirty"])
        let provenance = try defaults.provenance(PublishOptions())
        #expect(provenance.isDirty)
        #expect(provenance.warnings.count == 1)
        #expect(provenance.warnings.first?.contains("uncommitted changes") == true)
    }

    @Test func explicitTagsAreDeduplicated() throws {
        let defaults = PublishDefaults(environment: [:], git: nil)
        let tags = try ["v1", "stable", "v1"].map(ImageTag.init)
        #expect(try defaults.destination(PublishOptions(repository: "ghcr.io/a/b", tags: tags)).tags == ["v1", "stable"])
    }

    @Test(arguments: [
        // platform, expected suffix
        (Platform(os: "linux", architecture: "amd64"), "amd64"),
        (Platform(os: "linux", architecture: "arm64", variant: "v8"), "arm64"),
        (Platform(os: "linux", architecture: "aarch64"), "arm64"),
        (Platform(os: "linux", architecture: "arm", variant: "v7"), "arm-v7"),
    ])
    func platformTagSuffixesEveryTag(platform: Platform, suffix: String) throws {
        let defaults = PublishDefaults(environment: ["GITHUB_REF": "refs/heads/main", "GITHUB_SHA": Self.otherSHA], git: Self.git())
        let destination = try defaults.destination(PublishOptions(platformTag: true), platform: platform)
        #expect(destination.tags == ["\(Self.otherSHA)-\(suffix)", "latest-\(suffix)"])
        #expect(destination.indexTags == [Self.otherSHA, "latest"])
        #expect(destination.primaryReference == "ghcr.io/acme/hello:\(Self.otherSHA)-\(suffix)")
        #expect(try defaults.destination(PublishOptions(), platform: platform).indexTags.isEmpty)
    }

    @Test func platformTagNeedsAPlatformAndRoomForTheSuffix() throws {
        let defaults = PublishDefaults(environment: [:], git: Self.git())
        #expect { try defaults.destination(PublishOptions(platformTag: true)) } throws: { error in
            (error as? StevedoreError)?.code == .invalidArgument && "\(error)".contains("--platform-tag")
        }
        let long = try ImageTag(String(repeating: "v", count: 125))
        #expect { try defaults.destination(PublishOptions(tags: [long], platformTag: true), platform: Platform(os: "linux", architecture: "arm64")) } throws: { error in
            (error as? StevedoreError)?.code == .invalidArgument && "\(error)".contains("shorter --tag")
        }
    }

    @Test func noRevisionAndNoTagIsAnError() {
        let defaults = PublishDefaults(environment: [:], git: nil)
        #expect { try defaults.destination(PublishOptions(repository: "ghcr.io/a/b")) } throws: { error in
            (error as? StevedoreError)?.code == .missingRevision && "\(error)".contains("--tag")
        }
    }

    @Test func provenanceFromGitHubActions() throws {
        let environment = ["GITHUB_REPOSITORY": "Acme/Hello", "GITHUB_SHA": Self.otherSHA, "GITHUB_SERVER_URL": "https://github.com"]
        let provenance = try PublishDefaults(environment: environment, git: Self.git()).provenance(PublishOptions())
        #expect(provenance.sourceDateEpoch == 1_700_000_000)
        let labels = provenance.labels.map { "\($0.key)=\($0.value)" }
        #expect(labels == [
            "org.opencontainers.image.source=https://github.com/Acme/Hello",
            "org.opencontainers.image.revision=\(Self.otherSHA)",
            "org.opencontainers.image.created=2023-11-14T22:13:20Z",
        ])
        #expect(provenance.warnings.isEmpty)
    }

    @Test func provenanceFromOriginNeverCarriesCredentials() throws {
        let git = Self.git(origin: "https://x-access-token:ghs_secret@github.com/acme/hello.git")
        let provenance = try PublishDefaults(environment: [:], git: git).provenance(PublishOptions())
        #expect(provenance.source == "https://github.com/acme/hello")
        #expect(!provenance.labels.contains { $0.value.contains("ghs_secret") })
    }

    @Test(arguments: [
        // explicit, environment, git commit time, expected
        (Int64?(5), "9", Int64?(1_700_000_000), Int64?(5)),
        (nil, "9", 1_700_000_000, 9),
        (nil, nil, 1_700_000_000, 1_700_000_000),
        (nil, nil, nil, nil),
    ] as [(Int64?, String?, Int64?, Int64?)])
    func sourceDateEpochPrecedence(explicit: Int64?, variable: String?, commitTime: Int64?, expected: Int64?) throws {
        var environment: [String: String] = [:]
        if let variable { environment["SOURCE_DATE_EPOCH"] = variable }
        let git = commitTime.map { GitSnapshot(commit: Self.sha, commitTime: $0) }
        let provenance = try PublishDefaults(environment: environment, git: git).provenance(PublishOptions(sourceDateEpoch: explicit))
        #expect(provenance.sourceDateEpoch == expected)
        #expect(provenance.labels.contains { $0.key == ImageProvenance.LabelKey.created } == (expected != nil))
    }

    @Test func malformedSourceDateEpochIsRejected() {
        #expect(throws: StevedoreError.self) {
            try PublishDefaults(environment: ["SOURCE_DATE_EPOCH": "yesterday"], git: nil).provenance(PublishOptions())
        }
    }
}

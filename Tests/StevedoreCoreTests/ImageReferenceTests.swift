import Testing
@testable import StevedoreCore

private let hexA = String(repeating: "a", count: 64)
private let hex0 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct ImageReferenceTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var input: String
        var registry: String
        var repository: String
        var tag: String?
        var digest: String?
        var description: String
        var testDescription: String { input }
    }

    static let valid: [Valid] = [
        // Docker Hub defaults: docker.io and library/ for single-component names.
        Valid(input: "nginx", registry: "docker.io", repository: "library/nginx", description: "docker.io/library/nginx"),
        Valid(input: "nginx:1.25", registry: "docker.io", repository: "library/nginx", tag: "1.25", description: "docker.io/library/nginx:1.25"),
        Valid(input: "ubuntu:22.04", registry: "docker.io", repository: "library/ubuntu", tag: "22.04", description: "docker.io/library/ubuntu:22.04"),
        Valid(input: "library/nginx:latest", registry: "docker.io", repository: "library/nginx", tag: "latest", description: "docker.io/library/nginx:latest"),
        Valid(input: "bitnami/redis", registry: "docker.io", repository: "bitnami/redis", description: "docker.io/bitnami/redis"),
        Valid(input: "docker.io/nginx", registry: "docker.io", repository: "library/nginx", description: "docker.io/library/nginx"),
        Valid(input: "docker.io/library/nginx:stable-alpine", registry: "docker.io", repository: "library/nginx", tag: "stable-alpine", description: "docker.io/library/nginx:stable-alpine"),
        Valid(input: "registry:2", registry: "docker.io", repository: "library/registry", tag: "2", description: "docker.io/library/registry:2"),
        Valid(input: "localhost:5000", registry: "docker.io", repository: "library/localhost", tag: "5000", description: "docker.io/library/localhost:5000"),
        // index.docker.io and registry-1.docker.io are Docker Hub.
        Valid(input: "index.docker.io/library/nginx:1", registry: "docker.io", repository: "library/nginx", tag: "1", description: "docker.io/library/nginx:1"),
        Valid(input: "index.docker.io/nginx", registry: "docker.io", repository: "library/nginx", description: "docker.io/library/nginx"),
        Valid(input: "registry-1.docker.io/bitnami/redis:7.2", registry: "docker.io", repository: "bitnami/redis", tag: "7.2", description: "docker.io/bitnami/redis:7.2"),
        Valid(input: "nginx@sha256:\(hex0)", registry: "docker.io", repository: "library/nginx", digest: "sha256:\(hex0)", description: "docker.io/library/nginx@sha256:\(hex0)"),
        // Local registries.
        Valid(input: "localhost/app", registry: "localhost", repository: "app", description: "localhost/app"),
        Valid(input: "localhost:5000/app:dev", registry: "localhost:5000", repository: "app", tag: "dev", description: "localhost:5000/app:dev"),
        Valid(input: "localhost:5000/team/app@sha256:\(hexA)", registry: "localhost:5000", repository: "team/app", digest: "sha256:\(hexA)", description: "localhost:5000/team/app@sha256:\(hexA)"),
        Valid(input: "[::1]:5000/app:1", registry: "[::1]:5000", repository: "app", tag: "1", description: "[::1]:5000/app:1"),
        Valid(input: "[::1]/app", registry: "[::1]", repository: "app", description: "[::1]/app"),
        Valid(input: "[fe80::1]:5000/app", registry: "[fe80::1]:5000", repository: "app", description: "[fe80::1]:5000/app"),
        Valid(input: "127.0.0.1:5000/app:v1.2.3", registry: "127.0.0.1:5000", repository: "app", tag: "v1.2.3", description: "127.0.0.1:5000/app:v1.2.3"),
        Valid(input: "127.0.0.1/app", registry: "127.0.0.1", repository: "app", description: "127.0.0.1/app"),
        // GitHub Container Registry and other hosts.
        Valid(input: "ghcr.io/owner/repo", registry: "ghcr.io", repository: "owner/repo", description: "ghcr.io/owner/repo"),
        Valid(input: "ghcr.io/owner/repo:latest", registry: "ghcr.io", repository: "owner/repo", tag: "latest", description: "ghcr.io/owner/repo:latest"),
        Valid(input: "ghcr.io/owner/sub/group/repo:1.0", registry: "ghcr.io", repository: "owner/sub/group/repo", tag: "1.0", description: "ghcr.io/owner/sub/group/repo:1.0"),
        Valid(input: "ghcr.io/owner/repo:v1.0.0_rc-1", registry: "ghcr.io", repository: "owner/repo", tag: "v1.0.0_rc-1", description: "ghcr.io/owner/repo:v1.0.0_rc-1"),
        Valid(input: "ghcr.io/owner/repo:_private", registry: "ghcr.io", repository: "owner/repo", tag: "_private", description: "ghcr.io/owner/repo:_private"),
        Valid(input: "ghcr.io/owner/repo:Release-CANDIDATE", registry: "ghcr.io", repository: "owner/repo", tag: "Release-CANDIDATE", description: "ghcr.io/owner/repo:Release-CANDIDATE"),
        Valid(input: "ghcr.io/owner/repo:" + String(repeating: "t", count: 128), registry: "ghcr.io", repository: "owner/repo", tag: String(repeating: "t", count: 128), description: "ghcr.io/owner/repo:" + String(repeating: "t", count: 128)),
        Valid(input: "ghcr.io/owner/repo@sha256:\(hexA)", registry: "ghcr.io", repository: "owner/repo", digest: "sha256:\(hexA)", description: "ghcr.io/owner/repo@sha256:\(hexA)"),
        Valid(input: "ghcr.io/owner/repo:1.0@sha256:\(hexA)", registry: "ghcr.io", repository: "owner/repo", tag: "1.0", digest: "sha256:\(hexA)", description: "ghcr.io/owner/repo:1.0@sha256:\(hexA)"),
        Valid(input: "ghcr.io/owner/my-repo.name__x", registry: "ghcr.io", repository: "owner/my-repo.name__x", description: "ghcr.io/owner/my-repo.name__x"),
        Valid(input: "ghcr.io/owner/a--b_c.d", registry: "ghcr.io", repository: "owner/a--b_c.d", description: "ghcr.io/owner/a--b_c.d"),
        Valid(input: "registry.example.com:443/a/b:c", registry: "registry.example.com:443", repository: "a/b", tag: "c", description: "registry.example.com:443/a/b:c"),
        Valid(input: "my-registry.local:8080/x", registry: "my-registry.local:8080", repository: "x", description: "my-registry.local:8080/x"),
        Valid(input: "Registry.Example.COM/team/app", registry: "Registry.Example.COM", repository: "team/app", description: "Registry.Example.COM/team/app"),
    ]

    @Test(arguments: valid)
    func parsesValidReference(_ row: Valid) throws {
        let reference = try ImageReference(parsing: row.input)
        #expect(reference.registry == row.registry)
        #expect(reference.repository == row.repository)
        #expect(reference.tag == row.tag)
        #expect(reference.digest?.description == row.digest)
        #expect(reference.description == row.description)
        // The normalised form parses back to the same value.
        #expect(try ImageReference(parsing: reference.description) == reference)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var input: String
        var messageContains: String
        var testDescription: String { input.isEmpty ? "(empty)" : String(input.prefix(60)) }
    }

    static let invalid: [Invalid] = [
        Invalid(input: "", messageContains: "it is empty"),
        Invalid(input: "ghcr.io/Owner/MyRepo:1", messageContains: "must be lowercase; use 'ghcr.io/owner/myrepo:1'"),
        Invalid(input: "ghcr.io/owner/MyRepo:1", messageContains: "use 'ghcr.io/owner/myrepo:1'"),
        Invalid(input: "MyImage", messageContains: "use 'myimage'"),
        Invalid(input: "Owner/Repo:Tag", messageContains: "use 'owner/repo:Tag'"),
        Invalid(input: "localhost:5000/MyApp@sha256:\(hexA)", messageContains: "use 'localhost:5000/myapp@sha256:\(hexA)'"),
        Invalid(input: "ghcr.io/owner/repo:-bad", messageContains: "tag '-bad' must be 1 to 128"),
        Invalid(input: "ghcr.io/owner/repo:.bad", messageContains: "tag '.bad'"),
        Invalid(input: "ghcr.io/owner/repo:", messageContains: "tag ''"),
        Invalid(input: "ghcr.io/owner/repo:bad!tag", messageContains: "tag 'bad!tag'"),
        Invalid(input: "ghcr.io/owner/repo:" + String(repeating: "t", count: 129), messageContains: "1 to 128"),
        Invalid(input: "ghcr.io/owner/repo@sha256:abc", messageContains: "64 lowercase hex digits"),
        Invalid(input: "ghcr.io/owner/repo@sha256:\(hexA.uppercased())", messageContains: "64 lowercase hex digits"),
        Invalid(input: "ghcr.io/owner/repo@md5:d41d8cd98f00b204e9800998ecf8427e", messageContains: "unsupported algorithm 'md5'"),
        Invalid(input: "ghcr.io/owner/repo@", messageContains: "expected 'sha256:'"),
        Invalid(input: "ghcr.io//repo", messageContains: "empty component"),
        Invalid(input: "ghcr.io/owner/", messageContains: "empty component"),
        Invalid(input: "ghcr.io/", messageContains: "empty component"),
        Invalid(input: "/repo", messageContains: "empty component"),
        Invalid(input: "ghcr.io/owner/repo_", messageContains: "path component 'repo_' must be lowercase letters and digits"),
        Invalid(input: "ghcr.io/owner/re___po", messageContains: "path component 're___po'"),
        Invalid(input: "ghcr.io/owner/re+po", messageContains: "path component 're+po'"),
        Invalid(input: "host:99999/app", messageContains: "registry 'host:99999' is not a valid host[:port]"),
        Invalid(input: "host:+50/app", messageContains: "registry 'host:+50'"),
        Invalid(input: "host:/app", messageContains: "registry 'host:'"),
        Invalid(input: "-bad.example.com/app", messageContains: "registry '-bad.example.com'"),
        Invalid(input: "[::1/app", messageContains: "registry '[::1'"),
        Invalid(input: "[not-ipv6]:5000/app", messageContains: "registry '[not-ipv6]:5000'"),
        Invalid(input: "[]:5000/app", messageContains: "registry '[]:5000'"),
        Invalid(input: "[::1]x/app", messageContains: "registry '[::1]x'"),
        Invalid(input: "ghcr.io/" + String(repeating: "a", count: 248), messageContains: "longer than 255 characters"),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidReference(_ row: Invalid) {
        do {
            let parsed = try ImageReference(parsing: row.input)
            Issue.record("'\(row.input)' parsed as \(parsed)")
        } catch let error as StevedoreError {
            #expect(error.code == .invalidReference)
            #expect(error.message.contains(row.messageContains), "\(error.message)")
            #expect(error.message.contains("invalid image reference"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func nameOfExactly255CharactersIsAccepted() throws {
        let input = "ghcr.io/" + String(repeating: "a", count: 247)
        #expect(input.utf8.count == 255)
        let reference = try ImageReference(parsing: input)
        #expect(reference.name == input)
    }

    @Test func derivedValues() throws {
        let hub = try ImageReference(parsing: "nginx")
        #expect(hub.withDefaultTag.tag == "latest")
        #expect(hub.identifier == "latest")
        #expect(hub.apiHost == "registry-1.docker.io")
        #expect(hub.name == "docker.io/library/nginx")

        let pinned = try ImageReference(parsing: "ghcr.io/owner/repo:1@sha256:\(hexA)")
        #expect(pinned.withDefaultTag == pinned)
        #expect(pinned.identifier == "sha256:\(hexA)")
        #expect(pinned.apiHost == "ghcr.io")
        #expect(pinned.with(tag: "2").description == "ghcr.io/owner/repo:2")

        let digestOnly = try ImageReference(parsing: "ghcr.io/owner/repo@sha256:\(hexA)")
        #expect(digestOnly.withDefaultTag.tag == nil)
        let rebased = try ImageReference(parsing: "ghcr.io/owner/repo:1").with(digest: Digest(parsing: "sha256:\(hex0)"))
        #expect(rebased.description == "ghcr.io/owner/repo:1@sha256:\(hex0)")
    }

    @Test(arguments: [
        ("a", true), ("a.b-c_d", true), ("_x", true), ("9", true), ("A", true),
        (".a", false), ("-a", false), ("", false), ("a b", false), ("a/b", false), ("a:b", false), ("é", false),
    ])
    func tagGrammar(tag: String, valid: Bool) {
        #expect(ImageTag.isValid(tag) == valid)
        #expect(((try? ImageTag(tag)) != nil) == valid)
    }

    @Test(arguments: [
        ("a", true), ("a0", true), ("a.b", true), ("a_b", true), ("a__b", true), ("a-b", true), ("a---b", true),
        ("a___b", false), ("a..b", false), ("a._b", false), ("-a", false), ("a-", false), ("A", false), ("", false), ("a/b", false),
    ])
    func pathComponentGrammar(component: String, valid: Bool) {
        #expect(ImageReference.isValidPathComponent(component) == valid)
    }
}

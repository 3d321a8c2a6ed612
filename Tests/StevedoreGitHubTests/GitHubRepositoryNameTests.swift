import StevedoreCore
import Testing
import StevedoreGitHub

@Suite struct GitHubRepositoryNameTests {
    @Test(arguments: [
        ("https://github.com/Acme/Hello-Server.git", "Acme/Hello-Server"),
        ("https://github.com/acme/hello", "acme/hello"),
        ("https://github.com/acme/hello/", "acme/hello"),
        ("http://github.com/acme/hello.git", "acme/hello"),
        ("https://x-access-token:secret@github.com/acme/hello.git", "acme/hello"),
        ("git@github.com:Acme/hello.git", "Acme/hello"),
        ("github.com:acme/hello", "acme/hello"),
        ("ssh://git@github.com/acme/hello.git", "acme/hello"),
        ("ssh://git@ssh.github.com:443/acme/hello.git", "acme/hello"),
        ("git://github.com/acme/hello.git", "acme/hello"),
        ("git@github.com:Owner/Hello.git", "Owner/Hello"),
        ("https://github.com/owner/hello.git/", "owner/hello"),
        ("ssh://git@github.com/owner/hello", "owner/hello"),
        ("ssh://github.com/owner/hello.git", "owner/hello"),
        ("git+ssh://git@github.com/owner/hello.git", "owner/hello"),
        ("ssh+git://git@github.com/owner/hello.git", "owner/hello"),
        ("https://GitHub.com/owner/hello", "owner/hello"),
        ("https://www.github.com/owner/hello.git", "owner/hello"),
        ("https://github.com:443/owner/hello.git", "owner/hello"),
        ("  git@github.com:owner/hello.git\n", "owner/hello"),
        ("git@ssh.github.com:owner/hello.git", "owner/hello"),
        ("https://github.com/my-org_1/my.repo-2.git", "my-org_1/my.repo-2"),
        ("https://github.com/owner/.github", "owner/.github"),
    ])
    func parsesGitHubRemotes(url: String, expected: String) {
        #expect(GitHubRepositoryName(remoteURL: url)?.description == expected)
    }

    @Test(arguments: [
        "https://gitlab.com/acme/hello.git",
        "git@gitlab.com:acme/hello.git",
        "/srv/git/hello.git",
        "file:///srv/git/hello.git",
        "https://github.com/acme",
        "https://github.com/acme/hello/tree/main",
        "https://github.com.evil.example/acme/hello",
        "https://evil.example/github.com/acme/hello",
        "git@evil.example:github.com/acme/hello",
        "ftp://github.com/acme/hello.git",
        "https://github.com/-acme/hello",
        "https://github.com/ac.me/hello",
        "https://github.com/acme/..",
        "https://github.com/acme/hel%20lo",
        "https://github.com/\(String(repeating: "a", count: 40))/hello",
        "https://github.com/acme/\(String(repeating: "a", count: 101))",
        "github.com",
        "",
    ])
    func rejectsOtherRemotes(url: String) {
        #expect(GitHubRepositoryName(remoteURL: url) == nil)
    }

    @Test func containerRepositoryIsLowercasedOnGHCR() throws {
        let name = try #require(GitHubRepositoryName(slug: "Acme/Hello_Server"))
        #expect(name.containerRepository == "ghcr.io/acme/hello_server")
        #expect(name.webURL() == "https://github.com/Acme/Hello_Server")
        #expect(name.webURL(server: "https://github.example.com/") == "https://github.example.com/Acme/Hello_Server")
    }

    @Test(arguments: ["acme", "acme/hello/extra", "/hello", "acme/", "ac me/hello", "-acme/hello", "acme/..", "ac.me/hello"])
    func rejectsMalformedSlugs(slug: String) {
        #expect(GitHubRepositoryName(slug: slug) == nil)
    }
}

@Suite struct GitHubContainerRegistryTests {
    @Test("org.opencontainers.image.source comes from GITHUB_SERVER_URL and GITHUB_REPOSITORY")
    func sourceAnnotation() {
        #expect(GitHubContainerRegistry.sourceAnnotation(environment: ["GITHUB_REPOSITORY": "octo/app"]) == "https://github.com/octo/app")
        #expect(GitHubContainerRegistry.sourceAnnotation(environment: ["GITHUB_REPOSITORY": "octo/app", "GITHUB_SERVER_URL": "https://ghe.example/"]) == "https://ghe.example/octo/app")
        #expect(GitHubContainerRegistry.sourceAnnotation(environment: [:]) == nil)
        #expect(GitHubContainerRegistry.annotations(environment: ["GITHUB_REPOSITORY": "octo/app"]) == [AnnotationKey.source: "https://github.com/octo/app"])
    }

    @Test("the denied explanation names the workflow permission and the package's Actions access")
    func deniedExplanation() {
        #expect(GitHubContainerRegistry.deniedExplanation.contains("packages: write"))
        #expect(GitHubContainerRegistry.deniedExplanation.contains("Manage Actions access"))
    }

    @Test func hostAndChunkedUploads() {
        #expect(GitHubContainerRegistry.isHost("ghcr.io"))
        #expect(GitHubContainerRegistry.isHost("GHCR.io"))
        #expect(!GitHubContainerRegistry.isHost("ghcr.io.example"))
        #expect(GitHubContainerRegistry.requiresChunkedUpload(registry: "ghcr.io", size: 11, chunkSize: 10))
        #expect(!GitHubContainerRegistry.requiresChunkedUpload(registry: "ghcr.io", size: 10, chunkSize: 10))
        #expect(!GitHubContainerRegistry.requiresChunkedUpload(registry: "quay.io", size: 11, chunkSize: 10))
        #expect(GitHubContainerRegistry.repositoryPath(for: GitHubRepositoryName(owner: "Acme", name: "Hello")) == "acme/hello")
    }
}

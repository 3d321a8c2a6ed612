import Testing
@testable import StevedorePublish

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

    @Test(arguments: ["acme", "acme/hello/extra", "/hello", "acme/", "ac me/hello"])
    func rejectsMalformedSlugs(slug: String) {
        #expect(GitHubRepositoryName(slug: slug) == nil)
    }
}

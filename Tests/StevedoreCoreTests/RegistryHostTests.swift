import StevedoreCore
import Testing

@Suite struct RegistryHostTests {
    @Test("one registry however it is written", arguments: [
        ("ghcr.io", "ghcr.io"),
        ("GHCR.IO", "ghcr.io"),
        ("https://ghcr.io/", "ghcr.io"),
        ("ghcr.io:443", "ghcr.io"),
        ("http://127.0.0.1:5000/v2/", "127.0.0.1:5000"),
        ("index.docker.io", "docker.io"),
        ("https://registry-1.docker.io", "docker.io"),
    ])
    func normalises(text: String, expected: String) throws {
        #expect(try RegistryHost(parsing: text).name == expected)
    }

    @Test(arguments: ["", "https://", "user@host"])
    func rejects(text: String) {
        #expect(throws: StevedoreError.self) { try RegistryHost(parsing: text) }
    }
}

import StevedoreCore
import StevedoreRegistry
import Testing

struct GitHubContainerRegistryTests {
    @Test("a repository path with capitals is refused with its lowercase form")
    func capitals() {
        let error = #expect(throws: StevedoreError.self) {
            try ImageReference(parsing: "ghcr.io/Octo/App:v1")
        }
        #expect(error?.message.contains("ghcr.io/octo/app:v1") == true)
    }
}

struct RetryPolicyTests {
    @Test("delays grow exponentially with jitter and stay under the cap", arguments: 1...12)
    func delays(attempt: Int) {
        let policy = RetryPolicy(maximumAttempts: 10, initialDelay: 0.5, maximumDelay: 8)
        let base = min(8, 0.5 * Double(1 << (attempt - 1)))
        for _ in 0..<20 {
            let delay = policy.delay(afterAttempt: attempt)
            #expect(delay >= base / 2 && delay <= base)
        }
    }

    @Test func retryableStatuses() {
        #expect(RetryPolicy.retryableStatuses == [408, 429, 500, 502, 503, 504])
    }
}

struct RegistryConfigurationTests {
    @Test("plain HTTP: localhost and 127.0.0.1 by default, other registries only when named", arguments: [
        ("localhost:5000", [String](), true),
        ("127.0.0.1:41234", [], true),
        ("[::1]:5000", [], true),
        ("registry.internal:5000", [], false),
        ("registry.internal:5000", ["registry.internal:5000"], true),
        ("registry.internal:5000", ["registry.internal"], true),
        ("ghcr.io", ["registry.internal"], false),
    ])
    func plainHTTP(registry: String, insecure: [String], allowed: Bool) {
        #expect(RegistryConfiguration(insecureRegistries: Set(insecure)).allowsPlainHTTP(registry) == allowed)
    }
}

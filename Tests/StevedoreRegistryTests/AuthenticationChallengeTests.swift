import StevedoreRegistry
import Testing

struct AuthenticationChallengeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var header: String
        var scheme: String
        var parameters: [String: String]
        var testDescription: String { header }
    }

    @Test("WWW-Authenticate parsing", arguments: [
        Case(header: #"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:owner/app:pull""#,
             scheme: "bearer", parameters: ["realm": "https://ghcr.io/token", "service": "ghcr.io", "scope": "repository:owner/app:pull"]),
        Case(header: #"Bearer realm="https://auth.example/token", service="registry", scope="repository:a/b:pull,push repository:c/d:pull", error="insufficient_scope""#,
             scheme: "bearer", parameters: ["realm": "https://auth.example/token", "service": "registry", "scope": "repository:a/b:pull,push repository:c/d:pull", "error": "insufficient_scope"]),
        Case(header: #"Basic realm="Registry Realm""#, scheme: "basic", parameters: ["realm": "Registry Realm"]),
        Case(header: #"BEARER Realm=https://t.example/token,Service=svc"#, scheme: "bearer", parameters: ["realm": "https://t.example/token", "service": "svc"]),
        Case(header: #"Bearer realm="a \"quoted\" realm, with comma""#, scheme: "bearer", parameters: ["realm": #"a "quoted" realm, with comma"#]),
    ])
    func parses(_ example: Case) {
        let challenges = AuthenticationChallenge.parse(example.header)
        #expect(challenges.count == 1)
        #expect(challenges.first?.scheme == example.scheme)
        #expect(challenges.first?.parameters == example.parameters)
    }

    @Test func severalChallengesAndScopes() {
        let challenges = AuthenticationChallenge.parse(#"Basic realm="r1", Bearer realm="https://t/token",service="s",scope="repository:x:pull,push repository:y:pull""#)
        #expect(challenges.map(\.scheme) == ["basic", "bearer"])
        #expect(challenges.last?.scopes == [.pullPush("x"), .pull("y")])
        #expect(challenges.last?.scopes.map(\.description) == ["repository:x:pull,push", "repository:y:pull"])
        #expect(challenges.last?.service == "s")
        #expect(AuthenticationChallenge.parse("").isEmpty)
    }
}

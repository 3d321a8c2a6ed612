import Foundation
import StevedoreDeploy
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct KamalSecretsTests {
    private let environment = ["GITHUB_TOKEN": "ghp_abc", "USER_NAME": "octo"]

    @Test(arguments: [
        ("KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN", "ghp_abc"),
        ("KAMAL_REGISTRY_PASSWORD=${GITHUB_TOKEN}", "ghp_abc"),
        ("export KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN", "ghp_abc"),
        ("KAMAL_REGISTRY_PASSWORD: $GITHUB_TOKEN", "ghp_abc"),
        ("KAMAL_REGISTRY_PASSWORD = \"$GITHUB_TOKEN\"", "ghp_abc"),
        ("KAMAL_REGISTRY_PASSWORD='$GITHUB_TOKEN'", "$GITHUB_TOKEN"),
        ("KAMAL_REGISTRY_PASSWORD=\\$GITHUB_TOKEN", "$GITHUB_TOKEN"),
        ("KAMAL_REGISTRY_PASSWORD=pre-${USER_NAME}-post # comment", "pre-octo-post"),
        ("KAMAL_REGISTRY_PASSWORD=$UNSET_VARIABLE", ""),
        ("KAMAL_REGISTRY_PASSWORD=\"a\\nb\"", "a\nb"),
        ("KAMAL_REGISTRY_PASSWORD=\"first\nsecond\"", "first\nsecond"),
    ])
    func valuesResolveAsDotenvDoes(line: String, expected: String) {
        let entries = KamalSecrets.parse("# comment\n\n" + line + "\n", file: ".kamal/secrets", environment: environment)
        #expect(entries.map(\.name) == ["KAMAL_REGISTRY_PASSWORD"])
        #expect(entries.first?.value == expected)
        #expect(entries.first?.line == 3)
    }

    @Test func laterKeysExpandEarlierOnesInTheSameFileFirst() {
        let entries = KamalSecrets.parse("GITHUB_TOKEN=from-file\nKAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN\n", file: "s", environment: environment)
        #expect(entries.last?.value == "from-file")
        #expect(entries.last?.expandedVariables == ["GITHUB_TOKEN"])
    }

    @Test(arguments: [
        "KAMAL_REGISTRY_PASSWORD=$(kamal secrets extract KAMAL_REGISTRY_PASSWORD $SECRETS)",
        "KAMAL_REGISTRY_PASSWORD=\"$(op read op://vault/item/password)\"",
    ])
    func commandSubstitutionIsNotRun(line: String) {
        let entry = KamalSecrets.parse(line, file: "s", environment: environment).first
        #expect(entry?.usesCommandSubstitution == true)
        #expect(entry?.value == nil)
    }

    @Test func singleQuotesKeepCommandSubstitutionLiteral() {
        let entry = KamalSecrets.parse("X='$(not run)'", file: "s", environment: environment).first
        #expect(entry?.usesCommandSubstitution == false)
        #expect(entry?.value == "$(not run)")
    }

    @Test func commonThenDestinationFilesAreReadAndTheLaterWins() throws {
        var fixture = DeployFixture()
        fixture.files[".kamal/secrets-common"] = "SHARED=common\nKAMAL_REGISTRY_PASSWORD=from-common\n"
        fixture.files[".kamal/secrets.staging"] = "KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN\n"
        fixture.files[".kamal/secrets"] = "KAMAL_REGISTRY_PASSWORD=not-for-staging\n"
        let directory = try fixture.materialize()
        let secrets = try KamalSecrets.load(packageDirectory: directory.path, destination: "staging", environment: environment)
        #expect(secrets.candidateFiles == [".kamal/secrets-common", ".kamal/secrets.staging"])
        #expect(secrets.existingFiles == [".kamal/secrets-common", ".kamal/secrets.staging"])
        #expect(secrets.entries["KAMAL_REGISTRY_PASSWORD"]?.value == "ghp_abc")
        #expect(secrets.entries["KAMAL_REGISTRY_PASSWORD"]?.location == ".kamal/secrets.staging line 1")
        #expect(secrets.entries["SHARED"]?.value == "common")

        let base = try KamalSecrets.load(packageDirectory: directory.path, environment: environment)
        #expect(base.entries["KAMAL_REGISTRY_PASSWORD"]?.value == "not-for-staging")
    }
}

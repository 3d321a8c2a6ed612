extension GitHubWorkflowScaffold {
    /// The permissions GitHub's attestation actions need besides pushing packages: an OIDC token for the Sigstore
    /// signing certificate (`id-token: write`) and the attestations API (`attestations: write`), one per line,
    /// indented for a `permissions:` mapping whose first key stands at `indent`.
    static func attestationPermissions(indent: String) -> String {
        ["id-token: write", "attestations: write"].map { indent + $0 }.joined(separator: "\n")
    }

    /// The steps after a `push-image` step with id `push`: log in to the image's registry with the job's token (the
    /// attestation actions push their bundles as referrers of the image, with the credentials in docker's
    /// config.json), then GitHub's build-provenance attestation for the pushed digest and the SBOM attestation of the
    /// SBOM `push-image` wrote (its `sbom` output). The first line has no indentation (it stands where it is
    /// interpolated); the others are indented for a job's `steps:` list.
    static var attestationSteps: String {
        let subject = [
            "    subject-name: ${{ steps.push.outputs.repository }}",
            "    subject-digest: ${{ steps.push.outputs.digest }}",
        ]
        let lines = [
            "- name: Log in to the registry for the attestations",
            "  env:",
            "    GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
            "    REPOSITORY: ${{ steps.push.outputs.repository }}",
            "  run: >",
            "    echo \"$GITHUB_TOKEN\" |",
            "    swift run stevedore login \"${REPOSITORY%%/*}\" --username \"$GITHUB_ACTOR\" --password-stdin",
            "- name: Attest the image's build provenance",
            "  uses: actions/attest-build-provenance@v2",
            "  with:",
        ] + subject + [
            "    push-to-registry: true",
            "- name: Attest the image's SBOM",
            "  uses: actions/attest-sbom@v2",
            "  with:",
        ] + subject + [
            "    sbom-path: ${{ steps.push.outputs.sbom }}",
            "    push-to-registry: true",
        ]
        return lines.joined(separator: "\n      ")
    }
}

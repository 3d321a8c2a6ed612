extension GitHubWorkflowScaffold {
    /// The matrix job: one runner per platform, each pushing its image under `<tag>-<arch>`.
    public static let platformJobName = "image"
    /// The job that joins the platform images into one index under the plain tags.
    public static let joinJobName = "index"

    /// The jobs of a multi-platform workflow, indented for a `jobs:` mapping with two spaces: `image`, a matrix
    /// over `runners` (each runs `push-image --platform-tag` natively on its architecture), and `index`, which
    /// needs them all and runs `stevedore index create` for each tag they pushed (the `index-tags` output).
    ///
    /// The `index` job runs `stevedore` as the other jobs do, through SwiftPM from the package's dependency on
    /// Stevedore (`swift run stevedore`), in the same container and with the same cache as the amd64 runner.
    ///
    /// - Parameters:
    ///   - runners: The platforms and their runners, in the order of the matrix and of the index's sources.
    ///   - swiftImage: The Swift container image the jobs run in (multi-architecture).
    ///   - product: The executable product, `nil` for the package's only one.
    public static func platformJobs(_ runners: [WorkflowRunner], swiftImage: String, product: String?) -> String {
        let productArgument = product.map { " --product \($0)" } ?? ""
        let matrix = runners.map { "          - platform: \($0.platform)\n            runner: \($0.runner)\n" }.joined()
        let sources = runners.map { " \"$REPOSITORY:$tag-\($0.architecture)\"" }.joined()
        let platforms = runners.map(\.platform.description).joined(separator: ", ")
        return """
          \(platformJobName):
            strategy:
              matrix:
                include:
        \(matrix)    runs-on: ${{ matrix.runner }}
            container: \(swiftImage)
            permissions:
              contents: read
              packages: write
        \(GitHubWorkflowScaffold.attestationPermissions(indent: "      "))
            outputs:
              repository: ${{ steps.push.outputs.repository }}
              index-tags: ${{ steps.push.outputs.index-tags }}
            steps:
              \(GitHubWorkflowScaffold.setUpSteps(cachePrefix: "swiftpm-${{ runner.os }}-${{ runner.arch }}-"))
              - name: Build and push the ${{ matrix.platform }} image under <tag>-<arch>
                id: push
                env:
                  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                run: >
                  swift package --allow-writing-to-package-directory --allow-network-connections all
                  push-image\(productArgument) --platform-tag
              \(GitHubWorkflowScaffold.attestationSteps)

          \(joinJobName):
            needs: \(platformJobName)
            runs-on: ubuntu-24.04
            container: \(swiftImage)
            permissions:
              contents: read
              packages: write
            steps:
              \(GitHubWorkflowScaffold.setUpSteps(cachePrefix: "swiftpm-${{ runner.os }}-${{ runner.arch }}-"))
              - name: Join \(platforms) into one index under each tag
                env:
                  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                  REPOSITORY: ${{ needs.\(platformJobName).outputs.repository }}
                  TAGS: ${{ needs.\(platformJobName).outputs.index-tags }}
                run: |
                  test -n "$REPOSITORY" && test -n "$TAGS" || { echo "the \(platformJobName) jobs reported no repository or tags"; exit 1; }
                  for tag in $(echo "$TAGS" | tr ',' ' '); do
                    swift run stevedore index create --push "$REPOSITORY:$tag"\(sources)
                  done

        """
    }
}

extension GitHubWorkflowScaffold {
    /// The first steps of every generated job that runs the plugins: check out, install the C libraries the
    /// `stevedore` tool links (and `extraPackages`), trust the checkout, and, with `cachePrefix`, restore `.build`
    /// under a key of that prefix and the package's manifest and pins. The first line has no indentation (it
    /// stands where it is interpolated); the others are indented for a job's `steps:` list.
    static func setUpSteps(installing what: String = "libarchive, zlib, libzstd and libcrypto", extraPackages: String = "", cachePrefix: String?) -> String {
        var lines = [
            "- uses: actions/checkout@v4",
            "- name: Install \(what)",
            "  run: apt-get update && apt-get install -y --no-install-recommends \(buildPackages)\(extraPackages.isEmpty ? "" : " \(extraPackages)")",
            "- name: Trust the checkout",
            "  run: git config --global --add safe.directory \"$GITHUB_WORKSPACE\"",
        ]
        if let cachePrefix {
            lines += [
                "- uses: actions/cache@v4",
                "  with:",
                "    path: .build",
                "    key: \(cachePrefix)${{ hashFiles('Package.resolved', 'Package.swift') }}",
                "    restore-keys: \(cachePrefix)",
            ]
        }
        return lines.joined(separator: "\n      ")
    }
}

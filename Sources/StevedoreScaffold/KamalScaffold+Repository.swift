import Foundation

extension KamalScaffold {
    /// The GitHub owner and repository named by a remote URL: `git@github.com:Owner/Repo.git`,
    /// `https://github.com/Owner/Repo(.git)` or `ssh://git@github.com/Owner/Repo`; `nil` for other hosts.
    public static func gitHubRepository(fromRemoteURL url: String) -> (owner: String, name: String)? {
        var text = Substring(url.trimmingCharacters(in: .whitespacesAndNewlines))
        if text.hasSuffix("/") { text = text.dropLast() }
        if text.hasSuffix(".git") { text = text.dropLast(4) }
        let path: Substring
        if let range = text.range(of: "github.com:") ?? text.range(of: "github.com/") {
            path = text[range.upperBound...]
        } else {
            return nil
        }
        let parts = path.split(separator: "/")
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The GitHub repository of a package: `GITHUB_REPOSITORY` (`owner/repo`) when set, else the `origin`
    /// remote of the git checkout as written (not rewritten by `insteadOf`); `nil` when neither says.
    public static func detectGitHubRepository(packageDirectory: String, environment: [String: String]) -> (owner: String, name: String)? {
        if let variable = environment["GITHUB_REPOSITORY"] {
            let parts = variable.split(separator: "/")
            if parts.count == 2 { return (String(parts[0]), String(parts[1])) }
        }
        guard let remote = run(["git", "-C", packageDirectory, "config", "--get", "remote.origin.url"]) else { return nil }
        return gitHubRepository(fromRemoteURL: remote)
    }

    /// The executable products of the package in `packageDirectory`, from `swift package dump-package`.
    public static func executableProducts(packageDirectory: String) -> [String] {
        guard let json = run(["swift", "package", "--package-path", packageDirectory, "dump-package"]),
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let products = object["products"] as? [[String: Any]]
        else { return [] }
        return products.compactMap { product in
            guard let type = product["type"] as? [String: Any], type["executable"] != nil else { return nil }
            return product["name"] as? String
        }
    }

    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

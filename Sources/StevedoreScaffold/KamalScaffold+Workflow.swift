import StevedoreCore
extension KamalScaffold {
    /// `existing` with the deploy job added at the end of its `jobs:` mapping, indented like its other jobs,
    /// after the `build-and-push` job, else the job joining a platform matrix (running `stevedore index create`:
    /// the index exists only once it is done), else the first job that runs `push-image`. With
    /// `replacingDeployJob`, a `deploy` job already there is replaced.
    ///
    /// - Throws: ``StevedoreError`` `workflowNotExtensible` when there is no top-level `jobs:` or no job
    ///   running `push-image` for `deploy` to follow; `fileExists` when a `deploy` job exists and
    ///   `replacingDeployJob` is false.
    public func workflow(extending existing: String, path: String = workflowPath, replacingDeployJob: Bool) throws -> String {
        var lines = existing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        func indentation(_ line: String) -> Int { line.prefix(while: { $0 == " " }).count }
        func isContent(_ line: String) -> Bool {
            let trimmed = line.drop(while: { $0 == " " })
            return !trimmed.isEmpty && !trimmed.hasPrefix("#")
        }
        func isKey(_ line: String, _ key: String) -> Bool {
            let trimmed = line.drop(while: { $0 == " " })
            guard trimmed.hasPrefix(key + ":") else { return false }
            let rest = trimmed.dropFirst(key.count + 1).drop(while: { $0 == " " })
            return rest.isEmpty || rest.hasPrefix("#")
        }
        guard let jobsLine = lines.firstIndex(where: { indentation($0) == 0 && isKey($0, "jobs") }) else {
            throw StevedoreError(.workflowNotExtensible, "\(path) has no top-level `jobs:`; add this job to it by hand:\n\(deployJob)")
        }
        var end = lines.count
        for index in (jobsLine + 1)..<lines.count where isContent(lines[index]) && indentation(lines[index]) == 0 {
            end = index
            break
        }
        let jobIndent = lines[(jobsLine + 1)..<end].first(where: isContent).map(indentation) ?? 2
        let jobLines = (jobsLine + 1)..<end
        // The jobs: each key at the jobs' indentation, with the lines up to the next one.
        let jobStarts = jobLines.filter { isContent(lines[$0]) && indentation(lines[$0]) == jobIndent }
        let jobs: [(name: String, body: ArraySlice<String>)] = jobStarts.enumerated().map { position, start in
            let next = position + 1 < jobStarts.count ? jobStarts[position + 1] : end
            let name = lines[start].drop(while: { $0 == " " }).prefix(while: { $0 != ":" })
            return (String(name), lines[start..<next])
        }
        // The job to follow: `build-and-push`, else the job joining the platform images, else the first job that
        // runs the push-image plugin.
        guard let pushJob = jobs.first(where: { $0.name == "build-and-push" })?.name
            ?? jobs.first(where: { $0.name != "deploy" && $0.body.contains { $0.contains("stevedore index create") } })?.name
            ?? jobs.first(where: { $0.name != "deploy" && $0.body.contains { $0.contains("push-image") } })?.name
        else {
            throw StevedoreError(.workflowNotExtensible, "\(path) has no job running push-image for the deploy job to follow; run `stevedore init github-actions` first, or add this job by hand with `needs:` naming your push job:\n\(deployJob)")
        }
        if let deployLine = jobLines.first(where: { indentation(lines[$0]) == jobIndent && isKey(lines[$0], "deploy") }) {
            guard replacingDeployJob else {
                throw StevedoreError(.fileExists, "\(path) already has a `deploy` job; pass --force to replace it")
            }
            var deployEnd = end
            for index in (deployLine + 1)..<end where isContent(lines[index]) && indentation(lines[index]) <= jobIndent {
                deployEnd = index
                break
            }
            lines.removeSubrange(deployLine..<deployEnd)
            end -= deployEnd - deployLine
        }
        // Insert after the last content line of the jobs block, so trailing comments of the next block stay put.
        var insertAt = end
        while insertAt > jobsLine + 1, !isContent(lines[insertAt - 1]) { insertAt -= 1 }
        let job: [String] = deployJob(needs: pushJob).split(separator: "\n").map { (line: Substring) -> String in
            let spaces = line.prefix(while: { $0 == " " }).count
            // Shifted as a block to the indentation of the other jobs; its inner lines keep their relative indentation.
            return String(repeating: " ", count: spaces - 2 + jobIndent) + String(line.drop(while: { $0 == " " }))
        }
        lines.insert(contentsOf: [""] + job, at: insertAt)
        while lines.last?.allSatisfy({ $0 == " " }) == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

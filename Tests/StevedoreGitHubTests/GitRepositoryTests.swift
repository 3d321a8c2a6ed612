import Foundation
import StevedoreTestSupport
import Testing
import StevedoreGitHub

@Suite(.dedicatedThread) struct GitRepositoryTests {
    static let fixedDates: [String: String?] = [
        "GIT_AUTHOR_DATE": "@1700000000 +0000", "GIT_COMMITTER_DATE": "@1700000000 +0000",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    ]

    static func git(_ arguments: [String], in directory: TemporaryDirectory) throws {
        let result = try ProcessRunner.run(["git", "-C", directory.path] + arguments, environment: fixedDates)
        try #require(result.status == 0, "git \(arguments): \(result.output)")
    }

    @Test func outsideAWorkTreeThereIsNoSnapshot() throws {
        let directory = try TemporaryDirectory("publish-nogit")
        #expect(try GitRepository(directory: directory.path).snapshot() == nil)
    }

    @Test func readsCommitTimeBranchDirtinessAndOrigin() throws {
        let directory = try TemporaryDirectory("publish-git")
        try Self.git(["init", "-q", "-b", "main"], in: directory)
        #expect(try GitRepository(directory: directory.path).snapshot() == nil, "no commit yet")
        try directory.write(".gitignore", ".build/\n")
        try directory.write("Package.swift", "// swift-tools-version: 6.0\n")
        try Self.git(["add", "-A"], in: directory)
        try Self.git(["commit", "-q", "-m", "first"], in: directory)
        try Self.git(["remote", "add", "origin", "git@github.com:Acme/Hello.git"], in: directory)
        try directory.write(".build/ignored", "x")

        let clean = try #require(try GitRepository(directory: directory.path).snapshot())
        let head = try ProcessRunner.run(["git", "-C", directory.path, "rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(clean.commit == head)
        #expect(clean.commit.count == 40)
        #expect(clean.commitTime == 1_700_000_000)
        #expect(clean.branch == "main")
        #expect(!clean.isDirty)
        #expect(clean.originURL == "git@github.com:Acme/Hello.git")
        #expect(clean.originDefaultBranch == nil)

        try directory.write("Package.swift", "// changed\n")
        let dirty = try #require(try GitRepository(directory: directory.path).snapshot())
        #expect(dirty.isDirty)

        try Self.git(["checkout", "-q", "--detach"], in: directory)
        #expect(try GitRepository(directory: directory.path).snapshot()?.branch == nil)

        #expect(clean.gitHubRepository?.containerRepository == "ghcr.io/acme/hello")
        #expect(try GitRepository(directory: directory.path).originURL() == "git@github.com:Acme/Hello.git")
    }

    @Test func untrackedFilesDoNotMakeTheTreeDirty() throws {
        let directory = try TemporaryDirectory("publish-untracked")
        try Self.git(["init", "-q", "-b", "main"], in: directory)
        try directory.write("Package.swift", "// swift-tools-version: 6.0\n")
        try Self.git(["add", "-A"], in: directory)
        try Self.git(["commit", "-q", "-m", "first"], in: directory)
        // A new user's package: no .gitignore, a .build/ and a stray file.
        try directory.write(".build/debug/App", "binary")
        try directory.write("notes.txt", "untracked")
        #expect(try GitRepository(directory: directory.path).snapshot()?.isDirty == false)

        try directory.write("Package.swift", "// swift-tools-version: 6.1\n")
        #expect(try GitRepository(directory: directory.path).snapshot()?.isDirty == true, "a changed tracked file")
        try Self.git(["add", "Package.swift"], in: directory)
        #expect(try GitRepository(directory: directory.path).snapshot()?.isDirty == true, "a staged change")
    }

    @Test func withoutAnOriginThereIsNoOriginURL() throws {
        let directory = try TemporaryDirectory("publish-no-origin")
        #expect(try GitRepository(directory: directory.path).originURL() == nil)
        try Self.git(["init", "-q"], in: directory)
        #expect(try GitRepository(directory: directory.path).originURL() == nil)
    }
}

/// The tags `push-image` gives an image built from a commit, and `deploy kamal` deploys: the full commit SHA,
/// with `-dirty` when tracked files differ from the commit, plus `latest` for a clean build on the default branch.
public enum CommitTag {
    /// The tag a clean build of the default branch also gets.
    public static let latest = "latest"
    /// The suffix of the tag of a build from a dirty work tree.
    public static let dirtySuffix = "-dirty"

    /// The tag naming `commit`: the SHA itself, or `<sha>-dirty`.
    public static func tag(commit: String, isDirty: Bool) -> String {
        isDirty ? commit + dirtySuffix : commit
    }

    /// The default tags of an image built from `commit`: ``tag(commit:isDirty:)``, then ``latest`` when the build
    /// is on the default branch and clean.
    public static func tags(commit: String, isDirty: Bool, isDefaultBranch: Bool) -> [String] {
        var tags = [tag(commit: commit, isDirty: isDirty)]
        if isDefaultBranch, !isDirty { tags.append(latest) }
        return tags
    }

    /// Whether `text` is a full 40-digit hexadecimal SHA-1 (either case).
    public static func isFullSHA(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
    }
}

import StevedoreCore

/// An error writing a docker-archive tarball.
///
/// A ``StevedoreError`` with the code below or the shared code `io`; the message names the file and what
/// failed.
public typealias DockerArchiveError = StevedoreError

extension StevedoreError.Code {
    /// libarchive could not start the tar writer or create an entry.
    public static let archive = Self("docker-archive.libarchive", category: .io)
}

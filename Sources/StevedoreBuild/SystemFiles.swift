import Foundation
import StevedoreArchive
import StevedoreCore

/// The files a server expects on an otherwise empty image: users and groups with a non-root user, name
/// service configuration, a world-writable `/tmp`, a home directory, and the host's CA certificates.
///
/// The non-root user is `nonroot` (65532:65532), as in distroless and ko images.
public struct SystemFiles: Sendable {
    /// The user the image runs as by default.
    public static let user = "65532:65532"
    /// The non-root user's home directory.
    public static let home = "/home/nonroot"
    /// The default `PATH` of an image from scratch.
    public static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Where the host's CA bundle is read from; the first that exists is used.
    public var certificateBundleCandidates = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/cert.pem",
    ]

    public init() {}

    /// The host's CA bundle the image gets: the first readable candidate; `nil` when the host has none.
    public var certificateBundle: String? {
        certificateBundleCandidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Adds the files to `tree`.
    ///
    /// - Throws: ``StevedoreArchive/StevedoreError`` for an unreadable CA bundle.
    public func add(to tree: inout FileTree) throws {
        let nonroot = FileOwner(uid: 65532, gid: 65532)
        try tree.addFile("etc/passwd", text: """
            root:x:0:0:root:/root:/sbin/nologin
            nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
            nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin

            """)
        try tree.addFile("etc/group", text: """
            root:x:0:
            nobody:x:65534:
            nonroot:x:65532:

            """)
        try tree.addFile("etc/nsswitch.conf", text: """
            passwd: files
            group: files
            shadow: files
            hosts: files dns
            networks: files
            protocols: files
            services: files

            """)
        try tree.addDirectory("tmp", mode: 0o1777)
        try tree.addDirectory("root", mode: 0o700)
        try tree.addDirectory("home", mode: 0o755)
        try tree.addDirectory("home/nonroot", mode: 0o700, owner: nonroot)
        if let bundle = certificateBundle {
            try tree.addFile("etc/ssl/certs/ca-certificates.crt", hostPath: URL(fileURLWithPath: bundle).resolvingSymlinksInPath().path, mode: 0o644)
        }
    }
}

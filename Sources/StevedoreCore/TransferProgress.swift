import Foundation

/// What happened to one blob.
public enum BlobOutcome: String, Sendable, Hashable {
    /// Uploaded to the registry.
    case uploaded
    /// Mounted from another repository of the same registry, without uploading.
    case mounted
    /// Already in the registry (push) or in the store (pull); nothing moved.
    case alreadyPresent = "already present"
    /// Downloaded into the store.
    case downloaded
}

/// Receives the progress of blob transfers. Called from several tasks at once.
public protocol TransferProgress: Sendable {
    /// A blob starts moving (`upload` or `download`).
    func started(_ descriptor: Descriptor, upload: Bool)
    /// `bytes` more bytes of the blob moved.
    func advanced(_ digest: Digest, by bytes: Int)
    /// The blob is done.
    func finished(_ descriptor: Descriptor, outcome: BlobOutcome)
    /// A line worth telling the user, e.g. a retry.
    func note(_ message: String)
}

/// Reports nothing (`--quiet`).
public struct SilentTransferProgress: TransferProgress {
    public init() {}
    public func started(_ descriptor: Descriptor, upload: Bool) {}
    public func advanced(_ digest: Digest, by bytes: Int) {}
    public func finished(_ descriptor: Descriptor, outcome: BlobOutcome) {}
    public func note(_ message: String) {}
}

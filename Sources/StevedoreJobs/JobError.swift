import StevedoreCore

extension StevedoreError.Code {
    /// An output location cannot be created or written, or a location cannot be used this way (a
    /// docker-archive as a source, a registry without a client).
    public static let unusableLocation = Self("jobs.unusable-location", category: .outputFailed)
}

extension StevedoreError {
    /// The kind of failure a ``Code`` is, which says what the user has to do.
    ///
    /// The `stevedore` command derives its exit code from the category (sysexits.h values, shown here).
    public enum Category: String, Sendable, Hashable, CaseIterable {
        /// The command was called wrongly: an option is missing or malformed (64).
        case usage
        /// Input data is invalid: a bad reference or setting, a file that is not ELF, a corrupt image (65).
        case invalidInput
        /// An input file, image, blob or tool does not exist or cannot be read (66).
        case notFound
        /// An output cannot be created: the file exists, the directory is not an OCI layout, … (73).
        case outputFailed
        /// Reading or writing failed, e.g. the disk is full (74).
        case io
        /// Credentials were refused, or they do not grant the permission needed (77).
        case denied
        /// A service could not be reached or kept failing until the time bound ran out (1).
        case unavailable
        /// Any other failure: a check found problems, a tool failed, a registry rejected a request (1).
        case failure
    }
}

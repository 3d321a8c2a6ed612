import StevedoreCore

/// An error assembling an image: bad settings, inputs that cannot go into an image, a platform mismatch.
///
/// A ``StevedoreError`` with one of the codes below; the message says which value is wrong and how to
/// write it.
public typealias BuildError = StevedoreError

extension StevedoreError.Code {
    /// An environment variable is not `NAME=VALUE` with a valid name.
    public static let invalidEnvironment = Self("build.invalid-environment", category: .invalidInput)
    /// A label is not `KEY=VALUE` with a non-empty key.
    public static let invalidLabel = Self("build.invalid-label", category: .invalidInput)
    /// An annotation is not `KEY=VALUE` with a non-empty key.
    public static let invalidAnnotation = Self("build.invalid-annotation", category: .invalidInput)
    /// A port is not `PORT[/tcp|/udp]` with a port from 1 to 65535.
    public static let invalidPort = Self("build.invalid-port", category: .invalidInput)
    /// A file or directory to add is not `SOURCE:DESTINATION`, or cannot be added.
    public static let invalidAddition = Self("build.invalid-addition", category: .invalidInput)
    /// Another image setting (working directory, volume, stop signal, user, entrypoint) is malformed.
    public static let invalidSetting = Self("build.invalid-setting", category: .invalidInput)
    /// An input (the executable, a file to add, the base image) does not exist or cannot be read.
    public static let missingInput = Self("build.missing-input", category: .notFound)
    /// An input is for another platform than the image.
    public static let platformMismatch = Self("build.platform-mismatch", category: .invalidInput)
    /// The base image is malformed: its `diff_ids` do not match its layers, or a media type is unknown.
    public static let invalidBaseImage = Self("build.invalid-base-image", category: .invalidInput)
}

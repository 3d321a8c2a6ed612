import StevedoreCore

/// What a build is asked for about its SBOM (`--sbom`, `--sbom-output`, `--package-resolved`), and the one place
/// that decides whether a build makes one.
public struct SBOMRequest: Hashable, Sendable {
    /// What `--sbom` said.
    public enum Choice: Hashable, Sendable, CustomStringConvertible {
        /// Nothing was said: an SBOM is made when the image is pushed or ``SBOMRequest/outputFile`` is set.
        case automatic
        /// `--sbom none`: no SBOM, even for a push.
        case none
        /// `--sbom spdx` or `--sbom cyclonedx`: always an SBOM in this format.
        case format(SBOMFormat)

        /// Parses `spdx`, `cyclonedx` or `none`.
        ///
        /// - Throws: ``StevedoreError`` `invalidSBOMFormat` for any other word.
        public init(parsing text: String) throws {
            if text == "none" {
                self = .none
            } else if let format = SBOMFormat(rawValue: text) {
                self = .format(format)
            } else {
                throw StevedoreError(.invalidSBOMFormat, "'\(text)' is not an SBOM format; use spdx, cyclonedx or none")
            }
        }

        public var description: String {
            switch self {
            case .automatic: "automatic"
            case .none: "none"
            case .format(let format): format.rawValue
            }
        }
    }

    /// What `--sbom` said; ``Choice/automatic`` when it was not given.
    public var choice: Choice
    /// The `Package.resolved` whose Swift packages the executable was built from, if known.
    public var packageResolved: String?
    /// Where to write the document too (`--sbom-output`), atomically.
    public var outputFile: String?

    /// A request; by default an SBOM is made for pushes only.
    public init(choice: Choice = .automatic, packageResolved: String? = nil, outputFile: String? = nil) {
        self.choice = choice
        self.packageResolved = packageResolved
        self.outputFile = outputFile
    }

    /// The format of the SBOM to make, `nil` for none: the format asked for; without one, SPDX when the image
    /// is pushed (as ko does) or written to ``outputFile``; never with `--sbom none`.
    ///
    /// - Parameter pushing: Whether the build pushes the image to a registry.
    public func format(pushing: Bool) -> SBOMFormat? {
        switch choice {
        case .none: nil
        case .format(let format): format
        case .automatic: pushing || outputFile != nil ? .spdx : nil
        }
    }
}

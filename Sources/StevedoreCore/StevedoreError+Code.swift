extension StevedoreError {
    /// What went wrong: an open set of constants, so modules (and registries) can add codes.
    ///
    /// Each module declares its codes as static constants in an extension (see ``StevedoreError`` for how
    /// to add one). Two codes are equal when their raw values are; the ``category`` goes with the code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, `module.kebab-name`, e.g. `registry.manifest-not-found`.
        public let rawValue: String
        /// The kind of failure this code is.
        public let category: Category

        /// Creates a code.
        ///
        /// - Parameters:
        ///   - rawValue: A name no other code uses, `module.kebab-name`.
        ///   - category: The kind of failure, which decides e.g. the CLI's exit code.
        public init(_ rawValue: String, category: Category) {
            self.rawValue = rawValue
            self.category = category
        }

        /// Creates a code from its name alone, e.g. one read back from a log. Its category is not known
        /// from the name, so it is ``Category/failure``; it still equals the constant with that name.
        public init(rawValue: String) {
            self.init(rawValue, category: .failure)
        }

        public static func == (lhs: Code, rhs: Code) -> Bool {
            lhs.rawValue == rhs.rawValue
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(rawValue)
        }

        /// The ``rawValue``.
        public var description: String { rawValue }
    }
}

/// An error from any Stevedore module: what went wrong (a ``Code``), a message a user can act on, and the
/// error that caused it, if any.
///
/// Every module throws this one shape, as swift-nio's `FileSystemError` and async-http-client's
/// `HTTPClientError` do, so a caller handles all of them alike. The modules keep their old names as type
/// aliases (`StevedoreError`, `StevedoreError`, …), each declared beside that module's codes:
///
/// ```swift
/// do {
///     try await client.pull(reference, platform: nil, into: store)
/// } catch let error as StevedoreError where error.code == .manifestNotFound {
///     print(error)  // the message, e.g. "ghcr.io/owner/app has no tag 'v2'"
/// }
/// ```
///
/// ## Category
///
/// Each code carries a ``Category``: the kind of failure, which says what the user has to do (fix the
/// input, supply a missing file, fix the credentials, …). A program that does not care which module failed
/// decides from ``category`` alone; the `stevedore` command derives its exit code from it.
///
/// ## Adding a code
///
/// A module declares its codes as static constants in its `*Error.swift` file, with a raw value
/// `module.kebab-name` that no other code uses and the category that fits what the user must do:
///
/// ```swift
/// extension StevedoreError.Code {
///     /// The tag or digest does not exist in the repository.
///     public static let manifestNotFound = Self("registry.manifest-not-found", category: .notFound)
/// }
/// ```
///
/// All codes are members of the one ``Code`` type, so a Swift name must be unique across the modules:
/// two modules declaring the same name make it ambiguous wherever both are imported. A code that means the
/// same thing in several modules (``Code/io``, ``Code/blobNotFound``) is declared once in this module.
///
/// ## Messages and causes
///
/// ``description`` is the ``message`` alone, so printing an error prints what the user should read. The
/// ``cause`` is for programs and for debugging: it never appears in the message or the description, and a
/// value that holds a secret (a password, a token, an `Authorization` header) must not be passed as one.
public struct StevedoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong; compare it with a module's constants, e.g. `error.code == .manifestNotFound`.
    public let code: Code
    /// A message a user can act on: it names the file, image or registry concerned and, where one exists,
    /// what to do. It never contains a secret.
    public let message: String
    /// The underlying error, if another error led to this one (a system call, a decoder, another module).
    public let cause: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A message a user can act on, without secrets.
    ///   - cause: The underlying error, if any; it must not hold a secret.
    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The kind of failure, from the ``code``.
    public var category: Category { code.category }

    /// The ``message``.
    public var description: String { message }
}

/// Two errors are equal when their codes and messages are; the ``StevedoreError/cause`` is not compared.
extension StevedoreError: Hashable {
    public static func == (lhs: StevedoreError, rhs: StevedoreError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}

extension StevedoreError {
    /// The same error with `context` before its message: how a caller says where a value came from (the
    /// CLI names its flag, e.g. `--env`), which the library that parsed the value cannot know.
    public func adding(context: String) -> StevedoreError {
        StevedoreError(code, "\(context) \(message)", cause: cause)
    }
}

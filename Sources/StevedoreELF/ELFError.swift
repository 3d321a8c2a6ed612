/// An error reading an ELF file or resolving the shared libraries an executable needs.
///
/// The ``message`` names the file and says what was wrong and, where one exists, what to do about it.
public struct ELFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The file does not start with the ELF magic number (a script, a text file, another format).
        case notELF
        /// The file ends before a structure its headers point to.
        case truncated
        /// A header or table holds values that cannot be right (sizes, counts, addresses).
        case corrupt
        /// `EI_CLASS` is neither 32-bit nor 64-bit.
        case unsupportedClass
        /// `EI_DATA` is neither little-endian nor big-endian.
        case unsupportedEncoding
        /// The file could not be opened or read (the message carries the system's reason).
        case unreadable
        /// A `DT_NEEDED` library was found in none of the directories the dynamic loader searches.
        case libraryNotFound
        /// The program interpreter named by `PT_INTERP` does not exist or is not a usable ELF file.
        case interpreterNotFound
        /// A `DT_NEEDED` entry is a relative path, which the loader opens relative to the working directory.
        case unsupportedLibraryPath
        /// A path goes through too many symbolic links (a loop).
        case symlinkLoop
    }

    /// What went wrong.
    public let code: Code
    /// A message a user can act on.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

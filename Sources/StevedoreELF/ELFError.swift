import StevedoreCore

/// An error reading an ELF file or resolving the shared libraries an executable needs.
///
/// A ``StevedoreError`` with one of the codes below. The message names the file and says what was wrong
/// and, where one exists, what to do about it.
public typealias ELFError = StevedoreError

extension StevedoreError.Code {
    /// The file does not start with the ELF magic number (a script, a text file, another format).
    public static let notELF = Self("elf.not-elf", category: .invalidInput)
    /// The file ends before a structure its headers point to.
    public static let truncated = Self("elf.truncated", category: .invalidInput)
    /// A header or table holds values that cannot be right (sizes, counts, addresses).
    public static let corrupt = Self("elf.corrupt", category: .invalidInput)
    /// `EI_CLASS` is neither 32-bit nor 64-bit.
    public static let unsupportedClass = Self("elf.unsupported-class", category: .invalidInput)
    /// `EI_DATA` is neither little-endian nor big-endian.
    public static let unsupportedEncoding = Self("elf.unsupported-encoding", category: .invalidInput)
    /// The file could not be opened or read (the message carries the system's reason).
    public static let unreadable = Self("elf.unreadable", category: .notFound)
    /// A `DT_NEEDED` library was found in none of the directories the dynamic loader searches: the
    /// executable does not fit the root it is resolved in.
    public static let libraryNotFound = Self("elf.library-not-found", category: .invalidInput)
    /// The program interpreter named by `PT_INTERP` does not exist or is not a usable ELF file.
    public static let interpreterNotFound = Self("elf.interpreter-not-found", category: .invalidInput)
    /// A `DT_NEEDED` entry is a relative path, which the loader opens relative to the working directory.
    public static let unsupportedLibraryPath = Self("elf.unsupported-library-path", category: .invalidInput)
    /// A path goes through too many symbolic links (a loop).
    public static let symlinkLoop = Self("elf.symlink-loop", category: .invalidInput)
}

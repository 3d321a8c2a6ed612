/// Every code a Stevedore module can fail with, by module: one table, so that names are unique across the
/// package and a reader sees all the ways a build, push or deploy can fail in one place (as
/// async-http-client's `HTTPClientError` and swift-nio's `FileSystemError.Code` do). A module adds its
/// codes to its section; the category decides the CLI's exit code.
extension StevedoreError.Code {
    // MARK: Shared
    // Codes that mean the same thing in several modules.
    /// Reading or writing a file failed (the message carries the system's reason), e.g. the disk is full.
    public static let io = Self("io", category: .io)
    /// A blob does not exist in the OCI layout or the registry repository it was looked for in.
    public static let blobNotFound = Self("blob-not-found", category: .notFound)

    // MARK: StevedoreArchive
    // An error while building a layer from files or while reading a layer back.
    /// A path given for the image is empty, contains `..`, a NUL byte, or is otherwise unusable.
    public static let invalidPath = Self("archive.invalid-path", category: .io)
    /// Two entries cannot both exist, e.g. a file where a directory with children is.
    public static let pathConflict = Self("archive.path-conflict", category: .io)
    /// A hard link points at a path that is missing from the tree or is not a regular file.
    public static let invalidHardLink = Self("archive.invalid-hard-link", category: .io)
    /// A symbolic link in a host directory points outside that directory.
    public static let symlinkOutsideSource = Self("archive.symlink-outside-source", category: .io)
    /// A host directory holds a socket, FIFO or device node, which a layer cannot carry.
    public static let unsupportedFileType = Self("archive.unsupported-file-type", category: .io)
    /// A host file or directory could not be read (the message carries the system's reason).
    public static let unreadableFile = Self("archive.unreadable-file", category: .io)
    /// A host file grew or shrank while it was being archived.
    public static let fileChangedWhileReading = Self("archive.file-changed-while-reading", category: .io)
    /// A `LayerOptions` value is out of range.
    public static let invalidOptions = Self("archive.invalid-options", category: .io)
    /// libarchive reported a failure.
    public static let archiveFailure = Self("archive.libarchive", category: .io)
    /// zlib reported a failure.
    public static let compressionFailure = Self("archive.compression", category: .io)
    /// Writing to the blob sink failed (the sink's error is the cause).
    public static let sinkFailure = Self("archive.sink-failure", category: .io)
    /// The layer's media type is one this module cannot read.
    public static let unsupportedMediaType = Self("archive.unsupported-media-type", category: .io)
    /// The operation was cancelled.
    public static let cancelled = Self("archive.cancelled", category: .io)

    // MARK: StevedoreAuth
    // An error while finding or storing registry credentials.
    /// A credentials file exists but cannot be read or parsed.
    public static let unreadableCredentialFile = Self("credential.unreadable-file", category: .failure)
    /// A `docker-credential-*` helper failed or answered something unexpected.
    public static let helperFailed = Self("credential.helper-failed", category: .failure)
    /// A credentials file could not be written.
    public static let unwritableFile = Self("credential.unwritable-file", category: .failure)
    /// The given user name or secret is unusable (empty, or with a newline).
    public static let invalidCredential = Self("credential.invalid", category: .failure)

    // MARK: StevedoreBuild
    // An error assembling an image: bad settings, inputs that cannot go into an image, a platform mismatch.
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

    // MARK: StevedoreCore
    // An error in the image model: a value that does not follow the OCI specifications.
    /// A digest is not `algorithm:hex` with a known algorithm and the right length.
    public static let invalidDigest = Self("image.invalid-digest", category: .invalidInput)
    /// An image reference does not follow the distribution grammar.
    public static let invalidReference = Self("image.invalid-reference", category: .invalidInput)
    /// A platform is not `os/architecture[/variant]`.
    public static let invalidPlatform = Self("image.invalid-platform", category: .invalidInput)
    /// Two images of one index are for the same platform, or an image has no platform to list it under.
    public static let duplicatePlatform = Self("image.duplicate-platform", category: .invalidInput)
    /// A media type is not `type/subtype`.
    public static let invalidMediaType = Self("image.invalid-media-type", category: .invalidInput)
    /// An image location (`oci-layout:`, `docker-archive:`, a reference) cannot be parsed.
    public static let invalidLocation = Self("image.invalid-location", category: .invalidInput)
    /// A document is not valid JSON for the type it should be.
    public static let invalidJSON = Self("image.invalid-json", category: .invalidInput)
    /// Content does not have the digest its descriptor says (the OCI layout uses it too).
    public static let digestMismatch = Self("image.digest-mismatch", category: .invalidInput)
    /// Content does not have the size its descriptor says, or is larger than allowed (the OCI layout uses
    /// it too).
    public static let sizeMismatch = Self("image.size-mismatch", category: .invalidInput)
    /// No artifact of the type asked for is attached to the image (as an OCI referrer), or a referrer is
    /// not an artifact manifest that can be read.
    public static let referrerNotFound = Self("image.referrer-not-found", category: .notFound)

    // MARK: StevedoreDeploy
    // An error that stops `stevedore deploy kamal` before Kamal runs: a file that cannot be read, a value that
    // cannot be worked out, a tool that cannot be found or started.
    /// `config/deploy.yml` (or the destination file) does not exist.
    public static let configurationNotFound = Self("deploy.configuration-not-found", category: .notFound)
    /// A configuration file is not valid YAML, or its top level is not a mapping.
    public static let invalidConfiguration = Self("deploy.invalid-configuration", category: .invalidInput)
    /// A secrets file exists but cannot be read.
    public static let unreadableSecrets = Self("deploy.unreadable-secrets", category: .notFound)
    /// The pushed-image file is not one `REF@sha256:…` line.
    public static let invalidPushedImageFile = Self("deploy.invalid-pushed-image-file", category: .invalidInput)
    /// No tag was given and none could be worked out from `GITHUB_SHA`, git or the pushed-image file.
    public static let tagUnavailable = Self("deploy.tag-unavailable", category: .invalidInput)
    /// `kamal` (or `bundle`) could not be found.
    public static let kamalNotFound = Self("deploy.kamal-not-found", category: .notFound)
    /// Kamal could not be started.
    public static let kamalLaunchFailed = Self("deploy.kamal-launch-failed", category: .failure)
    /// The checks found problems that would make Kamal fail.
    public static let checksFailed = Self("deploy.checks-failed", category: .failure)

    // MARK: StevedoreELF
    // An error reading an ELF file or resolving the shared libraries an executable needs.
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

    // MARK: StevedoreLayout
    // An error reading or writing an OCI image layout on disk.
    /// The directory exists but is not an OCI image layout, so nothing can be written into it.
    public static let notALayout = Self("layout.not-a-layout", category: .outputFailed)
    /// The layout has no image with the tag asked for, or holds no image at all.
    public static let tagNotFound = Self("layout.tag-not-found", category: .notFound)
    /// No tag was given and the layout holds several images.
    public static let ambiguousTag = Self("layout.ambiguous-tag", category: .notFound)
    /// `index.json` cannot be read or is not a valid image index.
    public static let invalidIndex = Self("layout.invalid-index", category: .invalidInput)

    // MARK: StevedorePublish
    // An error while working out where and how to publish an image, or while reporting the result.
    /// No repository was given and none could be derived from GitHub Actions or the git remote.
    public static let missingRepository = Self("publish.missing-repository", category: .usage)
    /// A repository, tag, label or option value is malformed.
    public static let invalidArgument = Self("publish.invalid-argument", category: .usage)
    /// No commit could be found to tag the image with.
    public static let missingRevision = Self("publish.missing-revision", category: .failure)
    /// `git` failed in a way the user must look at.
    public static let gitFailed = Self("publish.git-failed", category: .failure)
    /// A command (the engine, `git`) could not be run or exited with a failure.
    public static let commandFailed = Self("publish.command-failed", category: .failure)
    /// An output file ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, the pushed-image file) could not be written.
    public static let outputFailed = Self("publish.output-failed", category: .failure)

    // MARK: StevedoreRegistry
    // An error talking to a registry.
    /// The registry (or its token service) refused the credentials, or needs some and has none.
    public static let unauthorized = Self("registry.unauthorized", category: .denied)
    /// The credentials are valid but may not do this (e.g. push with pull-only access).
    public static let denied = Self("registry.denied", category: .denied)
    /// The repository does not exist.
    public static let repositoryNotFound = Self("registry.repository-not-found", category: .notFound)
    /// The tag or digest does not exist in the repository.
    public static let manifestNotFound = Self("registry.manifest-not-found", category: .notFound)
    /// Content sent to or received from the registry did not have the digest it was asked for.
    public static let transferDigestMismatch = Self("registry.digest-mismatch", category: .failure)
    /// Content sent to or received from the registry did not have the size its descriptor says, or is
    /// larger than allowed.
    public static let transferSizeMismatch = Self("registry.size-mismatch", category: .failure)
    /// The registry kept failing until the time bound ran out.
    public static let timedOut = Self("registry.timed-out", category: .unavailable)
    /// The registry kept failing for every allowed attempt.
    public static let retriesExhausted = Self("registry.retries-exhausted", category: .unavailable)
    /// The registry could not be reached.
    public static let connectionFailed = Self("registry.connection-failed", category: .unavailable)
    /// TLS failed (untrusted or invalid certificate).
    public static let tlsFailure = Self("registry.tls-failure", category: .failure)
    /// The registry answered something the distribution specification does not allow.
    public static let invalidResponse = Self("registry.invalid-response", category: .failure)
    /// The registry rejected the request for another reason (its message is included).
    public static let rejected = Self("registry.rejected", category: .failure)
    /// A platform, media type or option is not available for this image.
    public static let unsupported = Self("registry.unsupported", category: .failure)
    /// A proxy variable (`HTTPS_PROXY`, `HTTP_PROXY`, their lowercase forms) is not an `http://` proxy URL,
    /// or a `NO_PROXY` entry is malformed.
    public static let invalidProxy = Self("registry.invalid-proxy", category: .usage)
    /// The proxy refused the credentials in its URL, or needs some and has none (`407`).
    public static let proxyUnauthorized = Self("registry.proxy-unauthorized", category: .denied)

    // MARK: StevedoreSBOM
    // An error while making an image's SBOM.
    /// `--sbom` is not `spdx`, `cyclonedx` or `none`.
    public static let invalidSBOMFormat = Self("sbom.invalid-format", category: .usage)
    /// A `Package.resolved` file is missing, unreadable, or not a version 1, 2 or 3 file.
    public static let invalidPackageResolved = Self("sbom.invalid-package-resolved", category: .invalidInput)
    /// A file the SBOM describes (the executable, a copied library) could not be read.
    public static let unreadableSBOMInput = Self("sbom.unreadable-input", category: .notFound)
    /// The SBOM file (`--sbom-output`) could not be written.
    public static let sbomWriteFailed = Self("sbom.write-failed", category: .outputFailed)

    // MARK: StevedoreScaffold
    // An error while writing the GitHub Actions workflow into a package.
    /// The product name cannot be written into a workflow safely.
    public static let invalidProductName = Self("scaffold.invalid-product-name", category: .outputFailed)
    /// The directory is not a Swift package (no `Package.swift`).
    public static let notAPackage = Self("scaffold.not-a-package", category: .outputFailed)
    /// The workflow file could not be written.
    public static let workflowWriteFailed = Self("scaffold.workflow-write-failed", category: .outputFailed)

    // MARK: StevedoreScaffold
    // Why `stevedore init kamal` wrote nothing.
    /// A file to write exists (or the workflow already has a deploy job) and `force` was not given. The
    /// GitHub Actions workflow scaffold uses it too.
    public static let fileExists = Self("scaffold.file-exists", category: .outputFailed)
    /// The existing workflow cannot be extended safely.
    public static let workflowNotExtensible = Self("scaffold.workflow-not-extensible", category: .outputFailed)
    /// A file of the Kamal scaffold could not be written.
    public static let writeFailed = Self("scaffold.write-failed", category: .io)

    // MARK: StevedoreTarball
    // An error writing a docker-archive tarball.
    /// libarchive could not start the tar writer or create an entry.
    public static let archive = Self("docker-archive.libarchive", category: .io)

    // MARK: StevedoreProcess
    // A child process could not be started, or did not finish in time. The message names the program and says
    // what to do; it never shows the arguments or the environment, which may hold secrets.
    /// The program is not an executable file, or not on `PATH`.
    public static let programNotFound = Self("process.not-found", category: .notFound)
    /// The program exists but could not be started.
    public static let programLaunchFailed = Self("process.launch-failed", category: .failure)
    /// The program did not finish within its timeout and was stopped (`SIGTERM`, then `SIGKILL`).
    public static let programTimedOut = Self("process.timed-out", category: .unavailable)
    /// The task waiting for the program was cancelled; the program was stopped.
    public static let programCancelled = Self("process.cancelled", category: .failure)

    // MARK: StevedoreGitHub
    // git could not answer about a work tree.
    /// git is not installed, cannot be started, or did not answer in time.
    public static let gitUnavailable = Self("github.git-unavailable", category: .unavailable)
    /// git answered the first questions about the work tree, then failed.
    public static let gitQueryFailed = Self("github.git-query-failed", category: .failure)

    // MARK: StevedoreInspect
    /// `verify` found problems (each is printed; the last is the message).
    public static let verificationFailed = Self("inspect.verification-failed", category: .failure)

    // MARK: StevedoreJobs
    /// An output location cannot be created or written, or a location cannot be used this way (a
    /// docker-archive as a source, a registry without a client).
    public static let unusableLocation = Self("jobs.unusable-location", category: .outputFailed)
}

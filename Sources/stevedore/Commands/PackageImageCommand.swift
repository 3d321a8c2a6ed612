import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreDeploy
import StevedorePublish

/// `stevedore package-image`: what the `build-image` and `push-image` plugins run once SwiftPM has built the product.
///
/// Works out labels, SOURCE_DATE_EPOCH, repository and tags from git and GitHub Actions (``PublishDefaults``), runs
/// `stevedore build` and, with `--push`, `stevedore push`, then reports the result to the user and to GitHub Actions.
struct PackageImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package-image",
        abstract: "Turn a built executable product of a Swift package into an image, and optionally push it.",
        discussion: """
        The build-image and push-image SwiftPM plugins run this after building the product; it can also be run by hand.
        Defaults: labels org.opencontainers.image.source/.revision/.created and SOURCE_DATE_EPOCH from the commit;
        repository ghcr.io/<owner>/<repo> from GITHUB_REPOSITORY or a GitHub `origin`; tags: the full commit SHA
        (GITHUB_SHA, else git HEAD) plus `latest` on the default branch (`<sha>-dirty` and no `latest` for a dirty tree).
        """
    )

    @Option(name: .customLong("package-dir"), help: "The root directory of the Swift package.")
    var packageDirectory: String

    @Option(help: "The name of the executable product.")
    var product: String

    @Option(help: "The built executable.")
    var executable: String

    @Option(name: .customLong("resources-bundle"), help: "A SwiftPM resource bundle placed beside the executable (repeatable).")
    var resourceBundles: [String] = []

    @Flag(help: "Push the image after building it.")
    var push = false

    @Option(help: "Where to push: REGISTRY/PATH (default: ghcr.io/<owner>/<repo>).")
    var repository: String?

    @Option(help: "A tag (repeatable). Default when pushing: the commit SHA, plus `latest` on the default branch.")
    var tag: [String] = []

    @Option(name: .customLong("default-branch"), help: "The branch whose builds are also tagged `latest`.")
    var defaultBranch: String?

    @Option(name: .customLong("source-date-epoch"), help: "Timestamp for the image (default: SOURCE_DATE_EPOCH, else the commit time).")
    var sourceDateEpoch: Int64?

    @Option(help: "Base image (default: scratch).")
    var from: String?

    @Option(help: "oci-layout:DIR[:TAG] or docker-archive:FILE[:NAME:TAG] (repeatable; default: oci-layout:.build/stevedore/oci/<product>).")
    var output: [String] = []

    @Option(name: .customLong("pushed-image-file"), help: "Where to write REF@digest after a push (default: .build/stevedore/pushed-image).")
    var pushedImageFile: String?

    @Flag(help: "After pushing, run `stevedore deploy kamal --tag <first tag>`.")
    var deploy = false

    @OptionGroup(title: "Image configuration (passed to `stevedore build`)")
    var image: PackageImageBuildOptions

    @OptionGroup(title: "Registry access (passed to `stevedore push`)")
    var registry: PackageImagePushOptions

    func validate() throws {
        if deploy, !push { throw ValidationError("--deploy needs --push (use the push-image plugin).") }
        if !registry.arguments.isEmpty, !push { throw ValidationError("--ca-file, --insecure-registry, --username and --password-stdin only apply with --push.") }
    }

    /// Writes a line to standard output at once, so it keeps its place among the engine's lines.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let packageDirectory = URL(fileURLWithPath: self.packageDirectory).standardizedFileURL.path
        let defaults = try PublishDefaults.load(packageDirectory: packageDirectory, environment: environment)
        let options = PublishOptions(repository: repository, tags: tag, sourceDateEpoch: sourceDateEpoch, defaultBranch: defaultBranch)
        let provenance = try defaults.provenance(options)
        for warning in provenance.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        let destination = push ? try defaults.destination(options) : nil

        var outputs: [ImageLocation] = []
        for text in output {
            do {
                outputs.append(try ImageLocation(parsing: text))
            } catch let error as ImageModelError {
                throw ValidationError("--output: \(error.message)")
            }
            if case .registry = outputs.last {
                throw ValidationError("--output '\(text)' names a registry; use push-image (or --push with --repository) to push.")
            }
        }
        // Kamal refuses an image without service=<service>; a user's own --label service=… comes later and wins.
        let serviceLabelArguments = try KamalConfiguration.serviceLabels(packageDirectory: packageDirectory, environment: environment)
            .sorted { $0.key < $1.key }
            .flatMap { ["--label", "\($0.key)=\($0.value)"] }
        let request = PackageImageRequest(
            packageDirectory: packageDirectory,
            product: product,
            executable: executable,
            resourceBundles: resourceBundles,
            base: from,
            outputs: outputs,
            // The engine's own hints are replaced by the run instructions printed below.
            buildOptions: serviceLabelArguments + (image.quiet ? image.arguments : image.arguments + ["--quiet"])
        )
        let layoutTag = destination?.tags.first ?? tag.first ?? "latest"
        let resolvedOutputs = request.resolvedOutputs(layoutTag: layoutTag, needsLayout: push)
        let engine = StevedoreEngine()
        let builtDigest = try engine.run(
            request.buildArguments(provenance: provenance, outputs: resolvedOutputs, digestFile: engine.digestFile("build")),
            digestKey: "build"
        )
        Self.say(PackageImageRequest.runInstructions(outputs: resolvedOutputs, digest: builtDigest, port: image.expose.first?.split(separator: "/").first.map(String.init)))

        guard let destination else { return }
        guard let layout = PackageImageRequest.layoutToPush(in: resolvedOutputs) else {
            throw ValidationError("No OCI layout to push from.")
        }
        let pushedDigest = try engine.run(
            PackageImageRequest.pushArguments(layout: layout, destination: destination, pushOptions: registry.arguments, digestFile: engine.digestFile("push")),
            digestKey: "push",
            inheritStandardInput: registry.passwordStdin
        )
        let published = PublishedImage(repository: destination.repository, digest: pushedDigest, tags: destination.tags, isDirty: provenance.isDirty)
        try GitHubActionsOutput.writePinnedReference(published, to: pushedImageFile ?? request.pushedImageFile)
        try GitHubActionsOutput(environment: environment).write(published)
        Self.say("Pushed \(destination.repository) tags \(destination.tags.joined(separator: ", "))")
        Self.say(published.taggedPinnedReference)

        if deploy, let first = destination.tags.first {
            try engine.run(["deploy", "kamal", "--package-path", packageDirectory, "--tag", first])
        }
    }
}

/// The `stevedore build` options `package-image` passes through unchanged.
struct PackageImageBuildOptions: ParsableArguments {
    @Option(help: "An environment variable K=V (repeatable).") var env: [String] = []
    @Option(help: "A port to expose, PORT[/tcp|udp] (repeatable).") var expose: [String] = []
    @Option(help: "A label K=V (repeatable; overrides a default label).") var label: [String] = []
    @Option(help: "An annotation K=V (repeatable).") var annotation: [String] = []
    @Option(help: "Entrypoint: a JSON array, or one argv element per use.") var entrypoint: [String] = []
    @Option(help: "Command: a JSON array, or one argv element per use.") var cmd: [String] = []
    @Option(help: "Add a file or directory, SRC:DEST (repeatable).") var add: [String] = []
    @Option(help: "A volume mount point (repeatable).") var volume: [String] = []
    @Option(help: "The user to run as.") var user: String?
    @Option(help: "The working directory.") var workdir: String?
    @Option(help: "The platform, os/arch[/variant].") var platform: String?
    @Option(name: .customLong("stop-signal"), help: "The stop signal.") var stopSignal: String?
    @Option(name: .customLong("compression-level"), help: "gzip level.") var compressionLevel: Int?
    @Option(help: "Compression threads.") var threads: Int?
    @Flag(help: "Print less.") var quiet = false

    /// The options as `stevedore build` arguments.
    var arguments: [String] {
        var arguments: [String] = []
        for (name, values) in [("env", env), ("expose", expose), ("label", label), ("annotation", annotation),
                               ("entrypoint", entrypoint), ("cmd", cmd), ("add", add), ("volume", volume)] {
            for value in values { arguments += ["--\(name)", value] }
        }
        for (name, value) in [("user", user), ("workdir", workdir), ("platform", platform), ("stop-signal", stopSignal),
                              ("compression-level", compressionLevel.map(String.init)), ("threads", threads.map(String.init))] {
            if let value { arguments += ["--\(name)", value] }
        }
        if quiet { arguments.append("--quiet") }
        return arguments
    }
}

/// The `stevedore push` options `package-image` passes through unchanged.
struct PackageImagePushOptions: ParsableArguments {
    @Option(name: .customLong("ca-file"), help: "A PEM file of CA certificates to trust for the registry.") var caFile: String?
    @Option(name: .customLong("insecure-registry"), help: "HOST:PORT to reach over plain HTTP (repeatable).") var insecureRegistry: [String] = []
    @Option(help: "Registry user name (with --password-stdin).") var username: String?
    @Flag(name: .customLong("password-stdin"), help: "Read the registry password from standard input.") var passwordStdin = false

    /// The options as `stevedore push` arguments.
    var arguments: [String] {
        var arguments: [String] = []
        if let caFile { arguments += ["--ca-file", caFile] }
        for host in insecureRegistry { arguments += ["--insecure-registry", host] }
        if let username { arguments += ["--username", username] }
        if passwordStdin { arguments.append("--password-stdin") }
        return arguments
    }
}

/// Runs this same `stevedore` executable for `build`, `push` and `deploy kamal`, sharing the terminal.
private struct StevedoreEngine {
    let executable: URL
    let scratch: URL

    init() {
        #if os(Linux)
        executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        #else
        executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stevedore-package-image-\(UUID().uuidString)")
    }

    func digestFile(_ key: String) -> String { scratch.appendingPathComponent("\(key).digest").path }

    /// Runs `stevedore arguments…` and returns the digest it wrote to the digest file for `digestKey`.
    func run(_ arguments: [String], digestKey: String, inheritStandardInput: Bool = false) throws -> Digest {
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw PublishError(.outputFailed, "Could not create \(scratch.path): \(error.localizedDescription); check TMPDIR.")
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        try run(arguments, inheritStandardInput: inheritStandardInput)
        let file = digestFile(digestKey)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw PublishError(.commandFailed, "`stevedore \(arguments.first ?? "")` did not write its digest to \(file).")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let digestText = trimmed.split(separator: "@").last.map(String.init) ?? trimmed
        do {
            return try Digest(parsing: digestText)
        } catch {
            throw PublishError(.commandFailed, "`stevedore \(arguments.first ?? "")` wrote '\(trimmed)' to its digest file, which is not a digest.")
        }
    }

    /// Runs `stevedore arguments…` and waits; throws when it fails.
    func run(_ arguments: [String], inheritStandardInput: Bool = false) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !inheritStandardInput { process.standardInput = FileHandle.nullDevice }
        let command = arguments.prefix(arguments.first == "deploy" ? 2 : 1).joined(separator: " ")
        do {
            try process.run()
        } catch {
            throw PublishError(.commandFailed, "Could not run `\(executable.path) \(command)`: \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw PublishError(.commandFailed, "`stevedore \(command)` failed (exit status \(process.terminationStatus)); see its message above.")
        }
    }
}

import ArgumentParser
import StevedoreBuild
import StevedoreCore
import StevedoreJobs
import Foundation

/// The flags that set the image's configuration, shared by `build` and `package-image` (the plugins).
struct ImageConfigurationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The entrypoint: a JSON array, or one argument per use.", valueName: "ARG"))
    var entrypoint: [String] = []

    @Option(help: ArgumentHelp("The default arguments: a JSON array, or one argument per use.", valueName: "ARG"))
    var cmd: [String] = []

    @Option(name: .long, help: ArgumentHelp("An environment variable (repeatable).", valueName: "NAME=VALUE"))
    var env: [String] = []

    @Option(help: ArgumentHelp("The working directory of the container (absolute).", valueName: "DIR"))
    var workdir: String?

    @Option(help: ArgumentHelp("The user the container runs as (default for scratch images: 65532:65532, 'nonroot').", valueName: "USER[:GROUP]"))
    var user: String?

    @Option(help: ArgumentHelp("A port the image listens on (repeatable).", valueName: "PORT[/tcp|udp]"))
    var expose: [String] = []

    @Option(help: ArgumentHelp("A label of the image configuration (repeatable).", valueName: "KEY=VALUE"))
    var label: [String] = []

    @Option(help: ArgumentHelp("An annotation of the manifest (repeatable).", valueName: "KEY=VALUE"))
    var annotation: [String] = []

    @Option(help: ArgumentHelp("A volume mount point (repeatable).", valueName: "DIR"))
    var volume: [String] = []

    @Option(name: .customLong("stop-signal"), help: ArgumentHelp("The signal that stops the container, e.g. SIGTERM.", valueName: "SIGNAL"))
    var stopSignal: String?

    @Option(help: ArgumentHelp("The platform; defaults to the executable's (a mismatch is an error).", valueName: "OS/ARCH[/VARIANT]"), transform: Parse.platform)
    var platform: Platform?

    @Option(help: ArgumentHelp("A host file or directory to copy into the image (repeatable); symlinks stay symlinks.", valueName: "SRC:DEST"))
    var add: [String] = []

    @OptionGroup(title: "Layers")
    var layers: LayerWritingOptions

    /// The settings these flags describe.
    ///
    /// - Throws: the parse errors of the flags, naming the flag.
    func settings() throws -> ImageSettings {
        var settings = ImageSettings()
        settings.entrypoint = try Self.argv(entrypoint, flag: "--entrypoint")
        settings.cmd = try Self.argv(cmd, flag: "--cmd")
        settings.environment = try Self.flag("--env") { try env.map(EnvironmentVariable.init(parsing:)) }
        settings.workingDirectory = workdir
        settings.user = user
        settings.exposedPorts = try Self.flag("--expose") { try expose.map(ExposedPort.init(parsing:)) }
        for item in label {
            let pair = try Self.flag("--label") { try KeyValue(parsing: item, code: .invalidLabel) }
            settings.labels[pair.key] = pair.value
        }
        for item in annotation {
            let pair = try Self.flag("--annotation") { try KeyValue(parsing: item, code: .invalidAnnotation) }
            settings.annotations[pair.key] = pair.value
        }
        settings.volumes = volume
        settings.stopSignal = stopSignal
        try Self.flag("--workdir") { try ImageSettings.validate(workingDirectory: workdir) }
        try Self.flag("--volume") { for item in volume { try ImageSettings.validate(volume: item) } }
        try Self.flag("--stop-signal") { try ImageSettings.validate(stopSignal: stopSignal) }
        try Self.flag("--user") { try ImageSettings.validate(user: user) }
        return settings
    }

    /// Sets the request's configuration, additions, platform, timestamp and compression from these flags.
    func apply(to request: inout BuildRequest) throws {
        request.settings = try settings()
        request.additions = try Self.flag("--add") { try add.map(Addition.init(parsing:)) }
        request.platform = platform
        request.creationTime = try layers.creationTime()
        request.layerOptions = layers.layerOptions
        request.usesLayerCache = !layers.noCache
    }

    /// Runs `parse`, naming `flag` in front of the message of a value it rejects.
    static func flag<T>(_ flag: String, _ parse: () throws -> T) throws -> T {
        do {
            return try parse()
        } catch let error as StevedoreError {
            throw error.adding(context: flag)
        }
    }

    /// `nil` when the flag was not used; a value starting with `[` is a JSON array, others are one argument each.
    static func argv(_ values: [String], flag: String) throws -> [String]? {
        guard !values.isEmpty else { return nil }
        var result: [String] = []
        for value in values {
            if value.hasPrefix("[") {
                guard let array = try? JSONDecoder().decode([String].self, from: Data(value.utf8)) else {
                    throw StevedoreError(.invalidSetting, "\(flag) '\(value)' starts with '[' but is not a JSON array of strings, e.g. [\"/app\",\"--port\",\"80\"]")
                }
                result += array
            } else {
                result.append(value)
            }
        }
        return result
    }
}

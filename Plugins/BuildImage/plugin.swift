import PackagePlugin

/// `swift package build-image`: builds an executable product and turns it into an OCI image with `stevedore`.
@main
struct BuildImagePlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        try ImagePluginDriver(verb: "build-image", pushes: false).run(context: context, arguments: arguments)
    }
}

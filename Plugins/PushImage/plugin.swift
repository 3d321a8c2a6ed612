import PackagePlugin

/// `swift package push-image`: `build-image`, then pushes the image (by default to ghcr.io/<owner>/<repo>).
@main
struct PushImagePlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        try ImagePluginDriver(verb: "push-image", pushes: true).run(context: context, arguments: arguments)
    }
}

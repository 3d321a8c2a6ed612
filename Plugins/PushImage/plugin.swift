import PackagePlugin

@main
struct PushImagePlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {}
}

import PackagePlugin

@main
struct BuildImagePlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {}
}

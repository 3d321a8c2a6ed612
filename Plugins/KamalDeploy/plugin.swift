import PackagePlugin

@main
struct KamalDeployPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {}
}

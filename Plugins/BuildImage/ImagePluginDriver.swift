// Shared by the BuildImage and PushImage plugins (PushImage links this file). Plugins stay thin: they pick and build
// the executable product, find its resource bundles, and run `stevedore package-image`, where all other logic lives.
import Foundation
import PackagePlugin

/// The part of `build-image` and `push-image` that runs inside SwiftPM.
struct ImagePluginDriver {
    /// `build-image` or `push-image`.
    let verb: String
    /// Whether to push after building.
    let pushes: Bool

    static let permissionsHelp = """
        PERMISSIONS
          build-image writes the image under .build/ (or --output); push-image also connects to the registry.
          Grant them on the command line:
            swift package --allow-writing-to-package-directory build-image
            swift package --allow-writing-to-package-directory --allow-network-connections all push-image
          or skip the sandbox altogether with --disable-sandbox (the sandbox is only enforced on macOS).
        """

    func help() -> String {
        let text = """
        OVERVIEW: \(pushes ? "Build an OCI image of an executable product and push it to a registry." : "Build an OCI image of an executable product, without a Docker daemon.")

        USAGE: swift package \(pushes ? "--allow-writing-to-package-directory --allow-network-connections all" : "--allow-writing-to-package-directory") \(verb) [options]

        PRODUCT OPTIONS (handled by the plugin)
          --product NAME            The executable product (required when the package has several).
          --configuration release|debug
                                    Build configuration (default: release).
          --static-swift-stdlib / --no-static-swift-stdlib
                                    Link the Swift standard library and Foundation statically (default: on).
          --swift-sdk NAME          Build with an installed Swift SDK (e.g. a static Linux/musl SDK or another
                                    architecture), passed to `swift build --swift-sdk`. Repeat it, one SDK per
                                    platform (e.g. x86_64-swift-linux-musl and aarch64-swift-linux-musl), for one
                                    multi-platform image: an OCI index over an image per platform.

        Every other option goes to `stevedore package-image`, whose help follows. For a CI matrix (one runner per
        architecture), push-image --platform-tag pushes this runner's image under <tag>-<arch>; a last job joins the
        platforms with `stevedore index create` (`stevedore init github-actions --platforms` writes that workflow).

        """
        return text + Self.permissionsHelp + "\n"
    }

    func run(context: PluginContext, arguments: [String]) throws {
        // Measured first: the time from `swift package` until now is SwiftPM's check (or build) of the plugin and tool.
        let timings = PluginTimings(arguments: arguments)
        let pluginReady = PluginTimings.secondsSinceSwiftPackageStarted()
        var extractor = ArgumentExtractor(arguments)
        if extractor.extractFlag(named: "help") > 0 || extractor.extractFlag(named: "h") > 0 {
            print(help())
            // The image and push options are the tool's own; its help lists them once, for the CLI and the plugins.
            _ = try PluginProcess.run(try StevedoreTool.start(context: context).executable(), ["package-image", "--help"])
            return
        }
        let productNames = extractor.extractOption(named: "product")
        let configurations = extractor.extractOption(named: "configuration") + extractor.extractOption(named: "c")
        let staticOn = extractor.extractFlag(named: "static-swift-stdlib")
        let staticOff = extractor.extractFlag(named: "no-static-swift-stdlib")
        let sdks = extractor.extractOption(named: "swift-sdk")
        guard productNames.count <= 1, configurations.count <= 1 else {
            throw PluginError("--product and --configuration may each be given once.")
        }
        if let repeated = sdks.first(where: { sdk in sdks.filter { $0 == sdk }.count > 1 }) {
            throw PluginError("--swift-sdk \(repeated) is given twice; give each Swift SDK once (one per platform).")
        }
        guard staticOn == 0 || staticOff == 0 else {
            throw PluginError("Pass either --static-swift-stdlib or --no-static-swift-stdlib, not both.")
        }
        let configuration = configurations.first ?? "release"
        guard configuration == "release" || configuration == "debug" else {
            throw PluginError("--configuration must be release or debug, not '\(configuration)'.")
        }
        let linksStatically = staticOff == 0
        let product = try Self.chooseProduct(in: context.package, named: productNames.first)

        #if !os(Linux)
        if sdks.isEmpty {
            throw PluginError("A container image needs a Linux executable, but this host is not Linux. Pass --swift-sdk with a Linux Swift SDK, e.g. `swift package \(verb) --swift-sdk x86_64-swift-linux-musl` (installed SDKs: `swift sdk list`).")
        }
        #endif
        let toolProvision = try StevedoreTool.start(context: context)
        if case .provided = toolProvision {
            timings.report("tool check", seconds: pluginReady, detail: "SwiftPM readied the plugin and its stevedore tool")
        }

        // One build per Swift SDK (each platform's executable), or one for the host; the tool's build, if any, runs beside.
        let buildStarted = ContinuousClock.now
        var executables: [URL] = []
        do {
            for sdk in sdks.isEmpty ? [nil] : sdks.map(Optional.some) {
                let executable = try buildProduct(product.name, configuration: configuration, staticStdlib: linksStatically, sdk: sdk, context: context)
                try refuseMachO(executable, sdk: sdk)
                executables.append(executable)
            }
        } catch {
            if case .building(let build) = toolProvision { build.cancel() }
            throw error
        }
        timings.report("product build", since: buildStarted, detail: "\(product.name), \(configuration)\(sdks.isEmpty ? "" : ", \(sdks.count) Swift SDK\(sdks.count == 1 ? "" : "s")")")
        // Resource bundles hold the targets' resource files as they are, the same for every platform: the first
        // build's serve every image.
        let bundles = try Self.resourceBundles(of: product, besides: executables[0])
        let tool = try toolProvision.executable()
        if let toolSeconds = toolProvision.buildSeconds {
            let detail = "SwiftPM readied the plugin in \(pluginReady.map { String(format: "%.2f s", $0) } ?? "unknown time"); "
                + "`swift build --product stevedore` took \(String(format: "%.2f s", toolSeconds)), beside the product build"
            timings.report("tool check", seconds: pluginReady.map { $0 + toolSeconds }, detail: detail)
        }

        var toolArguments = [
            "package-image",
            "--package-dir", context.package.directoryURL.path,
            "--product", product.name,
        ]
        // stevedore reads each executable's platform from its ELF header; several make one image per platform and an index.
        for executable in executables { toolArguments += ["--executable", executable.path] }
        for bundle in bundles { toolArguments += ["--resources-bundle", bundle.path] }
        // The pinned Swift packages go into the image's SBOM.
        let resolved = context.package.directoryURL.appendingPathComponent("Package.resolved")
        if FileManager.default.fileExists(atPath: resolved.path) { toolArguments += ["--package-resolved", resolved.path] }
        if pushes { toolArguments.append("--push") }
        toolArguments += extractor.remainingArguments

        let outcome = try PluginProcess.run(tool, toolArguments, in: context.package.directoryURL)
        guard outcome.succeeded else {
            throw PluginError("stevedore package-image failed (exit status \(outcome.status)); see the message above.")
        }
    }

    /// The executable product to build: the one named, or the only one.
    static func chooseProduct(in package: Package, named name: String?) throws -> ExecutableProduct {
        let executables = package.products.compactMap { $0 as? ExecutableProduct }
        let names = executables.map(\.name).sorted()
        if let name {
            if let match = executables.first(where: { $0.name == name }) { return match }
            if package.products.contains(where: { $0.name == name }) {
                throw PluginError("Product '\(name)' is not an executable product. Executable products: \(names.isEmpty ? "none" : names.joined(separator: ", ")).")
            }
            throw PluginError("Package '\(package.displayName)' has no product named '\(name)'. Executable products: \(names.isEmpty ? "none" : names.joined(separator: ", ")).")
        }
        switch executables.count {
        case 1:
            return executables[0]
        case 0:
            throw PluginError("Package '\(package.displayName)' has no executable product to put in an image. Declare one in Package.swift, e.g. .executable(name: \"Server\", targets: [\"Server\"]).")
        default:
            throw PluginError("Package '\(package.displayName)' has several executable products: \(names.joined(separator: ", ")). Choose one with --product NAME.")
        }
    }

    /// Builds the product with `swift build` in a scratch directory of its own, `stevedore/products/<host or SDK>`
    /// inside SwiftPM's (`.build/` unless `--scratch-path`), and returns the executable.
    ///
    /// Not through the plugin API's in-process build: SwiftPM keeps one build plan per scratch directory, and the
    /// product's release build in the one where the debug tool is built re-planned both on every run (measured on two
    /// cores: ~4.5 s each, half of an edit → image loop). The plugin API cannot select a Swift SDK either.
    func buildProduct(_ product: String, configuration: String, staticStdlib: Bool, sdk: String?, context: PluginContext) throws -> URL {
        let scratch = try BuildScratch(named: "products/\(sdk ?? "host")", context: context)
        var options = ["--product", product, "-c", configuration]
        if let sdk { options += ["--swift-sdk", sdk] }
        if staticStdlib { options.append("--static-swift-stdlib") }
        let arguments = scratch.arguments(options)
        let staticNote = staticStdlib ? ", static Swift standard library" : ""
        Diagnostics.progress("Building \(product) (\(configuration)\(staticNote))\(sdk.map { " with Swift SDK \($0)" } ?? "")…")
        guard try PluginProcess.runOnPath(arguments).succeeded else {
            let hint = sdk.map { " (is the Swift SDK \($0) installed? `swift sdk list`)" } ?? ""
            throw PluginError("Building product '\(product)' failed\(hint); fix the errors above and run \(verb) again.")
        }
        if let settling = scratch.settlingArguments(options) { _ = try PluginProcess.runOnPath(settling, discardingOutput: true) }
        scratch.recordBuilt()
        return try scratch.executable(product, configuration: configuration, options: options)
    }

    /// Throws when `executable` is a Mach-O file (built for macOS): an image needs a Linux ELF executable.
    func refuseMachO(_ executable: URL, sdk: String?) throws {
        guard let file = FileHandle(forReadingAtPath: executable.path) else { return }  // stevedore names a missing file
        defer { try? file.close() }
        let magic = ((try? file.read(upToCount: 4)) ?? Data()).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        // 64- and 32-bit Mach-O in either byte order, and universal ("fat") binaries.
        let machOMagics: Set<UInt32> = [0xfeedfacf, 0xcffaedfe, 0xfeedface, 0xcefaedfe, 0xcafebabe, 0xbebafeca, 0xcafebabf, 0xbfbafeca]
        guard machOMagics.contains(magic) else { return }
        throw PluginError(
            "'\(executable.path)' is a Mach-O executable\(sdk.map { " (Swift SDK \($0))" } ?? ""), built for macOS, but a container image needs a Linux executable. "
            + "Pass --swift-sdk with a Linux Swift SDK, e.g. `swift package \(verb) --swift-sdk x86_64-swift-linux-musl` (installed SDKs: `swift sdk list`)."
        )
    }

    /// The resource bundles (`<Package>_<Target>.resources`) of the product's targets, found beside the executable.
    static func resourceBundles(of product: ExecutableProduct, besides executable: URL) throws -> [URL] {
        var targets: [Target] = []
        for target in product.targets + product.targets.flatMap(\.recursiveTargetDependencies)
        where !targets.contains(where: { $0.id == target.id }) {
            targets.append(target)
        }
        let withResources = targets.filter { target in
            guard let module = target as? SourceModuleTarget else { return false }
            return module.sourceFiles.contains { $0.type == .resource }
        }
        guard !withResources.isEmpty else { return [] }
        let directory = executable.deletingLastPathComponent()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var bundles: [URL] = []
        for target in withResources {
            let suffix = "_\(target.name).resources"
            guard let entry = entries.sorted().first(where: { $0.hasSuffix(suffix) }) else {
                throw PluginError("Target '\(target.name)' has resources but no '*\(suffix)' bundle was found in \(directory.path).")
            }
            bundles.append(directory.appendingPathComponent(entry))
        }
        return bundles
    }
}

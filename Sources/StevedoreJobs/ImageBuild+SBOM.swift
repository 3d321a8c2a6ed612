import StevedoreBuild
import StevedoreCore
import StevedoreSBOM

extension ImageBuild {
    /// The Swift packages of the request's `Package.resolved`, read before anything is built so that a bad file
    /// leaves no output behind; empty when no SBOM is made or no file was given.
    func swiftPackagesForSBOM(_ request: BuildRequest) throws -> [SwiftPackage] {
        guard request.sbom.format(pushing: request.push != nil) != nil, let path = request.sbom.packageResolved else { return [] }
        return try PackageResolved(contentsOf: path).packages
    }

    /// The SBOM of the assembled image (or index), when ``SBOMRequest/format(pushing:)`` asks for one: the copied
    /// files of every recipe, the base of each platform, the Swift packages.
    func makeSBOM(
        _ request: BuildRequest, recipes: [ImageRecipe], content: ImageContent, bases: [(image: Image, name: String)?], swiftPackages: [SwiftPackage]
    ) async throws -> GeneratedSBOM? {
        guard let format = request.sbom.format(pushing: request.push != nil) else { return nil }
        var images: [SBOMSubject.PlatformImage] = []
        for (index, (recipe, image)) in zip(recipes, content.images).enumerated() {
            let base = index < bases.count ? bases[index] : nil
            images.append(SBOMSubject.PlatformImage(
                platform: recipe.platform,
                manifestDigest: image.manifestDescriptor.digest,
                executable: recipe.executable.map { .init(hostPath: $0.hostPath, imagePath: $0.imagePath) },
                sharedLibraries: recipe.sharedLibraries.map { .init(hostPath: $0.hostPath, imagePath: $0.imagePath) },
                libraryRoot: recipe.libraryRoot,
                base: base.map { ImageInventory.BaseImage(name: $0.name, digest: $0.image.manifestDescriptor.digest) }
            ))
        }
        let executableName = request.executables.first.map { String($0.path.split(separator: "/").last ?? "") }
        let subject = SBOMSubject(
            name: request.push?.name ?? executableName ?? "image",
            digest: content.rootDescriptor.digest,
            isIndex: content.isIndex,
            images: images,
            swiftPackages: swiftPackages,
            creationTime: request.creationTime
        )
        let inventory = try await InventoryCollector(logger: logger).inventory(of: subject)
        return try inventory.document(format: format)
    }
}

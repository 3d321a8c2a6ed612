import ArgumentParser
import StevedoreJobs
import StevedoreSBOM

/// `--sbom`, `--sbom-output` and `--package-resolved`: the image's SBOM, for `build` and `package-image`.
struct SBOMOptions: ParsableArguments {
    @Option(name: [.customLong("sbom"), .customLong("sbom-format")], help: ArgumentHelp("Make an SBOM of the image: spdx (SPDX 2.3 JSON), cyclonedx (CycloneDX 1.5 JSON) or none (default: spdx when pushing or with --sbom-output, else none).", valueName: "FORMAT"), transform: SBOMRequest.Choice.init(parsing:))
    var sbom: SBOMRequest.Choice = .automatic

    @Option(name: .customLong("sbom-output"), help: ArgumentHelp("Also write the SBOM to this file.", valueName: "FILE"))
    var sbomOutput: String?

    @Option(name: .customLong("package-resolved"), help: ArgumentHelp("The Package.resolved of the executable's Swift package: its pinned packages go into the SBOM.", valueName: "FILE"))
    var packageResolved: String?

    func validate() throws {
        if sbom == .none, sbomOutput != nil { throw ValidationError("--sbom-output needs an SBOM; drop --sbom none") }
    }

    /// Sets the request's SBOM choice, output file and `Package.resolved`.
    func apply(to request: inout BuildRequest) {
        request.sbom = SBOMRequest(choice: sbom, packageResolved: packageResolved, outputFile: sbomOutput)
    }
}

import StevedoreCore
extension KamalConfiguration {
    /// The label Kamal requires on the image, `["service": <service>]`, when `config/deploy.yml` exists in
    /// `packageDirectory` and names a service; empty otherwise. `build-image` and `push-image` merge it under
    /// the user's own labels, so `--label service=…` still wins.
    ///
    /// - Throws: ``StevedoreError`` `invalidConfiguration` when the file exists but is not valid YAML.
    public static func serviceLabels(
        packageDirectory: String,
        file: String = defaultFile,
        environment: [String: String]
    ) throws -> [String: String] {
        guard exists(packageDirectory: packageDirectory, file: file) else { return [:] }
        let configuration = try load(packageDirectory: packageDirectory, file: file, environment: environment)
        guard let service = configuration.service, !configuration.hasUnevaluatedERB(at: "service") else { return [:] }
        return ["service": service]
    }
}

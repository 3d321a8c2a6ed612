import Foundation
import FuzzRegistryParsers
import StevedoreArchive
import StevedoreAuth
import StevedoreCore
import StevedoreDeploy
import StevedoreELF

/// The parsers under test, chosen by `STEVEDORE_FUZZ_TARGET` (scripts/fuzz.sh sets it). Each takes any bytes and
/// must return or throw, never crash, hang or read out of bounds.
enum FuzzHarness: String, CaseIterable {
    case tar, elf, reference, challenge, json, secrets, kamal, credentials

    static let selected: FuzzHarness = {
        let name = ProcessInfo.processInfo.environment["STEVEDORE_FUZZ_TARGET"] ?? ""
        guard let harness = FuzzHarness(rawValue: name) else {
            FileHandle.standardError.write(Data("set STEVEDORE_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return harness
    }()

    /// A scratch file for parsers that read paths (ELF).
    static let scratchFile = "\(NSTemporaryDirectory())/stevedore-fuzz-\(getpid()).bin"
    /// A scratch package or home directory for parsers that read files at fixed places.
    static let scratchDirectory: String = {
        let path = "\(NSTemporaryDirectory())/stevedore-fuzz-\(getpid())"
        for directory in ["config", ".docker", "empty-path"] {
            try? FileManager.default.createDirectory(atPath: "\(path)/\(directory)", withIntermediateDirectories: true)
        }
        return path
    }()

    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .tar:
            for compression in [LayerScanner.Compression.none, .gzip] {
                let scanner = LayerScanner(compression: compression)
                // Two chunks, so that state carried between chunks is exercised too.
                let middle = bytes.count / 2
                try? scanner.consume(UnsafeRawBufferPointer(rebasing: bytes[..<middle]))
                try? scanner.consume(UnsafeRawBufferPointer(rebasing: bytes[middle...]))
                _ = try? scanner.finish()
            }
        case .elf:
            guard FileManager.default.createFile(atPath: Self.scratchFile, contents: Data(bytes)) else { return }
            _ = try? ELFFile(path: Self.scratchFile)
        case .reference:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? ImageReference(parsing: text)
            _ = try? ImageLocation(parsing: text)
            _ = try? Digest(parsing: text)
            _ = ImageTag.isValid(text)
        case .challenge:
            for challenge in AuthenticationChallenge.parse(String(decoding: bytes, as: UTF8.self)) {
                _ = (challenge.realm, challenge.service, challenge.scopes, challenge.error)
            }
        case .json:
            let data = Data(bytes)
            _ = try? CanonicalJSON.decode(ImageManifest.self, from: data, what: "manifest")
            _ = try? CanonicalJSON.decode(ImageIndex.self, from: data, what: "index")
            if let configuration = try? CanonicalJSON.decode(ImageConfiguration.self, from: data, what: "configuration") {
                _ = try? CanonicalJSON.encode(configuration)
            }
        case .secrets:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = KamalSecrets.parse(text, file: ".kamal/secrets", environment: ["HOME": "/home/fuzz", "TOKEN": "t"])
        case .kamal:
            // config/deploy.yml: the ERB subset, then YAML (aliases bounded), then the values Stevedore reads.
            guard FileManager.default.createFile(atPath: "\(Self.scratchDirectory)/config/deploy.yml", contents: Data(bytes)) else { return }
            if let configuration = try? KamalConfiguration.load(packageDirectory: Self.scratchDirectory, environment: ["TOKEN": "t"]) {
                _ = (configuration.service, configuration.image, configuration.registryServer, configuration.registryPassword, configuration.builderArchitectures)
            }
        case .credentials:
            // Docker's config.json, then (after the first NUL byte) a .netrc; no helper can run (PATH is empty).
            let split = bytes.firstIndex(of: 0) ?? bytes.count
            let home = Self.scratchDirectory
            guard FileManager.default.createFile(atPath: "\(home)/.docker/config.json", contents: Data(bytes[..<split])),
                  FileManager.default.createFile(atPath: "\(home)/.netrc", contents: Data(bytes[min(split + 1, bytes.count)...])) else { return }
            let resolver = CredentialResolver(environment: ["PATH": "\(home)/empty-path", "HOME": home], homeDirectory: home)
            for registry in ["ghcr.io", "registry.example:5000", "index.docker.io"] {
                _ = try? resolver.credential(for: registry)
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.selected.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links a debug executable with `main` aliased to `<module>_main`, which shadows libFuzzer's `main`;
/// start libFuzzer's driver from here instead.
@_cdecl("StevedoreFuzz_main")
func stevedoreFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = FuzzHarness.selected
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}

import Foundation
import StevedoreTestSupport
import Testing

extension PluginTests {
    /// The prebuilt tool path: `scripts/make-artifact-bundle.sh` packs the `stevedore` this suite built into an
    /// artifact bundle and writes the prebuilt plugin package around it; a consumer that depends on that package
    /// runs `build-image` without SwiftPM ever compiling the tool.
    @Suite struct PrebuiltTool {
        static let message = "hello from a prebuilt stevedore"

        @Test func aConsumerOfThePrebuiltPluginPackageNeverCompilesTheTool() throws {
            let work = PluginFixture.workRoot + "/prebuilt"
            let distribution = work + "/dist"
            // The consumer's own scratch directory, emptied every run: nothing of the source-built tool (in the
            // shared scratch directory or this checkout's .build) can be found or reused there.
            let scratch = work + "/scratch"
            try? FileManager.default.removeItem(atPath: scratch)

            let triple = try Self.hostTriple()
            let make = try ProcessRunner.run([
                PluginFixture.stevedoreRoot + "/scripts/make-artifact-bundle.sh", "--output", distribution, "--version", "0.0.0-test",
                "\(StevedoreBinary.path):\(triple)",
            ])
            try #require(make.status == 0, "make-artifact-bundle.sh failed:\n\(make.output)")
            let pluginPackage = distribution + "/stevedore-plugins"
            let infoData = try Data(contentsOf: URL(fileURLWithPath: pluginPackage + "/stevedore.artifactbundle/info.json"))
            let info = try #require(try JSONSerialization.jsonObject(with: infoData) as? [String: Any])
            #expect(info["schemaVersion"] as? String == "1.0")
            let artifact = try #require((info["artifacts"] as? [String: Any])?["stevedore"] as? [String: Any])
            #expect(artifact["type"] as? String == "executable")
            let variants = try #require(artifact["variants"] as? [[String: Any]])
            #expect(variants.count == 1)
            #expect(variants.first?["supportedTriples"] as? [String] == [triple])
            let variantPath = try #require(variants.first?["path"] as? String)
            #expect(FileManager.default.isExecutableFile(atPath: pluginPackage + "/stevedore.artifactbundle/" + variantPath))
            let manifest = try String(contentsOfFile: pluginPackage + "/Package.swift", encoding: .utf8)
            #expect(manifest.contains(#".binaryTarget(name: "stevedore", path: "stevedore.artifactbundle")"#))
            for verb in ["build-image", "push-image", "kamal-deploy", "init-github-actions"] {
                #expect(manifest.contains(#"verb: "\#(verb)""#), "\(verb) is missing from the prebuilt package:\n\(manifest)")
            }

            let package = try PluginFixture.package(at: work + "/Consumer", files: [
                "Package.swift": """
                    // swift-tools-version: 6.0
                    import PackageDescription

                    let package = Package(
                        name: "Tiny",
                        products: [.executable(name: "Tiny", targets: ["Tiny"])],
                        dependencies: [.package(path: "\(pluginPackage)")],
                        targets: [.executableTarget(name: "Tiny")]
                    )

                    """,
                "Sources/Tiny/main.swift": "print(\"\(Self.message)\")\n",
            ])
            let build = try PluginFixture.swiftPackage(["build-image", "--verbose"], in: package, scratchPath: scratch)
            try #require(build.status == 0, "build-image with the prebuilt tool failed:\n\(build.output)")

            // SwiftPM compiled the plugin and the consumer's product, and no module of the tool.
            let compiled = build.output.split(separator: "\n").filter { $0.contains("Compiling") }
            #expect(compiled.allSatisfy { $0.contains("Compiling plugin") || $0.contains("Tiny") }, "compiled more than the plugin and Tiny:\n\(build.output)")
            #expect(!build.output.contains("StevedoreCore"), "\(build.output)")
            #expect(!build.output.contains("product 'stevedore'"), "\(build.output)")
            let toolBuilds = try Self.buildDirectories(under: scratch).filter { $0.lowercased().hasPrefix("stevedore") || $0.hasPrefix("CNIO") || $0.hasPrefix("NIO") }
            #expect(toolBuilds.isEmpty, "the tool's modules were built in \(scratch): \(toolBuilds)")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch + "/checkouts")) ?? []).isEmpty, "dependencies were checked out")

            // --verbose: one line per phase, the plugin's (tool check, product build) and the prebuilt engine's.
            for phase in ["tool check", "product build", "provenance", "layer planning", "layers", "write"] {
                #expect(build.output.contains("timing: \(phase) "), "no timing line for \(phase):\n\(build.output)")
            }
            #expect(PluginFixture.firstMatch(of: #"timing: tool check ([0-9]+\.[0-9]{2}) s"#, in: build.output) != nil, "\(build.output)")

            // The image runs under podman (from a lowercase path: podman names the image after it).
            let layout = package + "/.build/stevedore/oci/Tiny"
            let runnable = "/tmp/plugin-prebuilt-\(UUID().uuidString.prefix(8).lowercased())"
            try FileManager.default.copyItem(atPath: layout, toPath: runnable)
            defer { try? FileManager.default.removeItem(atPath: runnable) }
            let run = try Podman().run("oci:\(runnable):latest")
            #expect(run.status == 0 && run.stdout.contains(Self.message), "\(run.output)")
        }

        /// `x86_64-unknown-linux-gnu` or `aarch64-unknown-linux-gnu`: the triple SwiftPM matches the bundle's variants against.
        static func hostTriple() throws -> String {
            let machine = try ProcessRunner.run(["uname", "-m"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(!machine.isEmpty)
            return "\(machine)-unknown-linux-gnu"
        }

        /// The names of the `*.build` directories (one per compiled module) anywhere under `directory`.
        static func buildDirectories(under directory: String) throws -> [String] {
            let enumerator = try #require(FileManager.default.enumerator(atPath: directory))
            var names: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasSuffix(".build") { names.append(name) }
            }
            return names
        }
    }
}

import Foundation
import StevedoreTestSupport
import Testing

/// `stevedore build --sbom`: the SBOM of the zlib-linked C program, judged by pyspdxtools and dpkg-query.
@Suite(.serialized, .dedicatedThread)
struct BuildCommandSBOMTests {
    static let resolved = """
        {
          "originHash" : "0000",
          "pins" : [
            {
              "identity" : "swift-nio",
              "kind" : "remoteSourceControl",
              "location" : "https://github.com/apple/swift-nio.git",
              "state" : { "revision" : "4e8f4b1c9adaa59315c523540c1ff2b38adc20a9", "version" : "2.81.0" }
            }
          ],
          "version" : 3
        }
        """

    /// The installed zlib1g's version for the host's architecture, as dpkg-query prints it.
    static func zlibVersion() throws -> String {
        let architecture = try ProcessRunner.run(["dpkg", "--print-architecture"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let query = try ProcessRunner.run(["dpkg-query", "-W", "-f=${Version}", "zlib1g:\(architecture)"])
        try #require(query.status == 0, "\(query.output)")
        return query.stdout
    }

    @Test("--sbom spdx --sbom-output: valid SPDX listing zlib1g at the installed version; the same bytes twice; the image unchanged", .timeLimit(.minutes(10)))
    func spdxOfCProgram() throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("sbom-c")
        let plain = try StevedoreBinary.run(["build", "--executable", executable, "--output", "oci-layout:\(work.appending("plain")):v1"])
        #expect(plain.status == 0, "\(plain.output)")
        #expect(!FileManager.default.fileExists(atPath: work.appending("none.spdx.json")))

        var files: [Data] = []
        for run in 1...2 {
            let file = work.appending("sbom-\(run).spdx.json")
            let result = try StevedoreBinary.run([
                "build", "--executable", executable, "--output", "oci-layout:\(work.appending("layout-\(run)")):v1", "--sbom", "spdx", "--sbom-output", file,
            ])
            #expect(result.status == 0, "\(result.output)")
            // The SBOM is beside the image, not in it: the image's digest is the one built without an SBOM.
            #expect(digest(of: result) == digest(of: plain))
            files.append(try Data(contentsOf: URL(fileURLWithPath: file)))
        }
        #expect(files[0] == files[1])

        let file = work.appending("sbom-1.spdx.json")
        let validation = try SPDXTools.validate(file)
        #expect(validation.status == 0, "\(validation.output)")

        let document = json(String(decoding: files[0], as: UTF8.self))
        let packages = document["packages"] as? [[String: Any]] ?? []
        let zlib = try #require(packages.first { $0["name"] as? String == "zlib1g" })
        let version = try Self.zlibVersion()
        #expect(zlib["versionInfo"] as? String == version)
        let purls = (zlib["externalRefs"] as? [[String: Any]] ?? []).compactMap { $0["referenceLocator"] as? String }
        #expect(purls.count == 1)
        #expect(purls.first?.hasPrefix("pkg:deb/debian/zlib1g@") == true)
        #expect(purls.first?.contains("arch=") == true)
        let executableHash = try ProcessRunner.run(["sha256sum", executable]).stdout.split(separator: " ").first.map(String.init)
        // The image is named after the executable too; the executable is the APPLICATION.
        let program = try #require(packages.first { $0["name"] as? String == "hello-c" && $0["primaryPackagePurpose"] as? String == "APPLICATION" })
        #expect((program["checksums"] as? [[String: Any]])?.first?["checksumValue"] as? String == executableHash)
        #expect((document["documentNamespace"] as? String)?.hasSuffix(String(digest(of: plain)?.dropFirst("sha256:".count) ?? "")) == true)
    }

    @Test("--sbom cyclonedx gives a CycloneDX 1.5 document", .timeLimit(.minutes(10)))
    func cycloneDX() throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("sbom-cdx")
        let file = work.appending("sbom.cdx.json")
        let result = try StevedoreBinary.run([
            "build", "--executable", executable, "--output", "oci-layout:\(work.appending("layout")):v1", "--sbom", "cyclonedx", "--sbom-output", file,
        ])
        #expect(result.status == 0, "\(result.output)")
        let document = json(try String(contentsOfFile: file, encoding: .utf8))
        #expect(document["bomFormat"] as? String == "CycloneDX")
        #expect(document["specVersion"] as? String == "1.5")
        #expect((document["serialNumber"] as? String)?.hasPrefix("urn:uuid:") == true)
        let components = document["components"] as? [[String: Any]] ?? []
        #expect(components.contains { ($0["purl"] as? String)?.hasPrefix("pkg:deb/debian/zlib1g@") == true })
    }

    @Test("--package-resolved puts the pinned Swift packages in the SBOM", .timeLimit(.minutes(10)))
    func packageResolved() throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("sbom-resolved")
        let resolved = try work.write("Package.resolved", Self.resolved)
        let file = work.appending("sbom.spdx.json")
        let result = try StevedoreBinary.run([
            "build", "--executable", executable, "--output", "oci-layout:\(work.appending("layout")):v1",
            "--package-resolved", resolved, "--sbom-output", file,
        ])
        #expect(result.status == 0, "\(result.output)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\"pkg:swift/github.com/apple/swift-nio@2.81.0\""))
        let validation = try SPDXTools.validate(file)
        #expect(validation.status == 0, "\(validation.output)")
    }

    @Test("bad SBOM flags are usage errors", arguments: [
        ["--sbom", "syft"], ["--sbom", "none", "--sbom-output", "/tmp/never.json"],
    ])
    func badFlags(_ flags: [String]) throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("sbom-bad")
        let result = try StevedoreBinary.run(["build", "--executable", executable, "--output", "oci-layout:\(work.appending("layout")):v1"] + flags)
        #expect(result.status == 64, "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.json"))
    }

    @Test("a missing --package-resolved fails before any output", .timeLimit(.minutes(10)))
    func missingPackageResolved() throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("sbom-missing")
        let result = try StevedoreBinary.run([
            "build", "--executable", executable, "--output", "oci-layout:\(work.appending("layout")):v1",
            "--package-resolved", work.appending("nope/Package.resolved"), "--sbom", "spdx",
        ])
        #expect(result.status == 65, "\(result.output)")
        #expect(result.stderr.contains("nope/Package.resolved"))
        #expect(!FileManager.default.fileExists(atPath: work.appending("layout")))
    }
}

/// The Swift runtime in the SBOM of Swift programs: copied (with the toolchain's version) or linked statically.
@Suite(.serialized, .dedicatedThread)
struct BuildCommandSwiftSBOMTests {
    static func runtime(in file: String) throws -> [String: Any]? {
        let document = json(try String(contentsOfFile: file, encoding: .utf8))
        return (document["packages"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "swift-runtime" }
    }

    @Test("a copied Swift runtime has the version swift --version prints", .timeLimit(.minutes(20)))
    func copiedRuntime() throws {
        let executable = try Fixtures.swiftDynamic.get()
        let work = try TemporaryDirectory("sbom-swift")
        let file = work.appending("sbom.spdx.json")
        let result = try StevedoreBinary.run(["build", "--executable", executable, "--output", "oci-layout:\(work.appending("layout")):v1", "--sbom-output", file])
        #expect(result.status == 0, "\(result.output)")
        let version = try ProcessRunner.run(["swift", "--version"]).output
        let runtime = try #require(try Self.runtime(in: file))
        let stated = try #require(runtime["versionInfo"] as? String)
        #expect(version.contains("Swift version \(stated) "), "\(version)")
        let validation = try SPDXTools.validate(file)
        #expect(validation.status == 0, "\(validation.output)")
    }

    @Test("a -static-stdlib program's runtime is statically linked, without a version", .timeLimit(.minutes(20)))
    func staticRuntime() throws {
        let executable = try Fixtures.swiftStatic.get()
        let work = try TemporaryDirectory("sbom-swift-static")
        let file = work.appending("sbom.spdx.json")
        let result = try StevedoreBinary.run(["build", "--executable", executable, "--output", "oci-layout:\(work.appending("layout")):v1", "--sbom-output", file])
        #expect(result.status == 0, "\(result.output)")
        let runtime = try #require(try Self.runtime(in: file))
        #expect(runtime["versionInfo"] == nil)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\"STATIC_LINK\""))
    }
}

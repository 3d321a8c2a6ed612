import Foundation
import StevedoreTestSupport
import Testing

extension PluginTests {
    /// Each mistake a user can make is a clear message and a non-zero exit.
    @Suite struct Errors {
        static func manifest(products: String, targets: String) -> String {
            """
            // swift-tools-version: 6.0
            import PackageDescription

            let package = Package(
                name: "Broken",
                products: [\(products)],
                dependencies: [.package(path: "\(PluginFixture.stevedoreRoot)")],
                targets: [\(targets)]
            )
            """
        }

        static let cases: [(name: String, files: [String: String], arguments: [String], message: String)] = [
            (
                "no executable product",
                ["Package.swift": manifest(products: #".library(name: "Lib", targets: ["Lib"])"#, targets: #".target(name: "Lib")"#),
                 "Sources/Lib/Lib.swift": "public let value = 1\n"],
                ["build-image"],
                "has no executable product"
            ),
            (
                "ambiguous product",
                ["Package.swift": manifest(products: #".executable(name: "one", targets: ["One"]), .executable(name: "two", targets: ["Two"])"#,
                                           targets: #".executableTarget(name: "One"), .executableTarget(name: "Two")"#),
                 "Sources/One/main.swift": "print(1)\n", "Sources/Two/main.swift": "print(2)\n"],
                ["build-image"],
                "several executable products: one, two. Choose one with --product NAME"
            ),
            (
                "unknown product",
                ["Package.swift": manifest(products: #".executable(name: "one", targets: ["One"])"#, targets: #".executableTarget(name: "One")"#),
                 "Sources/One/main.swift": "print(1)\n"],
                ["build-image", "--product", "three"],
                "has no product named 'three'. Executable products: one"
            ),
            (
                "failing compile",
                ["Package.swift": manifest(products: #".executable(name: "one", targets: ["One"])"#, targets: #".executableTarget(name: "One")"#),
                 "Sources/One/main.swift": "let number: Int = \"not a number\"\nprint(number)\n"],
                ["build-image"],
                "Building product 'one' failed"
            ),
        ]

        @Test(arguments: 0..<cases.count)
        func mistakeIsAClearError(index: Int) throws {
            let failure = Self.cases[index]
            let temporary = try TemporaryDirectory("plugin-error")
            let package = try PluginFixture.package(at: temporary.appending("Broken"), files: failure.files)
            let result = try PluginFixture.swiftPackage(failure.arguments, in: package)
            #expect(result.status != 0, "\(failure.name): expected a failure")
            #expect(result.output.contains(failure.message), "\(failure.name): missing '\(failure.message)' in:\n\(result.output)")
        }
    }
}

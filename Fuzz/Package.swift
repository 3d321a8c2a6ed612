// swift-tools-version: 6.0
// libFuzzer harnesses for Stevedore's parsers; see scripts/fuzz.sh and RELIABILITY.md. Kept out of the main package so
// that `swift build` there never compiles them. Build with
//   swift build -c debug -Xswiftc -sanitize=fuzzer,address --scratch-path ../.build-fuzz
import PackageDescription

let package = Package(
    name: "StevedoreFuzz",
    dependencies: [.package(name: "Stevedore", path: "..")],
    targets: [
        // The WWW-Authenticate parser, compiled from StevedoreRegistry's own file (a symbolic link) so that the
        // harness does not build the HTTP client stack.
        .target(name: "FuzzRegistryParsers"),
        .executableTarget(
            name: "StevedoreFuzz",
            dependencies: [
                "FuzzRegistryParsers",
                .product(name: "StevedoreCore", package: "Stevedore"),
                .product(name: "StevedoreArchive", package: "Stevedore"),
                .product(name: "StevedoreELF", package: "Stevedore"),
                .product(name: "StevedoreDeploy", package: "Stevedore"),
                .product(name: "StevedoreAuth", package: "Stevedore"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)

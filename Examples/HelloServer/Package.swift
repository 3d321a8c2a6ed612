// swift-tools-version: 6.0
import PackageDescription

// A small HTTP server packaged with Stevedore:
//   swift package --allow-writing-to-package-directory build-image
//   swift package --allow-writing-to-package-directory --allow-network-connections all push-image
let package = Package(
    name: "HelloServer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "HelloServer", targets: ["HelloServer"]),
    ],
    dependencies: [
        // Stevedore provides the build-image and push-image plugins. A package of your own uses
        // .package(url: "https://github.com/<owner>/stevedore.git", from: "…") instead.
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
    ],
    targets: [
        .executableTarget(
            name: "HelloServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            resources: [.copy("Resources/index.html")]
        ),
    ]
)

// swift-tools-version: 6.0
import PackageDescription

// On Linux the plugins build `stevedore` themselves, in a scratch directory of its own where SwiftPM keeps its build
// plan (Plugins/BuildImage/StevedoreTool.swift); elsewhere (SwiftPM's plugin sandbox) SwiftPM builds it for them.
#if os(Linux)
let pluginTools: [Target.Dependency] = []
#else
let pluginTools: [Target.Dependency] = ["stevedore"]
#endif

let package = Package(
    name: "Stevedore",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "stevedore", targets: ["stevedore"]),
        .library(name: "StevedoreCore", targets: ["StevedoreCore"]),
        .library(name: "StevedoreArchive", targets: ["StevedoreArchive"]),
        .library(name: "StevedoreELF", targets: ["StevedoreELF"]),
        .library(name: "StevedoreLayout", targets: ["StevedoreLayout"]),
        .library(name: "StevedoreBuild", targets: ["StevedoreBuild"]),
        .library(name: "StevedoreCache", targets: ["StevedoreCache"]),
        .library(name: "StevedoreRegistry", targets: ["StevedoreRegistry"]),
        .library(name: "StevedoreAuth", targets: ["StevedoreAuth"]),
        .library(name: "StevedoreDeploy", targets: ["StevedoreDeploy"]),
        .library(name: "StevedoreProcess", targets: ["StevedoreProcess"]),
        .library(name: "StevedoreGitHub", targets: ["StevedoreGitHub"]),
        .library(name: "StevedoreSBOM", targets: ["StevedoreSBOM"]),
        .plugin(name: "BuildImage", targets: ["BuildImage"]),
        .plugin(name: "PushImage", targets: ["PushImage"]),
        .plugin(name: "KamalDeploy", targets: ["KamalDeploy"]),
        .plugin(name: "InitGitHubActions", targets: ["InitGitHubActions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
    ],
    targets: [
        // C libraries from Debian.
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // SHA-256 and SHA-512 on Linux (OpenSSL's EVP interface; SHA-NI, AVX2 or AVX-512 code for the CPU), so the
        // tool every plugin verb builds compiles no BoringSSL for hashing. Apple platforms hash with swift-crypto.
        .systemLibrary(
            name: "CLibcrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // The image model: digests, descriptors, manifests, configurations, references.
        .target(
            name: "StevedoreCore",
            dependencies: [
                .target(name: "CLibcrypto", condition: .when(platforms: [.linux])),
                .product(name: "Crypto", package: "swift-crypto", condition: .when(platforms: [.macOS, .macCatalyst, .iOS, .tvOS, .watchOS, .visionOS])),
            ]
        ),
        // Reproducible tar + parallel gzip or zstd layers; reading layers back.
        .target(
            name: "StevedoreArchive",
            dependencies: ["StevedoreCore", "CArchive", "CZlib", "CZstd"]
        ),
        // OCI image layout on disk: the blob store.
        .target(
            name: "StevedoreLayout",
            dependencies: ["StevedoreCore"]
        ),
        // docker-archive (docker save / docker load) tarballs.
        .target(
            name: "StevedoreTarball",
            dependencies: ["StevedoreCore", "CArchive"]
        ),
        // The layer cache: layers found again by their inputs; file digests kept between builds.
        .target(
            name: "StevedoreCache",
            dependencies: ["StevedoreCore", "StevedoreArchive", "StevedoreLayout"]
        ),
        // ELF reading and shared-library closure.
        .target(name: "StevedoreELF", dependencies: ["StevedoreCore"]),
        // Assembly: base + layers + configuration -> image.
        .target(
            name: "StevedoreBuild",
            dependencies: ["StevedoreCore", "StevedoreArchive", "StevedoreELF", .product(name: "Logging", package: "swift-log")]
        ),
        // Verification and human-readable summaries of images.
        .target(
            name: "StevedoreInspect",
            dependencies: ["StevedoreCore", "StevedoreArchive"]
        ),
        // Child processes: one runner with timeouts and concurrent pipe reads.
        .target(name: "StevedoreProcess", dependencies: ["StevedoreCore"]),
        // SBOMs: what an image holds (files, Debian and Swift packages, the Swift runtime) as SPDX or CycloneDX JSON.
        .target(
            name: "StevedoreSBOM",
            dependencies: ["StevedoreCore", "StevedoreProcess", .product(name: "Logging", package: "swift-log")]
        ),
        // git and GitHub: repository names, ghcr.io, GitHub Actions variables, the commit tag, `dump-package`.
        .target(
            name: "StevedoreGitHub",
            dependencies: ["StevedoreCore", "StevedoreProcess"]
        ),
        // Registry credentials: flags, environment, GITHUB_TOKEN, docker/podman files, helpers, netrc.
        .target(
            name: "StevedoreAuth",
            dependencies: ["StevedoreCore", "StevedoreGitHub", "StevedoreProcess"]
        ),
        // OCI distribution client: transport (auth, retries), pull, push.
        .target(
            name: "StevedoreRegistry",
            dependencies: [
                "StevedoreCore", "StevedoreAuth", "StevedoreGitHub",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Kamal configuration, checks and invocation.
        .target(
            name: "StevedoreDeploy",
            dependencies: ["StevedoreCore", "StevedoreGitHub", "StevedoreProcess", .product(name: "Yams", package: "Yams")]
        ),
        // Publishing defaults: repository, tags, labels and SOURCE_DATE_EPOCH from git and GitHub Actions; workflow outputs.
        .target(
            name: "StevedorePublish",
            dependencies: ["StevedoreCore", "StevedoreGitHub"]
        ),
        // Files Stevedore writes into a user's package: GitHub workflows, Kamal configuration.
        .target(
            name: "StevedoreScaffold",
            dependencies: ["StevedoreCore", "StevedoreGitHub"]
        ),
        // The jobs: build, transfer, package, deploy as library calls with typed requests; the only module that
        // connects sources, sinks and the builder.
        .target(
            name: "StevedoreJobs",
            dependencies: [
                "StevedoreCore", "StevedoreArchive", "StevedoreLayout", "StevedoreTarball", "StevedoreBuild", "StevedoreCache",
                "StevedoreAuth", "StevedoreRegistry", "StevedoreDeploy", "StevedorePublish", "StevedoreSBOM",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The CLI: parsing and printing; each command is one call into StevedoreJobs (or a leaf module).
        .executableTarget(
            name: "stevedore",
            dependencies: [
                "StevedoreCore", "StevedoreArchive", "StevedoreBuild", "StevedoreInspect", "StevedoreAuth", "StevedoreRegistry",
                "StevedoreDeploy", "StevedoreScaffold", "StevedorePublish", "StevedoreJobs", "StevedoreLayout", "StevedoreGitHub", "StevedoreSBOM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // SwiftPM command plugins: thin, they build the product and call `stevedore`.
        .plugin(
            name: "BuildImage",
            capability: .command(
                intent: .custom(verb: "build-image", description: "Build an OCI image of an executable product."),
                permissions: [.writeToPackageDirectory(reason: "Stevedore writes the image layout under .build/ or --output.")]
            ),
            dependencies: pluginTools
        ),
        .plugin(
            name: "PushImage",
            capability: .command(
                intent: .custom(verb: "push-image", description: "Build an OCI image of an executable product and push it to a registry."),
                permissions: [
                    .writeToPackageDirectory(reason: "Stevedore writes the image layout under .build/ and the pushed reference."),
                    .allowNetworkConnections(scope: .all(), reason: "Stevedore pushes the image to the registry."),
                ]
            ),
            dependencies: pluginTools
        ),
        .plugin(
            name: "InitGitHubActions",
            capability: .command(
                intent: .custom(verb: "init-github-actions", description: "Write a GitHub Actions workflow that builds and pushes the image to ghcr.io."),
                permissions: [.writeToPackageDirectory(reason: "Stevedore writes .github/workflows/deploy.yml.")]
            ),
            dependencies: pluginTools
        ),
        .plugin(
            name: "KamalDeploy",
            capability: .command(
                intent: .custom(verb: "kamal-deploy", description: "Deploy the pushed image with Kamal."),
                permissions: [
                    .allowNetworkConnections(scope: .all(), reason: "Stevedore checks the tag in the registry and Kamal reaches the hosts."),
                ]
            ),
            dependencies: pluginTools
        ),

        // Benchmarks (scripts/bench-layer.sh).
        .executableTarget(
            name: "stevedore-bench-layer",
            dependencies: ["StevedoreArchive", "StevedoreCore"],
            path: "Benchmarks/LayerBench"
        ),

        // Tests.
        .target(
            name: "StevedoreTestSupport",
            dependencies: ["StevedoreCore", "StevedoreLayout"],
            path: "Tests/StevedoreTestSupport"
        ),
        .testTarget(name: "StevedoreCoreTests", dependencies: ["StevedoreCore"]),
        .testTarget(name: "StevedoreArchiveTests", dependencies: ["StevedoreArchive", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreLayoutTests", dependencies: ["StevedoreLayout", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreCacheTests", dependencies: ["StevedoreCache", "StevedoreArchive", "StevedoreCore", "StevedoreLayout", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreELFTests", dependencies: ["StevedoreELF", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreBuildTests", dependencies: [
            "StevedoreBuild", "StevedoreArchive", "StevedoreCore", "StevedoreLayout", "StevedoreTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "StevedoreInspectTests", dependencies: ["StevedoreInspect", "StevedoreArchive", "StevedoreCore", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreTarballTests", dependencies: ["StevedoreTarball", "StevedoreArchive", "StevedoreCore", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreAuthTests", dependencies: ["StevedoreAuth", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreRegistryTests", dependencies: ["StevedoreRegistry", "StevedoreAuth", "StevedoreLayout", "StevedoreTestSupport", "stevedore"]),
        .testTarget(name: "StevedoreDeployTests", dependencies: ["StevedoreDeploy", "StevedoreScaffold", "StevedoreGitHub", "StevedoreCore", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreProcessTests", dependencies: ["StevedoreProcess", "StevedoreCore", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreGitHubTests", dependencies: ["StevedoreGitHub", "StevedoreCore", "StevedoreTestSupport"]),
        .testTarget(name: "StevedorePublishTests", dependencies: ["StevedorePublish", "StevedoreGitHub", "StevedoreCore", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreScaffoldTests", dependencies: ["StevedoreScaffold", "StevedoreDeploy", "StevedoreTestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "StevedoreJobsTests", dependencies: [
            "StevedoreJobs", "StevedoreBuild", "StevedoreCore", "StevedoreLayout", "StevedorePublish", "StevedoreRegistry", "StevedoreTestSupport",
        ]),
        .testTarget(name: "StevedoreCLITests", dependencies: ["stevedore", "StevedoreCore", "StevedoreLayout", "StevedoreTestSupport"]),
        .testTarget(name: "StevedoreSBOMTests", dependencies: ["StevedoreSBOM", "StevedoreCore", "StevedoreTestSupport"]),
    ]
)

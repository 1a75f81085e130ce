// swift-tools-version:6.0
// mi: a literate notebook environment for mutual-information estimation.
// Layers (imports only point down):
//   mi (executable) -> MINotebook -> MILanguage -> MIEngine, MIPlot -> CBLAS, CReadline, CZlib
//   (MINotebook's HTML pages: CCmarkGFM)
import PackageDescription

let package = Package(
    name: "mi",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mi", targets: ["mi"]),
        .library(name: "MIEngine", targets: ["MIEngine"]),
        .library(name: "MIPlot", targets: ["MIPlot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CReadline", pkgConfig: "readline",
                       providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .target(
            name: "MIEngine",
            dependencies: [
                "CBLAS",
                "CZlib",
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            // On Linux, Swift's Float.squareRoot() goes through libm's sqrtf,
            // whose errno side effect stops LLVM vectorising any loop that
            // takes a square root (Adam). Nothing here reads errno.
            // `-target-cpu native`: the engine is built on the machine it
            // runs on (README), so its elementwise loops may use the widest
            // vectors there (AVX2 on this project's machines: Adam's update
            // runs 2.2x faster than with the baseline's SSE). Elementwise
            // IEEE operations round the same at any width and Swift never
            // fuses a multiply and an add, so the numbers are unchanged.
            swiftSettings: [.unsafeFlags(["-Xcc", "-fno-math-errno", "-target-cpu", "native"])]
        ),
        // Figure model and gnuplot rendering: numbers and labels in, files out.
        // Knows nothing of estimators or the language.
        .target(name: "MIPlot"),
        .target(
            name: "MILanguage",
            dependencies: ["MIEngine", "MIPlot"]
        ),
        .target(
            name: "MINotebook",
            dependencies: ["MILanguage", "MIEngine", "MIPlot", "CCmarkGFM"]
        ),
        .executableTarget(
            name: "mi",
            dependencies: [
                "MIEngine",
                "MILanguage",
                "MINotebook",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "MIEngineTests",
            dependencies: ["MIEngine"]
        ),
        .testTarget(
            name: "MIPlotTests",
            dependencies: ["MIPlot"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "MINotebookTests",
            dependencies: ["MINotebook", "MILanguage", "MIPlot"],
            resources: [.copy("Fixtures"), .copy("Golden")]
        ),
        .testTarget(
            name: "miTests",
            dependencies: ["mi", "MILanguage", "MINotebook", "MIPlot"]
        ),
        .testTarget(
            name: "MILanguageTests",
            dependencies: ["MILanguage"],
            resources: [.copy("Golden")]
        ),
    ]
)

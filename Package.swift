// swift-tools-version:6.0
// mi: a literate notebook environment for mutual-information estimation.
// Layers (imports only point down):
//   mi (executable) -> MINotebook -> MILanguage -> MIEngine, MIPlot -> CBLAS, CKernels, CReadline, CZlib
//   (MINotebook's HTML pages: CCmarkGFM)
//
// Built and tested on Linux (Debian 12, x86-64, glibc, OpenBLAS) only, so
// no Apple platform is declared. No target sets unsafe flags or a CPU: a
// binary runs on any x86-64 CPU, and the library products can be used as
// dependencies. The engine picks its vector width at run time (CKernels).
import PackageDescription

let package = Package(
    name: "mi",
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
        // The engine's hot Float loops (Adam, the ReLU row passes), compiled
        // for AVX-512F, AVX2 and the x86-64 baseline and chosen at run time.
        .target(name: "CKernels"),
        .target(
            name: "MIEngine",
            dependencies: [
                "CBLAS",
                "CKernels",
                "CZlib",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
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

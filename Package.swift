// swift-tools-version:6.0
// snnp — spline-based neural network interatomic potentials (Vita & Trinkle).
import PackageDescription

#if canImport(Foundation)
  import Foundation
  let genericCPU = ProcessInfo.processInfo.environment["SNNP_GENERIC_CPU"] != nil
#else
  let genericCPU = false
#endif

/// Release flags of the kernel module. The triplet loop evaluates all filters as
/// SIMD4 vectors; on x86-64 it is built for AVX2 + FMA (Haswell, 2013, and every
/// later x86-64 server CPU), which makes it about 1.4× faster than generic
/// x86-64 code (docs/performance.md). SNNP_GENERIC_CPU=1 builds for any x86-64.
var kernelFlags = ["-Ounchecked"]
#if arch(x86_64)
  if !genericCPU { kernelFlags += ["-target-cpu", "haswell"] }
#endif

let package = Package(
  name: "snnp",
  products: [
    // MARK: - Public API
    .library(
      name: "SNNP", targets: ["SNNPCore", "SNNPTraining", "SNNPFormat", "SNNPData", "SNNPFit"]),
    // MARK: - Kernel ABI (the C API that LAMMPS calls; libsnnpkernel.so)
    .library(name: "snnpkernel", type: .dynamic, targets: ["SNNPKernel"]),
    // MARK: - Command-line tools
    .executable(name: "snnp", targets: ["snnp"]),
    .executable(name: "snnp-export", targets: ["snnp-export"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // The model and everything pure: splines, networks, neighbour lists, energy/forces.
    // No file I/O, no Foundation.
    .target(
      name: "SNNPCore",
      swiftSettings: [.unsafeFlags(kernelFlags, .when(configuration: .release))]),
    // Gradients of the training loss through the kernel (parameter layout, backward sweep);
    // reaches the evaluator's internals through `package` access. No I/O.
    .target(
      name: "SNNPTraining", dependencies: ["SNNPCore"],
      swiftSettings: [.unsafeFlags(kernelFlags, .when(configuration: .release))]),
    // The .snnp potential-file codec and the meam/spline importer.
    .target(name: "SNNPFormat", dependencies: ["SNNPCore"]),
    // Data sets: ASE extended XYZ, error metrics.
    .target(name: "SNNPData", dependencies: ["SNNPCore", "SNNPFormat"]),
    // Open MPI (Debian libopenmpi-dev, found through pkg-config), for data-parallel
    // fitting under mpirun; a fit without mpirun never initialises it.
    .systemLibrary(name: "COpenMPI", pkgConfig: "ompi", providers: [.apt(["libopenmpi-dev"])]),
    // The fitter: configuration, data split, AMSGrad, threads, MPI ranks, checkpoints.
    .target(
      name: "SNNPFit",
      dependencies: ["SNNPCore", "SNNPTraining", "SNNPFormat", "SNNPData", "COpenMPI"],
      swiftSettings: [.swiftLanguageMode(.v5)]),
    // Interpretability: potential edits, spline/filter plots, sensitivities, parity, PCA maps (SVG + CSV).
    .target(name: "SNNPInspect", dependencies: ["SNNPCore", "SNNPFormat", "SNNPData"]),
    // C declarations of the kernel ABI (the only definition of it); no Swift API.
    .target(name: "CSNNPKernel"),
    // @_cdecl exports of the C API over SNNPCore + SNNPFormat.
    .target(name: "SNNPKernel", dependencies: ["CSNNPKernel", "SNNPCore", "SNNPFormat"]),
    // The `snnp` command (subcommands eval, import-meam-spline, ...). No physics here.
    .executableTarget(
      name: "snnp",
      dependencies: [
        "SNNPCore", "SNNPFormat", "SNNPData", "SNNPFit", "SNNPInspect", "SNNPExportCommand",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // Swift 5 mode: the tool sets C stdio buffering (a global C variable).
      swiftSettings: [.swiftLanguageMode(.v5)]),
    // `snnp export` / `snnp-export`: checkpoint → .snnp potential file (one implementation, two names).
    .target(
      name: "SNNPExportCommand",
      dependencies: [
        "SNNPCore", "SNNPTraining", "SNNPFit", "SNNPFormat",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(
      name: "snnp-export",
      dependencies: [
        "SNNPExportCommand", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // The fitter's cost against the kernel's on the same frames (docs/results.md, "Fitter").
    .executableTarget(name: "snnp-fit-benchmark", dependencies: ["SNNPFit"]),

    // MARK: - Tests
    // Test fixtures: random smooth potentials of every variant, structures, finite differences.
    .target(name: "_SNNPTestSupport", dependencies: ["SNNPCore"]),
    .testTarget(
      name: "SNNPCoreTests", dependencies: ["SNNPCore", "SNNPTraining", "_SNNPTestSupport"]),
    .testTarget(
      name: "SNNPFitTests",
      dependencies: [
        "SNNPFit", "SNNPCore", "SNNPTraining", "SNNPData", "SNNPFormat", "_SNNPTestSupport",
      ]),
    .testTarget(
      name: "SNNPFormatTests",
      dependencies: ["SNNPCore", "SNNPFormat", "SNNPData", "_SNNPTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "SNNPDataTests", dependencies: ["SNNPCore", "SNNPFormat", "SNNPData"],
      exclude: ["Fixtures"]),
    // The command-line tools as users run them (help snapshots, snnp check of potentials/, exit codes);
    // runs the built executables, so it needs a full build (swift build --build-tests).
    .testTarget(name: "SNNPCLITests", exclude: ["Snapshots"]),
    .testTarget(
      name: "SNNPInspectTests",
      dependencies: ["SNNPInspect", "SNNPCore", "SNNPFormat", "SNNPData", "_SNNPTestSupport"]),
    .testTarget(
      name: "SNNPKernelTests",
      dependencies: [
        "SNNPKernel", "CSNNPKernel", "SNNPCore", "SNNPFormat", "SNNPData", "_SNNPTestSupport",
      ]),
  ]
)

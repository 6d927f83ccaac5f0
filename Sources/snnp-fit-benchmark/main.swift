// The fitter's cost against the kernel's on the same frames (issue 28, docs/results.md
// "Fitter"): one force evaluation of every training frame (energy, forces and stress,
// neighbour lists prepared beforehand, as LAMMPS reuses its lists between rebuilds) and
// one AMSGrad epoch (energy, force and stress loss with every gradient), both per atom,
// on the same threads.
//
//   swift run -c release snnp-fit-benchmark examples/fit/Mo-int-all.json [THREADS] [EPOCHS]
//
// Prints µs per atom of each, and the epoch in force evaluations. Nothing is written
// outside a temporary directory.
import Foundation
import SNNPFit

let arguments = CommandLine.arguments
guard arguments.count >= 2, arguments.count <= 4 else {
  FileHandle.standardError.write(
    "usage: snnp-fit-benchmark CONFIG.json [THREADS (default 1)] [EPOCHS (default 4)]\n".data(
      using: .utf8)!)
  exit(2)
}
do {
  var config = try FitConfiguration.read(path: arguments[1])
  config.threads = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
  config.epochs = arguments.count > 3 ? Int(arguments[3]) ?? 4 : 4
  config.polishEpochs = 0
  config.validateEvery = config.epochs
  config.output = NSTemporaryDirectory() + "snnp-fit-benchmark-\(getpid())"
  defer { try? FileManager.default.removeItem(atPath: config.output) }
  let trainer = try Trainer(config: config, command: "snnp-fit-benchmark")
  let atoms = Double(trainer.train.atomCount)
  // Force evaluations of every training frame: the best of five passes.
  var kernel = Double.infinity
  for _ in 0..<5 {
    let start = Date()
    _ = trainer.errors(of: trainer.state.theta, on: trainer.train)
    kernel = min(kernel, Date().timeIntervalSince(start))
  }
  _ = try trainer.run { _ in }
  // The epochs' own seconds (batches and optimiser steps; validation excluded): the best.
  let epochs = trainer.state.log.compactMap { Double($0.split(separator: ",").last ?? "") }
  let epoch = epochs.min() ?? .nan
  print(
    String(
      format:
        "%@: %d training frames, %.0f atoms, %d thread(s)\nforce evaluation: %.1f µs per atom (best of 5)\nAMSGrad epoch:    %.1f µs per atom (best of %d epochs, batch %d) = %.2f force evaluations",
      arguments[1], trainer.train.count, atoms, trainer.threadCount, 1e6 * kernel / atoms,
      1e6 * epoch / atoms, epochs.count, config.batchSize, epoch / kernel))
} catch {
  FileHandle.standardError.write("snnp-fit-benchmark: \(error)\n".data(using: .utf8)!)
  exit(1)
}

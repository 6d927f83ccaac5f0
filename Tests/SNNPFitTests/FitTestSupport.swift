import SNNPCore
import SNNPData
import SNNPFit
import SNNPFormat
import _SNNPTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A fresh scratch directory under /tmp.
func scratchDirectory(_ name: String) -> String {
  let dir = "/tmp/snnp-tests/\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  _ = dir.withCString {
    mkdir("/tmp/snnp-tests", 0o755); return mkdir($0, 0o755)
  }
  return dir
}

/// Frames labelled by `potential`: rattled, strained bcc cells of 2 and 16 atoms.
func labelledFrames(_ potential: Potential, count: Int, seed: UInt64) throws -> [Frame] {
  var rng = SeededGenerator(seed: seed)
  let evaluator = Evaluator(potential)
  return try (0..<count).map { k in
    let repeats = k % 3 == 0 ? 2 : 1
    var s = TestStructures.bcc(
      a: rng.uniform(3.0, 3.4), repeats: repeats, elementCount: potential.elementCount,
      rattle: 0.15,
      shear: rng.uniform(-0.05, 0.05), seed: UInt64(1000 + k))
    let strain = (0..<3).map { _ in
      SIMD3(rng.uniform(-0.04, 0.04), rng.uniform(-0.04, 0.04), rng.uniform(-0.04, 0.04))
    }
    s = s.deformed(by: strain)
    let r = try evaluator.evaluate(s, filters: false)
    return Frame(
      symbols: s.species.map { potential.elements[$0] }, positions: s.positions, cell: s.cell,
      pbc: s.pbc,
      energy: r.energy, forces: r.forces, stress: nil, configType: k % 2 == 0 ? "even" : "odd",
      info: [:], line: 0)
  }
}

/// Writes `count` frames labelled by `teacher` (``labelledFrames``) to `train.xyz` in a
/// fresh scratch directory `name`; returns the directory.
func labelledTrainingDirectory(
  _ teacher: Potential, count: Int, seed: UInt64, name: String
) throws
  -> String
{
  let dir = scratchDirectory(name)
  try TextFile.writeAtomically(
    ExtXYZ.text(try labelledFrames(teacher, count: count, seed: seed)), to: dir + "/train.xyz")
  return dir
}

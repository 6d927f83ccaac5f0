import SNNPCore
import SNNPData
import SNNPFormat
import Testing
import _SNNPTestSupport

@Suite struct MEAMSplineTests {
  static let siPotential = "/usr/share/lammps/potentials/Si_1.meam.spline"

  /// The imported Si_1.meam.spline reproduces LAMMPS's own pair_style meam/spline
  /// (reference from Debian's lmp by scripts/make-meam-reference.sh; 216 atoms of
  /// distorted diamond Si in a triclinic cell): energy to 1e-9 eV/atom, forces to
  /// 1e-8 eV/Å, virial to 1e-8 relative.
  @Test func importedSi1_MatchesLAMMPSMeamSpline() throws {
    let p = try MEAMSplineImporter.read(path: Self.siPotential, element: "Si")
    let frames = try ExtXYZ.parse(
      try fixture("lammps/Si_1-meam-spline.xyz"), file: "Si_1-meam-spline.xyz")
    #expect(frames.count == 1)
    let frame = frames[0]
    #expect(frame.count == 216)
    let r = try Evaluator(p).evaluate(try frame.structure(elements: ["Si"], file: "ref"))
    let reference = frame.energy!
    #expect(
      abs(r.energy - reference) / Double(frame.count) < 1e-9,
      "energy \(r.energy) vs LAMMPS \(reference)")
    var worst = 0.0
    for (a, b) in zip(r.forces, frame.forces!) { worst = max(worst, maxAbs(a - b)) }
    #expect(worst < 1e-8, "max force deviation \(worst) eV/Å")
    let virial = frame.info["virial"]!.split(separator: " ").map { Double($0)! }
    for c in 0..<6 {
      #expect(abs(r.virial[c] - virial[c]) <= 1e-8 * max(1, abs(virial[c])), "virial \(c)")
    }
  }

  /// The new-format multi-spline file (Vita & Trinkle's Mo s-MEAM) and the old format give
  /// the same potential after a write/read through the .snnp format.
  @Test func importedPotentials_RoundTripThroughSnnpFormat() throws {
    for (path, element) in [
      (Self.siPotential, "Si"), (fixtures + "/../../../../shared/peers/Mo.smeam.meam.spline", "Mo"),
    ] {
      guard let text = try? TextFile.read(path) else {
        Issue.record("missing \(path)")
        continue
      }
      let p = try MEAMSplineImporter.parse(text, file: path, element: element)
      let back = try PotentialFile.parse(PotentialFile(potential: p).text(), file: "x.snnp")
        .potential
      #expect(back == p)
    }
  }

  @Test func oldFormatWithoutElement_IsRejectedClearly() throws {
    let text = try TextFile.read(Self.siPotential)
    #expect(throws: PotentialFileError.self) {
      try MEAMSplineImporter.parse(text, file: "Si_1", element: nil)
    }
    var truncated = text.split(separator: "\n").prefix(20).joined(separator: "\n")
    truncated += "\n"
    do {
      _ = try MEAMSplineImporter.parse(truncated, file: "Si_1", element: "Si")
      Issue.record("accepted a truncated file")
    } catch let e as PotentialFileError {
      #expect(e.description.contains("unexpected end of file"))
    }
  }
}

import Foundation
import SNNPCore
import SNNPData

// `snnp eval --json`: the report as Encodable values written by JSONEncoder (keys sorted,
// strings escaped, control characters included). The keys and values are those the LAMMPS
// tests, python/ and the examples read (docs/pair_snnp.md, python/snnp/evaluate.py).

/// The whole `--json` output.
struct EvalReport: Encodable {
  let potential: String
  let data: String
  let frames: [FrameRecord]
  let summary: EvalSummary

  /// One line of JSON. Throws a ``CommandFailure`` if a number is not finite (JSON has no NaN or inf).
  func jsonText() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(self), as: UTF8.self)
    } catch {
      throw CommandFailure("\(data): cannot write the results as JSON: \(error)")
    }
  }
}

/// One frame: the model's energy, forces, stress and per-atom values.
struct FrameRecord: Encodable {
  let index: Int
  let line: Int
  let natoms: Int
  let configType: String?
  let energy: Double
  let energyPerAtom: Double
  let forces: [[Double]]
  /// ASE stress (σ = −W / V, row-major 3×3, eV/Å³); nil unless periodic along a, b and c.
  let stress: [Double]?
  let virial: [Double]
  let atomEnergies: [Double]
  let filters: [[Double]]
  /// Per atom: [linear part, network part] of its energy.
  let energyParts: [[Double]]
  let referenceEnergy: Double?
  let maxGrade: Double?
  let grades: [Double]?
  let closeFlags: [Int]?
  let sigmas: [Double]
  /// Committee spread of the energy: total (eV) and per atom (eV/atom).
  let energySpread: Double
  let energySpreadPerAtom: Double

  init(_ k: Int, _ frame: Frame, _ s: Structure, _ r: Evaluation, _ u: FrameUncertainty) {
    index = k
    line = frame.line
    natoms = frame.count
    configType = frame.configType
    energy = r.energy
    energyPerAtom = r.energy / Double(max(frame.count, 1))
    forces = r.forces.map { [$0.x, $0.y, $0.z] }
    if s.pbc.allSatisfy({ $0 }) {
      let v = r.virial
      let vol = s.volume
      stress = [v[0], v[3], v[4], v[3], v[1], v[5], v[4], v[5], v[2]].map { -$0 / vol }
    } else {
      stress = nil
    }
    virial = r.virial
    atomEnergies = r.atomEnergies
    filters = r.filters
    energyParts = r.energyParts.map { [$0[0], $0[1]] }
    referenceEnergy = frame.energy
    maxGrade = u.maxGrade
    grades = r.grades.isEmpty ? nil : r.grades
    closeFlags = r.closeFlags.isEmpty ? nil : r.closeFlags.map { Int($0) }
    sigmas = r.sigmas
    energySpread = r.energySpread
    energySpreadPerAtom = r.energySpread / Double(max(frame.count, 1))
  }

  enum CodingKeys: String, CodingKey {
    case index, line, natoms, energy, forces, stress, virial, filters, grades, sigmas
    case configType = "config_type", energyPerAtom = "energy_per_atom", atomEnergies =
      "atom_energies"
    case energyParts = "energy_parts", referenceEnergy = "reference_energy", maxGrade = "max_grade"
    case closeFlags = "close_flags", energySpread = "energy_spread", energySpreadPerAtom =
      "energy_spread_per_atom"
  }

  // Written by hand so that absent values are `null`, not left out.
  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(index, forKey: .index)
    try c.encode(line, forKey: .line)
    try c.encode(natoms, forKey: .natoms)
    try c.encode(configType, forKey: .configType)
    try c.encode(energy, forKey: .energy)
    try c.encode(energyPerAtom, forKey: .energyPerAtom)
    try c.encode(forces, forKey: .forces)
    try c.encode(stress, forKey: .stress)
    try c.encode(virial, forKey: .virial)
    try c.encode(atomEnergies, forKey: .atomEnergies)
    try c.encode(filters, forKey: .filters)
    try c.encode(energyParts, forKey: .energyParts)
    try c.encode(referenceEnergy, forKey: .referenceEnergy)
    try c.encode(maxGrade, forKey: .maxGrade)
    try c.encode(grades, forKey: .grades)
    try c.encode(closeFlags, forKey: .closeFlags)
    try c.encode(sigmas, forKey: .sigmas)
    try c.encode(energySpread, forKey: .energySpread)
    try c.encode(energySpreadPerAtom, forKey: .energySpreadPerAtom)
  }
}

/// Energy (meV/atom) and force (eV/Å) errors of a group of frames.
struct GroupErrors: Encodable {
  let frames: Int
  let energyMAE: Double
  let energyRMSE: Double
  let forceMAE: Double
  let forceRMSE: Double

  init(_ s: ErrorSummary) {
    frames = s.frames
    energyMAE = 1000 * s.energy.mae
    energyRMSE = 1000 * s.energy.rmse
    forceMAE = s.force.mae
    forceRMSE = s.force.rmse
  }

  enum CodingKeys: String, CodingKey {
    case frames
    case energyMAE = "energy_mae_meV_per_atom", energyRMSE = "energy_rmse_meV_per_atom"
    case forceMAE = "force_mae_eV_per_A", forceRMSE = "force_rmse_eV_per_A"
  }
}

/// Force errors (eV/Å) of the atoms of one element.
struct ElementErrors: Encodable {
  let mae: Double
  let rmse: Double
  enum CodingKeys: String, CodingKey {
    case mae = "force_mae_eV_per_A", rmse = "force_rmse_eV_per_A"
  }
}

/// The uncertainty summary: largest grade, frames outside the training domain, and the rank
/// correlations of the max grade and of σ_E with the actual per-frame energy errors.
struct UncertaintySummary: Encodable {
  let graded: Bool
  let committee: Bool
  let maxGrade: Double?
  let framesOutside: Int
  let spearmanGrade: Double?
  let spearmanSigma: Double?

  init(_ rows: [FrameUncertainty], graded: Bool, committee: Bool) {
    let referenced = rows.filter { $0.energyError != nil }
    let errors = referenced.map { $0.energyError! }
    self.graded = graded
    self.committee = committee
    maxGrade = rows.compactMap(\.maxGrade).max()
    framesOutside = rows.filter { ($0.maxGrade ?? 0) > TrainingDomain.insideGrade }.count
    spearmanGrade = graded ? spearmanCorrelation(referenced.map { $0.maxGrade ?? 0 }, errors) : nil
    spearmanSigma = committee ? spearmanCorrelation(referenced.map(\.energySpread), errors) : nil
  }

  enum CodingKeys: String, CodingKey {
    case graded, committee
    case maxGrade = "max_grade", framesOutside = "frames_outside"
    case spearmanGrade = "spearman_grade_energy_error", spearmanSigma =
      "spearman_sigma_energy_error"
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(graded, forKey: .graded)
    try c.encode(committee, forKey: .committee)
    try c.encode(maxGrade, forKey: .maxGrade)
    try c.encode(framesOutside, forKey: .framesOutside)
    try c.encode(spearmanGrade, forKey: .spearmanGrade)
    try c.encode(spearmanSigma, forKey: .spearmanSigma)
  }
}

/// The summary object: "all", one entry per config_type group (named by the group),
/// "per_element" and "uncertainty".
struct EvalSummary: Encodable {
  let all: GroupErrors
  let groups: [(String, GroupErrors)]
  let perElement: [(String, ElementErrors)]
  let uncertainty: UncertaintySummary

  struct Key: CodingKey {
    let stringValue: String
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for (name, g) in groups { try c.encode(g, forKey: Key(name)) }
    try c.encode(all, forKey: Key("all"))
    var elements = c.nestedContainer(keyedBy: Key.self, forKey: Key("per_element"))
    for (name, e) in perElement { try elements.encode(e, forKey: Key(name)) }
    try c.encode(uncertainty, forKey: Key("uncertainty"))
  }
}

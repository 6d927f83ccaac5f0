import ArgumentParser
import Foundation
import SNNPCore
import SNNPData
import SNNPFormat

struct Eval: ReportingCommand {
  static let configuration = CommandConfiguration(
    abstract: "Evaluate a potential on every frame of an extended-XYZ file.",
    discussion: """
      Prints energy (meV/atom) and force (eV/Å) MAE and RMSE against the file's reference \
      energy= and forces, overall and per config_type. With --json, prints per-frame energy, \
      forces and stress (ASE sign, eV/Å³) plus the summary.

      Uncertainty (docs/uncertainty.md): per frame the largest extrapolation grade of its atoms \
      (potentials with a training domain; about 1 inside the training data, growing outside) and \
      the committee spread of its energy σ_E (committee potentials), with the Spearman rank \
      correlation of each with the frame's actual energy error when the data hold references. \
      --per-frame prints them frame by frame.
      """)

  @Argument(help: "Potential file (.snnp).") var potential: String
  @Argument(help: "Extended-XYZ data file.") var data: String
  @Flag(help: "Print per-frame results and the summary as JSON.") var json = false
  @Flag(help: "Print one line per frame: energy error, max grade, committee spread, close pairs.")
  var perFrame = false

  func execute() throws {
    let file = try PotentialFile.read(path: potential)
    let frames = try ExtXYZ.read(path: data)
    let p = file.potential
    let evaluator = Evaluator(p)
    let graded = evaluator.hasTrainingDomain
    let committee = p.headCount > 1
    var frameRows: [FrameUncertainty] = []
    var overall = ErrorSummary()
    var groups: [String: ErrorSummary] = [:]
    var groupOrder: [String] = []
    var records: [FrameRecord] = []
    var atoms = 0
    // Force errors by element of the atom.
    var perElement = [ErrorAccumulator](repeating: ErrorAccumulator(), count: p.elementCount)
    for (k, frame) in frames.enumerated() {
      let structure = try frame.structure(elements: p.elements, file: data)
      let result = try frame.locatingErrors(file: data, index: k + 1) {
        try evaluator.evaluate(structure, filters: json, uncertainty: true)
      }
      guard result.sigmas.allSatisfy(\.isFinite), result.grades.allSatisfy(\.isFinite) else {
        throw CommandFailure(
          "\(data):\(frame.line): frame \(k + 1): the potential gives a non-finite spread or grade for this structure"
        )
      }
      frameRows.append(
        FrameUncertainty(
          index: k, line: frame.line, group: frame.configType ?? "(none)", atoms: frame.count,
          energyError: frame.energy.map { abs(result.energy - $0) / Double(max(frame.count, 1)) },
          maxGrade: result.grades.max(),
          energySpread: result.energySpread / Double(max(frame.count, 1)),
          maxSigma: result.sigmas.max() ?? 0, closeAtoms: Int(result.closeFlags.reduce(0, +))))
      atoms += frame.count
      overall.add(
        atoms: frame.count, predictedEnergy: result.energy, referenceEnergy: frame.energy,
        predictedForces: result.forces, referenceForces: frame.forces)
      let group = frame.configType ?? "(none)"
      if groups[group] == nil { groupOrder.append(group) }
      groups[group, default: ErrorSummary()].add(
        atoms: frame.count, predictedEnergy: result.energy, referenceEnergy: frame.energy,
        predictedForces: result.forces, referenceForces: frame.forces)
      if let reference = frame.forces {
        for (a, (fp, fr)) in zip(result.forces, reference).enumerated() {
          let d = fp - fr
          for c in 0..<3 { perElement[structure.species[a]].add(d[c]) }
        }
      }
      if json {
        // JSON has no NaN or inf: refuse rather than print invalid JSON.
        guard result.filters.allSatisfy({ $0.allSatisfy(\.isFinite) }),
          result.energyParts.allSatisfy({ $0.allSatisfy(\.isFinite) })
        else {
          throw CommandFailure(
            "\(data):\(frame.line): frame \(k + 1): the potential gives non-finite filters for this structure"
          )
        }
        records.append(FrameRecord(k, frame, structure, result, frameRows.last!))
      }
    }
    // The errors of huge but finite references could still overflow: never print inf.
    for (name, s) in [("all", overall)] + groupOrder.map({ ($0, groups[$0]!) }) {
      let values = [s.energy.mae, s.energy.rmse, s.force.mae, s.force.rmse]
      if !values.allSatisfy({ $0.isFinite }) {
        throw CommandFailure(
          "\(data): the errors of group '\(name)' overflow (reference energies or forces too large?)"
        )
      }
    }
    if json {
      let report = EvalReport(
        potential: potential, data: data, frames: records,
        summary: EvalSummary(
          all: GroupErrors(overall), groups: groupOrder.map { ($0, GroupErrors(groups[$0]!)) },
          perElement: zip(p.elements, perElement).filter { $0.1.count > 0 }.map {
            ($0.0, ElementErrors(mae: $0.1.mae, rmse: $0.1.rmse))
          },
          uncertainty: UncertaintySummary(frameRows, graded: graded, committee: committee)))
      print(try report.jsonText())
      return
    }
    print(
      "potential: \(potential) (elements \(p.elements.joined(separator: " ")), cutoff \(p.cutoff) Å\(committee ? ", committee of \(p.headCount) heads" : ""))"
    )
    print("data:      \(data) (\(frames.count) frames, \(atoms) atoms)")
    if overall.energy.count == 0 && overall.force.count == 0 {
      print("no reference energies or forces in the data; per-frame energies (eV):")
      for (k, frame) in frames.enumerated() {
        let s = try frame.structure(elements: p.elements, file: data)
        let e = try frame.locatingErrors(file: data, index: k + 1) {
          try evaluator.evaluate(s, filters: false).energy
        }
        print(String(format: "%6d %6d atoms %20.10f", k + 1, frame.count, e))
      }
      printUncertainty(frameRows, graded: graded, committee: committee)
      return
    }
    print(
      "group".padding(20) + "frames".leftPadded(8) + "E MAE".leftPadded(10)
        + "E RMSE".leftPadded(10)
        + "F MAE".leftPadded(10) + "F RMSE".leftPadded(10))
    print("".padding(20) + "".leftPadded(8) + "meV/atom".leftPadded(20) + "eV/Å".leftPadded(20))
    func row(_ name: String, _ s: ErrorSummary) {
      print(
        name.padding(20) + "\(s.frames)".leftPadded(8)
          + String(
            format: "%10.3f%10.3f%10.4f%10.4f", 1000 * s.energy.mae, 1000 * s.energy.rmse,
            s.force.mae, s.force.rmse))
    }
    for g in groupOrder { row(g, groups[g]!) }
    row("all", overall)
    printUncertainty(frameRows, graded: graded, committee: committee)
    if p.elementCount > 1 {
      print("force errors by element (eV/Å):")
      for (el, acc) in zip(p.elements, perElement) where acc.count > 0 {
        print(
          "  " + el.padding(18) + "\(acc.count / 3) atoms".leftPadded(14)
            + String(format: "%10.4f%10.4f", acc.mae, acc.rmse))
      }
    }
  }

  /// The uncertainty summary: per group the largest grade and mean spread, then the rank
  /// correlations with the actual per-frame energy errors.
  func printUncertainty(_ rows: [FrameUncertainty], graded: Bool, committee: Bool) {
    if perFrame {
      print(
        "per frame:" + "line".leftPadded(8) + "  " + "group".padding(18) + "atoms".leftPadded(6)
          + "|dE| meV/at".leftPadded(13)
          + "max grade".leftPadded(11) + "σ_E meV/at".leftPadded(12) + "close".leftPadded(7))
      for r in rows {
        print(
          "\(r.index + 1)".leftPadded(10) + "\(r.line)".leftPadded(8) + "  " + r.group.padding(18)
            + "\(r.atoms)".leftPadded(6)
            + (r.energyError.map { String(format: "%13.3f", 1000 * $0) } ?? "-".leftPadded(13))
            + (r.maxGrade.map { String(format: "%11.3f", $0) } ?? "-".leftPadded(11))
            + (committee ? String(format: "%12.3f", 1000 * r.energySpread) : "-".leftPadded(12))
            + "\(r.closeAtoms)".leftPadded(7))
      }
    }
    if graded {
      var order: [String] = []
      var groups: [String: [FrameUncertainty]] = [:]
      for r in rows {
        if groups[r.group] == nil { order.append(r.group) }
        groups[r.group, default: []].append(r)
      }
      print("extrapolation grade (max over each frame's atoms; <= 1 inside the training data):")
      print(
        "  " + "group".padding(18) + "frames".leftPadded(8) + "median".leftPadded(10)
          + "largest".leftPadded(10) + "> 1".leftPadded(8) + "close".leftPadded(8)
          + (committee ? "mean σ_E meV/at".leftPadded(17) : ""))
      for g in order + ["all"] {
        let rs = g == "all" ? rows : groups[g]!
        let grades = rs.compactMap(\.maxGrade).sorted()
        let median = grades.isEmpty ? 0 : grades[grades.count / 2]
        let spread = rs.reduce(0) { $0 + $1.energySpread } / Double(max(rs.count, 1))
        print(
          "  " + g.padding(18) + "\(rs.count)".leftPadded(8)
            + String(format: "%10.3f%10.3f", median, grades.last ?? 0)
            + "\(grades.filter { $0 > TrainingDomain.insideGrade }.count)".leftPadded(8)
            + "\(rs.filter { $0.closeAtoms > 0 }.count)".leftPadded(8)
            + (committee ? String(format: "%17.3f", 1000 * spread) : ""))
      }
    } else {
      print(
        "no extrapolation grade: \(potential) has no training domain; refit, or add one with: snnp calibrate \(potential) TRAINING.xyz"
      )
    }
    if !committee {
      print(
        "no committee spread: the potential has one network head (snnp fit --committee K trains several)"
      )
    }
    let referenced = rows.filter { $0.energyError != nil }
    let errors = referenced.map { $0.energyError! }
    if graded, let rho = spearmanCorrelation(referenced.map { $0.maxGrade ?? 0 }, errors) {
      print(
        String(
          format:
            "rank correlation (Spearman) of max grade with |energy error|: %.3f over %d frames",
          rho, referenced.count))
    }
    if committee, let rho = spearmanCorrelation(referenced.map(\.energySpread), errors) {
      print(
        String(
          format: "rank correlation (Spearman) of σ_E with |energy error|: %.3f over %d frames",
          rho, referenced.count))
    }
  }
}

extension String {
  func padding(_ n: Int) -> String {
    count >= n ? self : self + String(repeating: " ", count: n - count)
  }
  func leftPadded(_ n: Int) -> String {
    count >= n ? self : String(repeating: " ", count: n - count) + self
  }
}

/// One frame's uncertainty numbers as `snnp eval` reports them.
struct FrameUncertainty {
  let index: Int
  let line: Int
  let group: String
  let atoms: Int
  /// |E − E_ref| per atom (eV), or nil without a reference.
  let energyError: Double?
  /// Largest grade of the frame's atoms, or nil without a training domain.
  let maxGrade: Double?
  /// Committee spread of the energy per atom (eV); 0 for one head.
  let energySpread: Double
  /// Largest per-atom spread σ_i (eV).
  let maxSigma: Double
  /// Atoms with a neighbour closer than the training data's closest approach.
  let closeAtoms: Int
}

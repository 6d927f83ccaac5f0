import ArgumentParser
import Foundation
import SNNPCore
import SNNPData
import SNNPFit
import SNNPFormat

struct Calibrate: ReportingCommand {
  static let configuration = CommandConfiguration(
    abstract: "Add the training-domain block (extrapolation grade) to a potential from a data set.",
    discussion: """
      Evaluates the potential's filters on every atom of DATA (normally the frames it was fitted to) \
      and stores, per element, the filter ranges and the maxvol active set, plus the closest approach \
      of every element pair (docs/uncertainty.md). The model itself (splines, networks, biases) is \
      not changed: energies and forces stay bit-identical. Writes OUTPUT (default: the potential file \
      itself), atomically.
      """)

  @Argument(help: "Potential file (.snnp).") var potential: String
  @Argument(help: "Extended-XYZ data the grade should call 'seen' (repeatable).") var data:
    [String] = []
  @Option(
    help:
      "Instead of DATA: the training frames of this fit configuration (its seeded split), as the fitter saw them."
  )
  var config: String?
  @Option(name: .shortAndLong, help: "Output file (default: overwrite the potential file).")
  var output: String?

  func execute() throws {
    var file = try PotentialFile.read(path: potential)
    var structures: [Structure] = []
    var source = data.joined(separator: " ")
    if let config {
      guard data.isEmpty else { throw CommandFailure("give DATA files or --config, not both") }
      let c = try FitConfiguration.read(path: config)
      let split = try TrainingData.load(c)
      for item in split.train {
        structures.append(
          try item.frame.structure(elements: file.potential.elements, file: item.file))
      }
      source = "the training split of \(config)"
    }
    if config == nil && data.isEmpty {
      throw CommandFailure("give the data to calibrate on: DATA.xyz files or --config RECIPE.json")
    }
    for path in data {
      let frames = try ExtXYZ.read(path: path)
      for f in frames {
        structures.append(
          try f.structure(elements: file.potential.elements, file: path))
      }
    }
    guard !structures.isEmpty else { throw CommandFailure("\(source): no frames to calibrate on") }
    let domain = try TrainingDomain.measure(file.potential, structures: structures)
    file.potential.domain = domain
    file.metadata.removeAll { $0.key == "domain" }
    file.metadata.append(
      .init(key: "domain", value: "calibrated on \(source) (\(structures.count) frames)"))
    let out = output ?? potential
    try file.write(to: out)
    print("wrote \(out): training domain from \(structures.count) frames")
    for (c, e) in domain.elements.enumerated() {
      print("  \(file.potential.elements[c]): \(e.atoms) atoms, active set of \(e.active.count)")
    }
    for k in 0..<file.potential.pairCount {
      let (a, b) = file.potential.elementPair(k)
      print(
        String(
          format: "  closest approach %@-%@: %.3f Å", file.potential.elements[a],
          file.potential.elements[b], domain.closestApproach[k]))
    }
  }
}

struct Select: ReportingCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Pick the frames of a pool that most extend a potential's training set (active learning).",
    discussion: """
      Grades every atom of every pool frame against the potential's training domain and picks, one \
      at a time, the frame with the highest maximum grade; after each pick its atoms join the active \
      set (D-optimal update, as MTP and ML-PACE do), so near-duplicates of a picked frame fall below \
      the threshold and are skipped. Frames whose grade does not exceed --threshold are never picked. \
      Writes the picked frames verbatim, in pool order, for DFT labelling (docs/uncertainty.md).
      """)

  @Option(help: "Potential file with a training domain (snnp calibrate adds one).") var potential:
    String
  @Option(help: "Pool of candidate frames (extended XYZ; e.g. an MD trajectory).") var pool: String
  @Option(help: "Largest number of frames to pick.") var count: Int
  @Option(
    help:
      "Only frames with a maximum grade above this are picked (default: 1.001, the grade up to which training atoms count as inside)."
  )
  var threshold: Double = TrainingDomain.insideGrade
  @Option(name: .shortAndLong, help: "Output extended-XYZ file.") var output: String

  func execute() throws {
    guard count >= 1 else { throw CommandFailure("--count must be >= 1, found \(count)") }
    guard threshold.isFinite, threshold >= 0 else {
      throw CommandFailure("--threshold must be a finite number >= 0")
    }
    let file = try PotentialFile.read(path: potential)
    let p = file.potential
    guard var domain = p.domain else {
      throw CommandFailure(
        "\(potential): no training domain, so frames cannot be graded; refit, or add one with: snnp calibrate \(potential) TRAINING.xyz"
      )
    }
    let text = try TextFile.read(pool)
    let frames = try ExtXYZ.parse(text, file: pool)
    guard !frames.isEmpty else { throw CommandFailure("\(pool): no frames in the pool") }
    // Filter vectors of every pool atom, once: the filters do not change, only the active set.
    let evaluator = Evaluator(p)
    var rows: [[(element: Int, g: [Double])]] = []
    var sigma: [Double] = []
    for f in frames {
      let s = try f.structure(elements: p.elements, file: pool)
      let r = try evaluator.evaluate(s, filters: true, uncertainty: true)
      rows.append(zip(s.species, r.filters).map { ($0, $1) })
      sigma.append(r.sigmas.max() ?? 0)
    }
    var picked: [Int] = []
    var gradesAtPick: [Double] = []
    var remaining = Set(frames.indices)
    while picked.count < count {
      let compiled = Evaluator(withDomain: p, domain)
      var best = -1
      var bestGrade = threshold
      for k in remaining.sorted() {
        let g = rows[k].map { compiled.grade(element: $0.element, filters: $0.g) }.max() ?? 0
        if g > bestGrade {
          best = k
          bestGrade = g
        }
      }
      guard best >= 0 else { break }
      picked.append(best)
      gradesAtPick.append(bestGrade)
      remaining.remove(best)
      // The picked frame joins the training set: each element's active set is chosen anew
      // from its old active vectors and the frame's atoms.
      for c in domain.elements.indices {
        let added = rows[best].filter { $0.element == c }.map(\.g)
        guard !added.isEmpty else { continue }
        guard let grown = domain.elements[c].extended(with: added) else {
          throw CommandFailure(
            "\(pool): frame \(best + 1): the active set of \(p.elements[c]) became singular")
        }
        domain.elements[c] = grown
      }
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [Substring] = []
    for k in picked.sorted() {
      let start = frames[k].line - 1
      out += lines[start..<(start + frames[k].count + 2)]
    }
    try TextFile.writeAtomically(
      out.joined(separator: "\n") + (out.isEmpty ? "" : "\n"), to: output)
    print(
      "graded \(frames.count) frames of \(pool); picked \(picked.count) (threshold \(threshold)) into \(output):"
    )
    print("  pick  frame  line  atoms  max grade  max sigma (meV/atom)")
    for (n, k) in picked.enumerated() {
      print(
        String(
          format: "  %4d  %5d  %4d  %5d  %9.3f  %9.2f", n + 1, k + 1, frames[k].line,
          frames[k].count, gradesAtPick[n],
          1000 * sigma[k]))
    }
    if picked.count < count {
      print(
        "no further frame has a maximum grade above \(threshold): the rest of the pool is covered by the training set and the picks"
      )
    }
  }
}

extension Evaluator {
  /// An evaluator of `potential` with `domain` in place of its own (for grading only).
  convenience init(withDomain potential: Potential, _ domain: TrainingDomain) {
    var p = potential
    p.domain = domain
    self.init(p)
  }
}

import Foundation
import SNNPCore
import SNNPData

/// Predicted against reference energies and forces (`snnp inspect parity`).
public struct Parity {
  /// One frame's energy per atom.
  public struct EnergyPoint: Equatable {
    /// Frame number (0-based).
    public var frame: Int
    /// config_type of the frame, or "(none)".
    public var group: String
    /// Atoms in the frame.
    public var atoms: Int
    /// Reference (DFT) energy per atom (eV/atom).
    public var reference: Double
    /// Predicted energy per atom (eV/atom).
    public var predicted: Double
  }

  /// Energy points of frames with a reference energy.
  public var energies: [EnergyPoint] = []
  /// Force components (frame, atom, component 0…2, reference, predicted) in eV/Å.
  public var forces: [(frame: Int, atom: Int, component: Int, reference: Double, predicted: Double)] = []
  /// The same errors as `snnp eval` (ErrorSummary over the same frames).
  public var summary = ErrorSummary()

  /// Evaluates `potential` on `frames` (from extended-XYZ `file`).
  ///
  /// - Throws: ``DataError``/``GeometryError`` for frames with unknown elements or bad cells.
  public static func compute(_ potential: Potential, frames: [Frame], file: String) throws -> Parity {
    let evaluator = Evaluator(potential)
    var out = Parity()
    for (k, frame) in frames.enumerated() {
      let s = try frame.structure(elements: potential.elements, file: file)
      let r = try frame.locatingErrors(file: file, index: k + 1) { try evaluator.evaluate(s, filters: false) }
      out.summary.add(
        atoms: frame.count, predictedEnergy: r.energy, referenceEnergy: frame.energy, predictedForces: r.forces,
        referenceForces: frame.forces)
      if let e = frame.energy, frame.count > 0 {
        out.energies.append(
          EnergyPoint(
            frame: k, group: frame.configType ?? "(none)", atoms: frame.count, reference: e / Double(frame.count),
            predicted: r.energy / Double(frame.count)))
      }
      if let f = frame.forces {
        for (i, (p, q)) in zip(r.forces, f).enumerated() {
          for c in 0..<3 { out.forces.append((k, i, c, q[c], p[c])) }
        }
      }
    }
    return out
  }

  /// CSV `frame,config_type,atoms,reference_eV_per_atom,predicted_eV_per_atom`.
  public func energyCSV() -> String {
    var lines = ["frame,config_type,atoms,reference_eV_per_atom,predicted_eV_per_atom"]
    for e in energies {
      lines.append("\(e.frame),\(e.group),\(e.atoms),\(csvNumber(e.reference)),\(csvNumber(e.predicted))")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// CSV `frame,atom,component,reference_eV_per_A,predicted_eV_per_A`.
  public func forceCSV() -> String {
    var lines = ["frame,atom,component,reference_eV_per_A,predicted_eV_per_A"]
    for f in forces {
      lines.append("\(f.frame),\(f.atom),\("xyz".map(String.init)[f.component]),\(csvNumber(f.reference)),\(csvNumber(f.predicted))")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The metric lines printed on the figure, e.g. "MAE 20.030 meV/atom", "RMSE 27.953 meV/atom".
  public func metricLines() -> (energy: [String], force: [String]) {
    (
      [String(format: "MAE %.3f meV/atom", 1000 * summary.energy.mae), String(format: "RMSE %.3f meV/atom", 1000 * summary.energy.rmse)],
      [String(format: "MAE %.4f eV/Å", summary.force.mae), String(format: "RMSE %.4f eV/Å", summary.force.rmse)]
    )
  }

  /// Two parity panels (energy per atom, force components) with y = x and the metrics.
  public func svg(title: String) -> String {
    var svg = SVG(width: 980, height: 480)
    svg.text(490, 24, title, size: 15, anchor: "middle", bold: true)
    let metrics = metricLines()
    let groups = Array(Set(energies.map(\.group))).sorted()
    func panel(_ left: Double, _ points: [(Double, Double, Int)], _ unit: String, _ what: String, _ lines: [String]) {
      let all = points.flatMap { [$0.0, $0.1] }
      let lo = all.min() ?? 0
      let hi = all.max() ?? 1
      let pad = 0.05 * max(hi - lo, 1e-9)
      let area = PlotArea(left: left, top: 50, width: 360, height: 360, x: (lo - pad)...(hi + pad), y: (lo - pad)...(hi + pad))
      area.drawAxes(&svg, xLabel: "reference \(what) (\(unit))", yLabel: "predicted \(what) (\(unit))")
      svg.line(area.px(lo - pad), area.py(lo - pad), area.px(hi + pad), area.py(hi + pad), stroke: "#777", dash: "5,4")
      for (x, y, g) in points {
        svg.circle(area.px(x), area.py(y), r: 3, fill: ColorMap.categorical(g), opacity: 0.6)
      }
      for (k, l) in lines.enumerated() {
        svg.text(area.left + 10, area.top + 20 + Double(k) * 17, l, size: 13)
      }
    }
    panel(
      90, energies.map { ($0.reference, $0.predicted, groups.firstIndex(of: $0.group) ?? 0) }, "eV/atom", "energy",
      metrics.energy)
    panel(570, forces.map { ($0.reference, $0.predicted, 0) }, "eV/Å", "force", metrics.force)
    if groups.count > 1 {
      for (k, g) in groups.enumerated() {
        svg.circle(470, 60 + Double(k) * 16, r: 4, fill: ColorMap.categorical(k))
        svg.text(478, 64 + Double(k) * 16, g, size: 10)
      }
    }
    return svg.render()
  }
}

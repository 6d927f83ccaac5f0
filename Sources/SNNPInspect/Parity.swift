import Foundation
import SNNPCore
import SNNPData

/// Predicted against reference energies and forces (`snnp inspect parity`), for one
/// or several data sets, grouped (coloured) by config_type, element or data set.
public struct Parity {
  /// What the points are coloured by.
  public enum Grouping: String, CaseIterable, Sendable {
    /// The frame's config_type (energies and forces).
    case configType = "config_type"
    /// Energies: the frame's elements joined by "-" (e.g. "Mo", "Mo-Nb"); forces: the atom's element.
    case element
    /// The data set (file) a frame comes from.
    case dataset
  }

  /// One frame's energy per atom.
  public struct EnergyPoint: Equatable {
    /// Frame number (0-based, counted over all data sets).
    public var frame: Int
    /// config_type of the frame, or "(none)".
    public var group: String
    /// Atoms in the frame.
    public var atoms: Int
    /// Reference (DFT) energy per atom (eV/atom).
    public var reference: Double
    /// Predicted energy per atom (eV/atom).
    public var predicted: Double
    /// Data set label (file name).
    public var dataset: String = ""
    /// The frame's elements, sorted and joined by "-".
    public var composition: String = ""
  }

  /// One force component.
  public struct ForcePoint: Equatable {
    /// Frame number (0-based, counted over all data sets).
    public var frame: Int
    /// Atom number in the frame (0-based).
    public var atom: Int
    /// Component 0…2 (x, y, z).
    public var component: Int
    /// Reference force component (eV/Å).
    public var reference: Double
    /// Predicted force component (eV/Å).
    public var predicted: Double
    /// The atom's element.
    public var element: String
    /// config_type of the frame, or "(none)".
    public var configType: String
    /// Data set label (file name).
    public var dataset: String
  }

  /// Energy points of frames with a reference energy.
  public var energies: [EnergyPoint] = []
  /// Force components of frames with reference forces.
  public var forces: [ForcePoint] = []
  /// The same errors as `snnp eval` (ErrorSummary over the same frames).
  public var summary = ErrorSummary()

  /// Evaluates `potential` on `frames` (from extended-XYZ `file`).
  ///
  /// - Throws: ``DataError``/``GeometryError`` for frames with unknown elements or bad cells.
  public static func compute(_ potential: Potential, frames: [Frame], file: String) throws -> Parity
  {
    try compute(potential, sets: [(label: file, frames: frames)])
  }

  /// Evaluates `potential` on several data sets (label: the file name, used in messages and legends).
  ///
  /// - Throws: ``DataError``/``GeometryError`` for frames with unknown elements or bad cells.
  public static func compute(
    _ potential: Potential, sets: [(label: String, frames: [Frame])]
  ) throws -> Parity {
    let evaluator = Evaluator(potential)
    var out = Parity()
    var k = -1
    for (file, frames) in sets {
      for (index, frame) in frames.enumerated() {
        k += 1
        let s = try frame.structure(elements: potential.elements, file: file)
        let r = try frame.locatingErrors(file: file, index: index + 1) {
          try evaluator.evaluate(s, filters: false)
        }
        out.summary.add(
          atoms: frame.count, predictedEnergy: r.energy, referenceEnergy: frame.energy,
          predictedForces: r.forces,
          referenceForces: frame.forces)
        let configType = frame.configType ?? "(none)"
        if let e = frame.energy, frame.count > 0 {
          out.energies.append(
            EnergyPoint(
              frame: k, group: configType, atoms: frame.count, reference: e / Double(frame.count),
              predicted: r.energy / Double(frame.count), dataset: file,
              composition: Set(frame.symbols).sorted().joined(separator: "-")))
        }
        if let f = frame.forces {
          for (i, (p, q)) in zip(r.forces, f).enumerated() {
            for c in 0..<3 {
              out.forces.append(
                ForcePoint(
                  frame: k, atom: i, component: c, reference: q[c], predicted: p[c],
                  element: frame.symbols[i],
                  configType: configType, dataset: file))
            }
          }
        }
      }
    }
    return out
  }

  /// The group of an energy point under `grouping`.
  public static func group(_ e: EnergyPoint, by grouping: Grouping) -> String {
    switch grouping {
    case .configType: return e.group
    case .element: return e.composition
    case .dataset: return e.dataset
    }
  }

  /// The group of a force point under `grouping`.
  public static func group(_ f: ForcePoint, by grouping: Grouping) -> String {
    switch grouping {
    case .configType: return f.configType
    case .element: return f.element
    case .dataset: return f.dataset
    }
  }

  /// Errors of one group: energy per atom (eV/atom, over its frames) and force components (eV/Å).
  public struct GroupErrors: Equatable {
    /// Group name.
    public var group: String
    /// Energy-per-atom deviations of the group's frames.
    public var energy = ErrorAccumulator()
    /// Force-component deviations of the group's atoms.
    public var force = ErrorAccumulator()
  }

  /// Per-group errors, groups sorted by name (a group may have energies or forces only).
  public func groupErrors(by grouping: Grouping) -> [GroupErrors] {
    var table: [String: GroupErrors] = [:]
    for e in energies {
      let g = Parity.group(e, by: grouping)
      table[g, default: GroupErrors(group: g)].energy.add(e.predicted - e.reference)
    }
    for f in forces {
      let g = Parity.group(f, by: grouping)
      table[g, default: GroupErrors(group: g)].force.add(f.predicted - f.reference)
    }
    return table.keys.sorted().map { table[$0]! }
  }

  /// Text table of ``groupErrors(by:)``: group, frames, energy MAE/RMSE (meV/atom), force components, MAE/RMSE (eV/Å).
  public func groupTable(by grouping: Grouping) -> String {
    var lines = [
      "| \(grouping.rawValue) | frames | E MAE | E RMSE (meV/atom) | force components | F MAE | F RMSE (eV/Å) |",
      "|---|---|---|---|---|---|---|",
    ]
    for g in groupErrors(by: grouping) {
      lines.append(
        "| \(g.group) | \(g.energy.count) | "
          + String(format: "%.2f | %.2f", 1000 * g.energy.mae, 1000 * g.energy.rmse)
          + " | \(g.force.count) | " + String(format: "%.4f | %.4f", g.force.mae, g.force.rmse)
          + " |")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// CSV `frame,config_type,atoms,reference_eV_per_atom,predicted_eV_per_atom,dataset,elements`.
  public func energyCSV() -> String {
    var lines = [
      "frame,config_type,atoms,reference_eV_per_atom,predicted_eV_per_atom,dataset,elements"
    ]
    for e in energies {
      lines.append(
        "\(e.frame),\(e.group),\(e.atoms),\(csvNumber(e.reference)),\(csvNumber(e.predicted)),\(e.dataset),\(e.composition)"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// CSV `frame,atom,component,reference_eV_per_A,predicted_eV_per_A,element,config_type,dataset`.
  public func forceCSV() -> String {
    var lines = [
      "frame,atom,component,reference_eV_per_A,predicted_eV_per_A,element,config_type,dataset"
    ]
    for f in forces {
      lines.append(
        "\(f.frame),\(f.atom),\("xyz".map(String.init)[f.component]),\(csvNumber(f.reference)),\(csvNumber(f.predicted)),\(f.element),\(f.configType),\(f.dataset)"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The metric lines printed on the figure, e.g. "MAE 20.030 meV/atom", "RMSE 27.953 meV/atom".
  public func metricLines() -> (energy: [String], force: [String]) {
    (
      [
        String(format: "MAE %.3f meV/atom", 1000 * summary.energy.mae),
        String(format: "RMSE %.3f meV/atom", 1000 * summary.energy.rmse),
      ],
      [
        String(format: "MAE %.4f eV/Å", summary.force.mae),
        String(format: "RMSE %.4f eV/Å", summary.force.rmse),
      ]
    )
  }

  /// Each group's mean reference energy per atom (eV/atom), the shift that ``svg(title:by:)``
  /// removes when it colours by element or data set (elements' energies differ by eV/atom).
  public func meanReferenceEnergies(by grouping: Grouping) -> [String: Double] {
    var sums: [String: (Double, Int)] = [:]
    for e in energies {
      let g = Parity.group(e, by: grouping)
      let (s, n) = sums[g] ?? (0, 0)
      sums[g] = (s + e.reference, n + 1)
    }
    return sums.mapValues { $0.0 / Double($0.1) }
  }

  /// Two parity panels (energy per atom, force components) with y = x and the metrics;
  /// points coloured by `grouping`, with each group's MAE in the legend. Grouped by
  /// element or data set with several groups, energies are drawn relative to their
  /// group's mean reference energy (``meanReferenceEnergies(by:)``), which the errors do not change.
  ///
  /// At most `maxForcePoints` force components are drawn (every k-th, k the smallest
  /// stride that fits; the panel says so); the metrics always use all of them.
  public func svg(
    title: String, by grouping: Grouping = .configType, maxForcePoints: Int = .max
  ) -> String {
    let errors = groupErrors(by: grouping)
    let shifts =
      grouping != .configType && errors.count > 1 ? meanReferenceEnergies(by: grouping) : [:]
    let groups = errors.map(\.group)
    let legendRows = groups.count > 1 ? groups.count : 0
    var svg = SVG(width: 980, height: 480 + 16 * Double(legendRows))
    svg.text(490, 24, title, size: 15, anchor: "middle", bold: true)
    let metrics = metricLines()
    func panel(
      _ left: Double, _ points: [(Double, Double, Int)], _ unit: String, _ what: String,
      _ lines: [String]
    ) {
      let all = points.flatMap { [$0.0, $0.1] }
      let lo = all.min() ?? 0
      let hi = all.max() ?? 1
      let pad = 0.05 * max(hi - lo, 1e-9)
      let area = PlotArea(
        left: left, top: 50, width: 360, height: 360, x: (lo - pad)...(hi + pad),
        y: (lo - pad)...(hi + pad))
      area.drawAxes(
        &svg, xLabel: "reference \(what) (\(unit))", yLabel: "predicted \(what) (\(unit))")
      svg.line(
        area.px(lo - pad), area.py(lo - pad), area.px(hi + pad), area.py(hi + pad), stroke: "#777",
        dash: "5,4")
      for (x, y, g) in points {
        svg.circle(area.px(x), area.py(y), r: 3, fill: ColorMap.categorical(g), opacity: 0.6)
      }
      for (k, l) in lines.enumerated() {
        svg.text(area.left + 10, area.top + 20 + Double(k) * 17, l, size: 13)
      }
    }
    let index = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
    panel(
      90,
      energies.map { e in
        let g = Parity.group(e, by: grouping)
        let shift = shifts[g] ?? 0
        return (e.reference - shift, e.predicted - shift, index[g] ?? 0)
      }, "eV/atom", shifts.isEmpty ? "energy" : "energy − \(grouping.rawValue) mean", metrics.energy
    )
    let limit = max(maxForcePoints, 1)
    let stride = forces.count > limit ? (forces.count - 1) / limit + 1 : 1
    let drawn = Swift.stride(from: 0, to: forces.count, by: stride).map { forces[$0] }
    panel(
      570, drawn.map { ($0.reference, $0.predicted, index[Parity.group($0, by: grouping)] ?? 0) },
      "eV/Å", "force",
      metrics.force + (stride > 1 ? ["(every \(stride)th of \(forces.count) drawn)"] : []))
    if legendRows > 0 {
      for (k, g) in errors.enumerated() {
        let y = 484 + Double(k) * 16
        svg.circle(96, y - 4, r: 4, fill: ColorMap.categorical(k))
        svg.text(
          106, y,
          "\(g.group): \(g.energy.count) frames, E MAE "
            + String(format: "%.2f meV/atom", 1000 * g.energy.mae)
            + ", F MAE " + String(format: "%.4f eV/Å", g.force.mae), size: 11)
      }
    }
    return svg.render()
  }
}

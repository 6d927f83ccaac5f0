import Foundation
import SNNPCore
import SNNPData

/// Filter sensitivities (`snnp inspect sensitivity`): how strongly each element's
/// atomic energy responds to each three-body filter,
///
///     s_E^a(c) = Σ_frames Σ_{atoms i of element c} |∂E_i/∂G3[a]_i| / |E_DFT(frame)|
///
/// with ∂E_i/∂G_i back-propagated through the regressor (network, softplus, skip
/// connection, or embedding). Units: 1/eV × eV/(filter unit) = 1/(filter unit).
public struct Sensitivity {
  /// Element symbols (rows of `values`).
  public var elements: [String]
  /// `values[c][a]` = s_E^a for element c and three-body filter a.
  public var values: [[Double]]
  /// The same sum without the skip connection's constant 1: Σ |∂R_c/∂G3[a]_i| / |E_DFT|,
  /// the regressor's (network's or embedding's) own sensitivity.
  public var regressorValues: [[Double]]
  /// Atoms of each element counted.
  public var atoms: [Int]
  /// Frames used (those with a reference energy).
  public var frames: Int
  /// Frames skipped because they have no reference energy.
  public var skipped: Int

  /// The regressor part of atom energy E_i − b − ½Σφ as a function of the filters
  /// G (eV), and its gradient ∂E_i/∂G (eV per filter unit): [skip] Σ G + R(G), with R the
  /// network (softplus-wrapped when `softplusOutput`), the embedding U(ΣG) − U(0), or 0.
  public static func regressorEnergy(
    _ potential: Potential, element c: Int, filters G: [Double]
  ) -> (
    value: Double, gradient: [Double]
  ) {
    precondition(G.count == potential.filterCount)
    var e = 0.0
    var w = [Double](repeating: potential.skipConnection ? 1 : 0, count: G.count)
    if potential.skipConnection { e += G.reduce(0, +) }
    switch potential.regressors[c] {
    case .none: break
    case .network, .committee:
      // A committee contributes the mean of its heads, as in the kernel.
      let heads = potential.regressors[c].networks
      for net in heads {
        let (z, grad) = net.valueAndGradient(G)
        let scale = (potential.softplusOutput ? sigmoid(z) : 1) / Double(heads.count)
        e += (potential.softplusOutput ? softplus(z) : z) / Double(heads.count)
        for a in w.indices { w[a] += scale * grad[a] }
      }
    case .embedding(let u):
      let (v, d) = u.evaluate(G.reduce(0, +))
      e += v - u.evaluate(0).value
      for a in w.indices { w[a] += d }
    }
    return (e, w)
  }

  /// Accumulates the sensitivities over `frames` (extended XYZ `file` for messages).
  ///
  /// - Throws: ``DataError``/``GeometryError`` for frames with unknown elements or bad cells.
  public static func compute(
    _ potential: Potential, frames: [Frame], file: String
  ) throws -> Sensitivity {
    try compute(potential, sets: [(label: file, frames: frames)])
  }

  /// Accumulates the sensitivities over several data sets (label: the file, for messages);
  /// the sums run over all their frames, so the result is the sum of the sets' results.
  ///
  /// - Throws: ``DataError``/``GeometryError`` for frames with unknown elements or bad cells.
  public static func compute(
    _ potential: Potential, sets: [(label: String, frames: [Frame])]
  ) throws -> Sensitivity {
    let evaluator = Evaluator(potential)
    let n3 = potential.threeBodyCount
    var values = [[Double]](
      repeating: [Double](repeating: 0, count: n3), count: potential.elementCount)
    var regressorOnly = values
    var withoutSkip = potential
    withoutSkip.skipConnection = false
    var atoms = [Int](repeating: 0, count: potential.elementCount)
    var used = 0
    var skipped = 0
    for (file, frames) in sets {
      for frame in frames {
        guard let eRef = frame.energy, eRef != 0 else {
          skipped += 1
          continue
        }
        let s = try frame.structure(elements: potential.elements, file: file)
        let r = try frame.locatingErrors(file: file) { try evaluator.evaluate(s) }
        for i in 0..<s.count {
          let c = s.species[i]
          let w = regressorEnergy(potential, element: c, filters: r.filters[i]).gradient
          // Computed separately (not w − 1) so that a tiny network gradient is not lost to round-off.
          let wr = regressorEnergy(withoutSkip, element: c, filters: r.filters[i]).gradient
          for a in 0..<n3 {
            values[c][a] += abs(w[a]) / abs(eRef)
            regressorOnly[c][a] += abs(wr[a]) / abs(eRef)
          }
          atoms[c] += 1
        }
        used += 1
      }
    }
    return Sensitivity(
      elements: potential.elements, values: values, regressorValues: regressorOnly, atoms: atoms,
      frames: used, skipped: skipped)
  }

  /// Pearson correlation between the elements' sensitivity vectors (over filters a);
  /// `nan` where a vector is constant.
  public var correlation: [[Double]] {
    let n = values.count
    return (0..<n).map { p in (0..<n).map { q in Sensitivity.pearson(values[p], values[q]) } }
  }

  /// Pearson correlation coefficient of two equally long vectors (nan if either is constant).
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
    pearsonCorrelation(x, y) ?? .nan
  }

  /// CSV `element,filter,sensitivity,regressor_only,atoms`.
  public func csv() -> String {
    var lines = ["element,filter,sensitivity_per_filter_unit,regressor_only_per_filter_unit,atoms"]
    for (c, el) in elements.enumerated() {
      for (a, v) in values[c].enumerated() {
        lines.append(
          "\(el),\(a + 1),\(csvNumber(v)),\(csvNumber(regressorValues[c][a])),\(atoms[c])")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Each element's sensitivities divided by its largest one (rows of 0 stay 0): the shape
  /// of the profile, comparable between elements with different data-set sizes.
  public var relativeValues: [[Double]] {
    values.map { row in
      let m = row.max() ?? 0
      return m > 0 ? row.map { $0 / m } : row
    }
  }

  /// Markdown tables: the sensitivities (element × filter; `relative`: divided by each
  /// element's largest), then the correlation matrix between elements.
  public func table(relative: Bool = false) -> String {
    let rows = relative ? relativeValues : values
    let n3 = values.first?.count ?? 0
    var lines = [
      (relative ? "s_E^a / max_a s_E^a" : "s_E^a (per filter unit)")
        + ", three-body filters a = 1…\(n3):", "",
      "| element | atoms | " + (1...max(n3, 1)).prefix(n3).map { "\($0)" }.joined(separator: " | ")
        + " |",
      "|---|---|" + String(repeating: "---|", count: n3),
    ]
    for (c, el) in elements.enumerated() {
      lines.append(
        "| \(el) | \(atoms[c]) | "
          + rows[c].map { String(format: "%.3g", $0) }.joined(separator: " | ") + " |")
    }
    lines += [
      "", "Pearson correlation of the sensitivity vectors:", "",
      "| | " + elements.joined(separator: " | ") + " |",
      "|---|" + String(repeating: "---|", count: elements.count),
    ]
    for (p, row) in correlation.enumerated() {
      lines.append(
        "| \(elements[p]) | "
          + row.map { $0.isNaN ? "n/a" : String(format: "%.3f", $0) }.joined(separator: " | ")
          + " |")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// CSV of the correlation matrix, header `element,<El_1>,…`.
  public func correlationCSV() -> String {
    let m = correlation
    var lines = [(["element"] + elements).joined(separator: ",")]
    for (c, el) in elements.enumerated() {
      lines.append(([el] + m[c].map(csvNumber)).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Grouped bar chart: one group per filter, one bar per element.
  public func barChartSVG(title: String, relative: Bool = false) -> String {
    let values = relative ? relativeValues : self.values
    let n3 = values.first?.count ?? 0
    var svg = SVG(width: 840, height: 440)
    let top = max(values.flatMap { $0 }.max() ?? 1, 1e-300) * 1.08
    let area = PlotArea(
      left: 90, top: 40, width: 560, height: 330, x: 0.5...(Double(n3) + 0.5), y: 0...top)
    svg.rect(
      x: area.left, y: area.top, width: area.width, height: area.height, fill: "none",
      stroke: "black")
    for t in niceTicks(0, top) {
      svg.line(area.left - 5, area.py(t), area.left, area.py(t))
      svg.line(
        area.left, area.py(t), area.left + area.width, area.py(t), stroke: "#e6e6e6", width: 0.7)
      svg.text(area.left - 8, area.py(t) + 4, tickLabel(t), size: 11, anchor: "end")
    }
    let groupW = area.width / Double(max(n3, 1))
    let barW = 0.8 * groupW / Double(max(elements.count, 1))
    for a in 0..<n3 {
      let gx = area.px(Double(a + 1)) - 0.4 * groupW
      for c in elements.indices {
        let v = values[c][a]
        svg.rect(
          x: gx + Double(c) * barW, y: area.py(v), width: barW * 0.95,
          height: area.py(0) - area.py(v),
          fill: ColorMap.categorical(c))
      }
      svg.text(
        area.px(Double(a + 1)), area.top + area.height + 18, "\(a + 1)", size: 11, anchor: "middle")
    }
    svg.text(
      area.left + area.width / 2, area.top + area.height + 38, "three-body filter a", size: 13,
      anchor: "middle")
    svg.text(
      area.left - 60, area.top + area.height / 2,
      relative ? "s_E^a / max_a s_E^a" : "s_E^a = Σ |∂E_i/∂G3[a]_i| / |E_DFT|", size: 12,
      anchor: "middle", rotate: -90)
    svg.text(area.left + area.width / 2, 26, title, size: 14, anchor: "middle", bold: true)
    for (c, el) in elements.enumerated() {
      svg.rect(x: 670, y: 50 + Double(c) * 20, width: 14, height: 12, fill: ColorMap.categorical(c))
      svg.text(690, 60 + Double(c) * 20, "\(el) (\(atoms[c]) atoms)", size: 12)
    }
    return svg.render()
  }

  /// Heat map of the correlation matrix with values printed in the cells.
  public func correlationSVG(title: String) -> String {
    let n = elements.count
    let cell = 60.0
    let width = 120 + Double(n) * cell + 110
    let height = 90 + Double(n) * cell + 30
    var svg = SVG(width: width, height: height)
    svg.text(width / 2, 24, title, size: 14, anchor: "middle", bold: true)
    let m = correlation
    for p in 0..<n {
      svg.text(110, 90 + (Double(p) + 0.5) * cell + 4, elements[p], size: 12, anchor: "end")
      svg.text(120 + (Double(p) + 0.5) * cell, 80, elements[p], size: 12, anchor: "middle")
      for q in 0..<n {
        let v = m[p][q]
        svg.rect(
          x: 120 + Double(q) * cell, y: 90 + Double(p) * cell, width: cell, height: cell,
          fill: v.isNaN ? "#cccccc" : ColorMap.diverging(v), stroke: "white")
        svg.text(
          120 + (Double(q) + 0.5) * cell, 90 + (Double(p) + 0.5) * cell + 4,
          v.isNaN ? "n/a" : String(format: "%.2f", v),
          size: 12, anchor: "middle")
      }
    }
    drawColorBar(
      &svg, x: 120 + Double(n) * cell + 30, y: 90, width: 16, height: max(Double(n) * cell, 120),
      lo: -1, hi: 1,
      label: "Pearson r", color: ColorMap.diverging)
    return svg.render()
  }
}

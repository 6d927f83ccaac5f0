import Foundation
import SNNPCore

/// A three-body filter drawn as a polar map (`snnp inspect filters`): atom i at the
/// origin, atom k anywhere on the θ = 0 axis, atom j at (r, θ). The value at (r, θ) is
///
///     M[a](r, θ) = f[a](r) · ∫_{rk_min}^{rk_max} f[a](r_k) dr_k · g[a](cos θ)
///
/// i.e. the filter's contribution with the k-distance integrated out (units: Å, since
/// f and g are dimensionless up to the filter's scale).
public struct FilterMap {
  /// Filter number, 1-based; 0 for the average over filters.
  public var filter: Int
  /// Radii of the cell centres (Å).
  public var radii: [Double]
  /// Angles θ of the cell centres (radians, 0…π).
  public var angles: [Double]
  /// `values[ir][it]` = M(radii[ir], angles[it]) (Å).
  public var values: [[Double]]
  /// ∫ f[a](r_k) dr_k over the r_k range (Å); for the average map, the mean of the filters'.
  public var integral: Double
}

/// Nearest-neighbour shells of simple lattices, for the reference circles.
public enum Lattice: String, CaseIterable, Sendable {
  /// Body-centred cubic.
  case bcc
  /// Face-centred cubic.
  case fcc
  /// Diamond cubic.
  case diamond

  /// First and second neighbour distances (Å) for cubic lattice constant `a` (Å).
  public func neighborDistances(a: Double) -> [Double] {
    switch self {
    case .bcc: return [a * 3.0.squareRoot() / 2, a]
    case .fcc: return [a / 2.0.squareRoot(), a]
    case .diamond: return [a * 3.0.squareRoot() / 4, a / 2.0.squareRoot()]
    }
  }
}

/// Polar maps of the three-body filters.
public enum FilterMaps {
  /// ∫_{lo}^{hi} S(r) dr (Å × S) for spline `s` of a radial bank, with S = 0 at and beyond
  /// the bank's cutoff (as in the model) and linear extrapolation outside the knots.
  /// Exact to round-off: Simpson's rule on each piece between knots, which is exact for cubics.
  public static func integral(_ bank: SplineBank, spline s: Int, from lo: Double, to hi: Double) -> Double {
    let upper = min(hi, bank.cutoff)
    guard upper > lo else { return 0 }
    var cuts = [lo] + bank.knots.filter { $0 > lo && $0 < upper } + [upper]
    cuts.sort()
    var total = 0.0
    for (a, b) in zip(cuts, cuts.dropFirst()) where b > a {
      let fa = bank.evaluateAll(a).values[s]
      let fm = bank.evaluateAll(0.5 * (a + b)).values[s]
      // The value at b from the left of b (b may be a knot: the spline is continuous there).
      let fb = bank.evaluateAll(b).values[s]
      total += (b - a) / 6 * (fa + 4 * fm + fb)
    }
    return total
  }

  /// The maps of every three-body filter of element `element` (its f bank and the
  /// g bank of the pair (element, element)), on `radialCells` × `angularCells` cells
  /// covering r ∈ [rMin, rMax] (Å) and θ ∈ [0, π]; the k-distance is integrated over
  /// [rkMin, rkMax] (Å).
  ///
  /// - Throws: ``InspectError`` if the potential has no three-body filters or no such element.
  public static func maps(
    _ potential: Potential, element: Int = 0, rMin: Double, rMax: Double, rkMin: Double, rkMax: Double,
    radialCells: Int = 60, angularCells: Int = 72, file: String = "potential"
  ) throws -> [FilterMap] {
    guard potential.threeBodyCount > 0 else {
      throw InspectError("\(file): no three-body filters (expected N3 > 0 on the 'filters' line)")
    }
    guard (0..<potential.elementCount).contains(element) else {
      throw InspectError("\(file): element index \(element) outside the potential's \(potential.elementCount) elements")
    }
    guard rMax > rMin, rkMax > rkMin else {
      throw InspectError("filter map: empty range (expected r_min < r_max and rk_min < rk_max)")
    }
    let fBank = potential.f[potential.fBankIndex(element)]
    let gBank = potential.g[potential.gBankIndex(element, element)]
    let radii = (0..<radialCells).map { rMin + (Double($0) + 0.5) * (rMax - rMin) / Double(radialCells) }
    let angles = (0..<angularCells).map { (Double($0) + 0.5) * Double.pi / Double(angularCells) }
    let fr = radii.map { $0 < fBank.cutoff ? fBank.evaluateAll($0).values : [Double](repeating: 0, count: fBank.count) }
    let gt = angles.map { gBank.evaluateAll(cos($0)).values }
    return (0..<potential.threeBodyCount).map { a in
      let I = integral(fBank, spline: a, from: rkMin, to: rkMax)
      let values = radii.indices.map { ir in angles.indices.map { it in fr[ir][a] * I * gt[it][a] } }
      return FilterMap(filter: a + 1, radii: radii, angles: angles, values: values, integral: I)
    }
  }

  /// The cell-wise mean of `maps` (filter number 0).
  public static func average(_ maps: [FilterMap]) -> FilterMap {
    precondition(!maps.isEmpty)
    var avg = maps[0]
    avg.filter = 0
    let n = Double(maps.count)
    for ir in avg.radii.indices {
      for it in avg.angles.indices { avg.values[ir][it] = maps.map { $0.values[ir][it] }.reduce(0, +) / n }
    }
    avg.integral = maps.map(\.integral).reduce(0, +) / n
    return avg
  }

  /// CSV of one map: `r_A,theta_deg,value` rows (θ in degrees, value in Å).
  public static func csv(_ map: FilterMap) -> String {
    var lines = ["r_A,theta_deg,value"]
    for (ir, r) in map.radii.enumerated() {
      for (it, t) in map.angles.enumerated() {
        lines.append("\(csvNumber(r)),\(csvNumber(t * 180 / Double.pi)),\(csvNumber(map.values[ir][it]))")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// One SVG with a half-disc panel per filter plus the average, sharing one diverging
  /// colour scale (symmetric about 0), with dashed reference circles at `shells` (Å).
  public static func svg(_ maps: [FilterMap], average: FilterMap, shells: [Double], title: String) -> String {
    let panels = maps + [average]
    let columns = min(3, panels.count)
    let rows = (panels.count + columns - 1) / columns
    let panelW = 300.0
    let panelH = 190.0
    let width = Double(columns) * panelW + 110
    let height = Double(rows) * panelH + 60
    var svg = SVG(width: width, height: height)
    svg.text(width / 2, 24, title, size: 15, anchor: "middle", bold: true)
    let scale = max(panels.flatMap { $0.values.flatMap { $0 } }.map(abs).max() ?? 1, 1e-300)
    for (p, m) in panels.enumerated() {
      let ox = 20 + Double(p % columns) * panelW
      let oy = 50 + Double(p / columns) * panelH
      let cx = ox + panelW / 2 - 10
      let cy = oy + 140
      let R = 125.0
      let rMax = m.radii.last! + 0.5 * (m.radii.last! - m.radii[max(0, m.radii.count - 2)])
      let dr = m.radii.count > 1 ? m.radii[1] - m.radii[0] : rMax
      let dt = m.angles.count > 1 ? m.angles[1] - m.angles[0] : Double.pi
      func pt(_ r: Double, _ t: Double) -> (Double, Double) { (cx + R * r / rMax * cos(t), cy - R * r / rMax * sin(t)) }
      for (ir, r) in m.radii.enumerated() {
        for (it, t) in m.angles.enumerated() {
          let (r0, r1, t0, t1) = (r - dr / 2, r + dr / 2, t - dt / 2, t + dt / 2)
          svg.polygon([pt(r0, t0), pt(r1, t0), pt(r1, t1), pt(r0, t1)], fill: ColorMap.diverging(m.values[ir][it] / scale), strokeWidth: 0.3)
        }
      }
      for (k, s) in shells.enumerated() where s < rMax {
        var arc: [(Double, Double)] = []
        for q in 0...60 { arc.append(pt(s, Double(q) * Double.pi / 60)) }
        svg.polyline(arc, stroke: "black", width: 1, dash: k == 0 ? "5,3" : "2,3")
      }
      svg.line(cx - R, cy, cx + R, cy, stroke: "#444", width: 0.8)
      svg.circle(cx, cy, r: 4, fill: "black")
      svg.text(cx, cy + 16, "i", size: 11, anchor: "middle")
      svg.text(cx + R + 4, cy + 4, "k →", size: 11)
      for t in niceTicks(0, rMax, count: 3) where t > 0 {
        svg.text(cx + R * t / rMax, cy + 14, tickLabel(t), size: 9, anchor: "middle", color: "#444")
      }
      svg.text(cx, oy + 2, m.filter == 0 ? "average over filters" : "filter \(m.filter)  (∫f dr_k = \(tickLabel(m.integral)) Å)", size: 12, anchor: "middle")
    }
    drawColorBar(
      &svg, x: width - 75, y: 70, width: 18, height: 260, lo: -scale, hi: scale, label: "value (Å)",
      color: { ColorMap.diverging($0 / scale) })
    if !shells.isEmpty {
      svg.text(width - 80, 360, "- - 1st shell", size: 10)
      svg.text(width - 80, 374, "··· 2nd shell", size: 10)
      svg.text(width - 80, 392, "r in Å", size: 10)
    }
    return svg.render()
  }
}

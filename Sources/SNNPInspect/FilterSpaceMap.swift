import Foundation
import SNNPCore
import SNNPData

/// Principal component analysis of row vectors (here: atoms' filter vectors G_i).
public struct PCA {
  /// Mean of the rows (one entry per feature).
  public var mean: [Double]
  /// Principal axes, unit vectors, in order of decreasing variance.
  public var components: [[Double]]
  /// Variance of the rows along each component (eigenvalues of the covariance, population normalisation).
  public var variances: [Double]
  /// Total variance (trace of the covariance).
  public var totalVariance: Double

  /// Fits `count` components to `rows` (all of equal length) by a cyclic Jacobi
  /// eigen-decomposition of the covariance matrix (exact for small feature counts).
  ///
  /// - Precondition: at least one row.
  public static func fit(_ rows: [[Double]], components count: Int = 2) -> PCA {
    precondition(!rows.isEmpty)
    let d = rows[0].count
    let n = Double(rows.count)
    var mean = [Double](repeating: 0, count: d)
    for r in rows { for q in 0..<d { mean[q] += r[q] / n } }
    var c = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    for r in rows {
      for p in 0..<d {
        let dp = r[p] - mean[p]
        for q in p..<d { c[p][q] += dp * (r[q] - mean[q]) / n }
      }
    }
    for p in 0..<d { for q in 0..<p { c[p][q] = c[q][p] } }
    let trace = (0..<d).map { c[$0][$0] }.reduce(0, +)
    let (values, vectors) = jacobiEigen(c)
    let order = values.indices.sorted { values[$0] > values[$1] }.prefix(min(count, d))
    return PCA(
      mean: mean, components: order.map { k in (0..<d).map { vectors[$0][k] } },
      variances: order.map { values[$0] },
      totalVariance: trace)
  }

  /// Coordinates of `row` along the components.
  public func project(_ row: [Double]) -> [Double] {
    components.map { v in zip(v, zip(row, mean)).map { $0 * ($1.0 - $1.1) }.reduce(0, +) }
  }

  /// Eigenvalues and eigenvectors (columns) of the symmetric matrix `a`.
  static func jacobiEigen(_ a0: [[Double]]) -> ([Double], [[Double]]) {
    var a = a0
    let n = a.count
    var v = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
    for _ in 0..<100 {
      var off = 0.0
      for p in 0..<n { for q in (p + 1)..<max(n, p + 1) { off += a[p][q] * a[p][q] } }
      let scale = (0..<n).map { a[$0][$0] * a[$0][$0] }.reduce(0, +)
      if off <= 1e-30 * max(scale, 1e-300) { break }
      for p in 0..<n {
        for q in (p + 1)..<max(n, p + 1) where a[p][q] != 0 {
          let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
          let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
          let cs = 1 / (t * t + 1).squareRoot()
          let sn = t * cs
          for k in 0..<n {
            let akp = a[k][p]
            let akq = a[k][q]
            a[k][p] = cs * akp - sn * akq
            a[k][q] = sn * akp + cs * akq
          }
          for k in 0..<n {
            let apk = a[p][k]
            let aqk = a[q][k]
            a[p][k] = cs * apk - sn * aqk
            a[q][k] = sn * apk + cs * aqk
          }
          for k in 0..<n {
            let vkp = v[k][p]
            let vkq = v[k][q]
            v[k][p] = cs * vkp - sn * vkq
            v[k][q] = sn * vkp + cs * vkq
          }
        }
      }
    }
    return ((0..<n).map { a[$0][$0] }, v)
  }
}

/// The filter-space map (`snnp inspect map`): every atom's G_i projected on the first two
/// principal components, coloured by element or config_type.
public struct FilterSpaceMap {
  /// One projected atom.
  public struct Point {
    /// Frame number (0-based).
    public var frame: Int
    /// Atom index in the frame.
    public var atom: Int
    /// Element symbol.
    public var element: String
    /// config_type of the frame, or "(none)".
    public var group: String
    /// Coordinates on PC1, PC2 (filter units).
    public var pc: [Double]
  }

  /// The fitted PCA.
  public var pca: PCA
  /// All atoms.
  public var points: [Point]

  /// Evaluates the filters of every atom of `frames` and fits the PCA.
  ///
  /// - Throws: ``InspectError`` for an empty data set; ``DataError``/``GeometryError`` for bad frames.
  public static func compute(
    _ potential: Potential, frames: [Frame], file: String
  ) throws -> FilterSpaceMap {
    let evaluator = Evaluator(potential)
    var rows: [[Double]] = []
    var meta: [(Int, Int, String, String)] = []
    for (k, frame) in frames.enumerated() {
      let s = try frame.structure(elements: potential.elements, file: file)
      let r = try frame.locatingErrors(file: file, index: k + 1) { try evaluator.evaluate(s) }
      for i in 0..<s.count {
        rows.append(r.filters[i])
        meta.append((k, i, potential.elements[s.species[i]], frame.configType ?? "(none)"))
      }
    }
    guard !rows.isEmpty else {
      throw InspectError("\(file): no atoms (expected at least one frame with atoms)")
    }
    let pca = PCA.fit(rows, components: 2)
    let points = zip(rows, meta).map { row, m in
      Point(frame: m.0, atom: m.1, element: m.2, group: m.3, pc: pca.project(row))
    }
    return FilterSpaceMap(pca: pca, points: points)
  }

  /// CSV `frame,atom,element,config_type,pc1,pc2`.
  public func csv() -> String {
    var lines = ["frame,atom,element,config_type,pc1,pc2"]
    for p in points {
      lines.append(
        "\(p.frame),\(p.atom),\(p.element),\(p.group),\(csvNumber(p.pc[0])),\(csvNumber(p.pc.count > 1 ? p.pc[1] : 0))"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// CSV of the components: `component,variance,explained,w1,…` (loadings per filter).
  public func componentsCSV() -> String {
    let d = pca.mean.count
    var lines = [
      (["component", "variance", "explained_fraction"] + (1...d).map { "G\($0)" }).joined(
        separator: ",")
    ]
    for (k, v) in pca.components.enumerated() {
      lines.append(
        ([
          "PC\(k + 1)", csvNumber(pca.variances[k]),
          csvNumber(pca.variances[k] / max(pca.totalVariance, 1e-300)),
        ]
          + v.map(csvNumber)).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Scatter plot of PC1 against PC2, coloured by element (`byElement`) or by config_type.
  public func svg(byElement: Bool, title: String) -> String {
    var svg = SVG(width: 820, height: 500)
    let xs = points.map { $0.pc[0] }
    let ys = points.map { $0.pc.count > 1 ? $0.pc[1] : 0 }
    func range(_ v: [Double]) -> ClosedRange<Double> {
      let lo = v.min() ?? 0
      let hi = v.max() ?? 1
      let pad = 0.05 * max(hi - lo, 1e-9)
      return (lo - pad)...(hi + pad)
    }
    let area = PlotArea(left: 90, top: 40, width: 500, height: 390, x: range(xs), y: range(ys))
    func pct(_ k: Int) -> String {
      k < pca.variances.count
        ? String(format: "%.1f%%", 100 * pca.variances[k] / max(pca.totalVariance, 1e-300)) : ""
    }
    area.drawAxes(
      &svg, xLabel: "PC1 (\(pct(0)) of variance)", yLabel: "PC2 (\(pct(1)) of variance)",
      title: title)
    let labels = points.map { byElement ? $0.element : $0.group }
    var order: [String] = []
    for l in labels where !order.contains(l) { order.append(l) }
    for (k, p) in points.enumerated() {
      svg.circle(
        area.px(xs[k]), area.py(ys[k]), r: 3,
        fill: ColorMap.categorical(order.firstIndex(of: labels[k])!), opacity: 0.65)
      _ = p
    }
    for (k, l) in order.enumerated() {
      svg.circle(615, 56 + Double(k) * 18, r: 5, fill: ColorMap.categorical(k))
      let count = labels.filter { $0 == l }.count
      svg.text(626, 60 + Double(k) * 18, "\(l) (\(count))", size: 12)
    }
    return svg.render()
  }
}

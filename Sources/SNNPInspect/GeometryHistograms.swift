import Foundation
import SNNPCore
import SNNPData

/// What the filters of a data set see (`snnp inspect geometry`, the paper's Fig. B1):
/// histograms of the pair distances r_ij and of the angles cos θ_jik at i, over every
/// atom i of every frame, with periodic images.
///
/// Pairs are ordered (i, j), j ≠ i, r_ij < cutoff: each centre counts each of its
/// neighbours (as the two-body filters G2_i sum over j). Triplets are (i; j < k) with both
/// neighbours of i inside the cutoff (as the three-body filters G3_i sum over j < k).
public struct GeometryHistogram {
  /// Data set label (the file name).
  public var label: String
  /// Frames and atoms read.
  public var frames: Int
  /// Atoms read (centres).
  public var atoms: Int
  /// Cutoff (Å).
  public var cutoff: Double
  /// Bin edges of r (Å), `rCounts.count + 1` values from 0 to the cutoff.
  public var rEdges: [Double]
  /// Pairs per r bin.
  public var rCounts: [Int]
  /// Bin edges of cos θ, `cosCounts.count + 1` values from −1 to 1.
  public var cosEdges: [Double]
  /// Triplets per cos θ bin (cos θ = 1 goes in the last bin).
  public var cosCounts: [Int]

  /// Ordered pairs counted.
  public var pairs: Int { rCounts.reduce(0, +) }
  /// Triplets counted.
  public var triplets: Int { cosCounts.reduce(0, +) }

  /// Counts pairs and triplets of `frames` (from extended-XYZ `label`) within `cutoff` (Å)
  /// in `rBins` and `cosBins` equal bins.
  ///
  /// - Throws: ``InspectError`` for a bad cutoff or bin count, ``GeometryError`` (with the
  ///   frame's line) for bad cells or coordinates.
  public static func compute(
    frames: [Frame], label: String, cutoff: Double, rBins: Int = 100, cosBins: Int = 100
  ) throws -> GeometryHistogram {
    guard cutoff.isFinite, cutoff > 0 else {
      throw InspectError("cutoff \(cutoff) Å: expected a positive number")
    }
    guard rBins > 0, cosBins > 0 else {
      throw InspectError("bins: expected at least 1 (got \(rBins) r bins, \(cosBins) cos θ bins)")
    }
    var h = GeometryHistogram(
      label: label, frames: frames.count, atoms: 0, cutoff: cutoff,
      rEdges: (0...rBins).map { cutoff * Double($0) / Double(rBins) },
      rCounts: [Int](repeating: 0, count: rBins),
      cosEdges: (0...cosBins).map { -1 + 2 * Double($0) / Double(cosBins) },
      cosCounts: [Int](repeating: 0, count: cosBins))
    for (k, frame) in frames.enumerated() {
      // Species only matter for the image builder; every symbol of the frame gets an index.
      let symbols = Array(Set(frame.symbols)).sorted()
      let s = try frame.structure(elements: symbols, file: label)
      let images = try frame.locatingErrors(file: label, index: k + 1) {
        try AtomsWithImages(s, cutoff: cutoff)
      }
      let list = images.positions.withUnsafeBufferPointer { x in
        images.species.withUnsafeBufferPointer { sp in
          NeighborList.build(
            positions: x.baseAddress!, species: sp.baseAddress!, localCount: images.localCount,
            totalCount: images.totalCount, cutoff: cutoff)
        }
      }
      let x = images.positions
      h.atoms += s.count
      var vectors: [SIMD3<Double>] = []
      var lengths: [Double] = []
      for i in 0..<s.count {
        vectors.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        let xi = SIMD3(x[3 * i], x[3 * i + 1], x[3 * i + 2])
        for n in list.offsets[i]..<list.offsets[i + 1] {
          let j = Int(list.indices[n])
          let d = SIMD3(x[3 * j], x[3 * j + 1], x[3 * j + 2]) - xi
          let r = dot(d, d).squareRoot()
          guard r < cutoff, r > 0 else { continue }
          vectors.append(d)
          lengths.append(r)
          h.rCounts[min(rBins - 1, Int(r / cutoff * Double(rBins)))] += 1
        }
        for a in vectors.indices {
          for b in (a + 1)..<vectors.count {
            let c = max(-1, min(1, dot(vectors[a], vectors[b]) / (lengths[a] * lengths[b])))
            h.cosCounts[min(cosBins - 1, Int((c + 1) / 2 * Double(cosBins)))] += 1
          }
        }
      }
    }
    return h
  }

  /// Probability density of the r histogram (1/Å; integrates to 1 over the bins).
  public var rDensity: [Double] { GeometryHistogram.density(rCounts, edges: rEdges) }
  /// Probability density of the cos θ histogram (integrates to 1 over [−1, 1]).
  public var cosDensity: [Double] { GeometryHistogram.density(cosCounts, edges: cosEdges) }

  static func density(_ counts: [Int], edges: [Double]) -> [Double] {
    let total = Double(max(counts.reduce(0, +), 1))
    return counts.indices.map { Double(counts[$0]) / total / (edges[$0 + 1] - edges[$0]) }
  }

  /// CSV of several histograms on the same bins: `lo,hi,<label>_count…` for r (`r`) or cos θ (`cos`).
  ///
  /// - Precondition: the histograms share bins.
  public static func csv(_ hs: [GeometryHistogram], quantity: String) -> String {
    let isR = quantity == "r"
    let edges = isR ? hs[0].rEdges : hs[0].cosEdges
    var lines = [
      (isR ? ["r_lo_A", "r_hi_A"] : ["cos_lo", "cos_hi"]) + hs.map { "\($0.label)_count" }
    ].map {
      $0.joined(separator: ",")
    }
    for b in 0..<(edges.count - 1) {
      lines.append(
        ([csvNumber(edges[b]), csvNumber(edges[b + 1])]
          + hs.map { String(isR ? $0.rCounts[b] : $0.cosCounts[b]) })
          .joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Two panels (r_ij and cos θ_jik), one step curve of the probability density per data set.
  public static func svg(_ hs: [GeometryHistogram], title: String) -> String {
    var svg = SVG(width: 1000, height: 460 + 16 * Double(hs.count))
    svg.text(500, 24, title, size: 15, anchor: "middle", bold: true)
    func panel(
      _ left: Double, _ edges: [Double], _ densities: [[Double]], _ xLabel: String, _ yLabel: String
    ) {
      let top = max(densities.flatMap { $0 }.max() ?? 1, 1e-12) * 1.05
      let area = PlotArea(
        left: left, top: 50, width: 370, height: 340, x: edges.first!...edges.last!, y: 0...top)
      area.drawAxes(&svg, xLabel: xLabel, yLabel: yLabel)
      for (k, d) in densities.enumerated() {
        var pts: [(Double, Double)] = [(area.px(edges[0]), area.py(0))]
        for b in d.indices {
          pts.append((area.px(edges[b]), area.py(d[b])))
          pts.append((area.px(edges[b + 1]), area.py(d[b])))
        }
        pts.append((area.px(edges.last!), area.py(0)))
        svg.polyline(pts, stroke: ColorMap.categorical(k), width: 1.4)
      }
    }
    panel(90, hs[0].rEdges, hs.map(\.rDensity), "r_ij (Å)", "probability density (1/Å)")
    panel(570, hs[0].cosEdges, hs.map(\.cosDensity), "cos θ_jik", "probability density")
    for (k, h) in hs.enumerated() {
      let y = 460 + Double(k) * 16
      svg.line(90, y - 4, 110, y - 4, stroke: ColorMap.categorical(k), width: 2)
      svg.text(
        116, y,
        "\(h.label): \(h.frames) frames, \(h.atoms) atoms, \(h.pairs) pairs, \(h.triplets) triplets",
        size: 11)
    }
    return svg.render()
  }
}

import Foundation
import SNNPCore
import SNNPFit
import Testing

/// `filter_start spread`: the product form's radial splines start as bumps at distinct
/// radii and its angular splines as Legendre orders 0-3, instead of one shape at random
/// amplitudes (`smooth`, whose radial splines are exactly proportional).
@Suite struct FilterStartTests {
  /// The Mo recipe's filter settings.
  func config(_ start: FilterStart) -> FitConfiguration {
    var c = FitConfiguration()
    c.threeBody = 8
    c.twoBody = 1
    c.radialKnots = 10
    c.angularKnots = 8
    c.radialMin = 1.5
    c.cutoff = 5.2
    c.filterStart = start
    return c
  }

  /// Samples of spline `s` on `grid`.
  func samples(_ s: CubicSpline, _ grid: [Double]) -> [Double] { grid.map { s.evaluate($0).value } }

  /// The largest |Pearson correlation| between two different splines of `bank` on `grid`.
  func largestCorrelation(_ bank: SplineBank, _ grid: [Double]) -> Double {
    let rows = bank.splines.map { samples($0, grid) }
    func corr(_ a: [Double], _ b: [Double]) -> Double {
      let n = Double(a.count)
      let ma = a.reduce(0, +) / n
      let mb = b.reduce(0, +) / n
      var sab = 0.0, saa = 0.0, sbb = 0.0
      for (x, y) in zip(a, b) {
        sab += (x - ma) * (y - mb)
        saa += (x - ma) * (x - ma)
        sbb += (y - mb) * (y - mb)
      }
      return sab / (saa * sbb).squareRoot()
    }
    var worst = 0.0
    for i in rows.indices {
      for j in rows.indices where j > i { worst = max(worst, abs(corr(rows[i], rows[j]))) }
    }
    return worst
  }

  @Test func spreadStart_GivesDistinctRadialAndAngularShapes() throws {
    let radial = stride(from: 1.5, to: 5.2, by: 0.01).map { $0 }
    let angular = stride(from: -1.0, through: 1.0, by: 0.01).map { $0 }
    let smooth = try InitialModel.make(config(.smooth), elements: ["Mo"], bias: [-4])
    let spread = try InitialModel.make(config(.spread), elements: ["Mo"], bias: [-4])
    // The paper's start: one radial shape, so every pair of f splines correlates exactly.
    #expect(largestCorrelation(smooth.f[0], radial) > 1 - 1e-9)
    #expect(largestCorrelation(spread.f[0], radial) < 0.9)
    // The bumps peak at increasing radii inside the cutoff.
    let peaks = spread.f[0].splines.map { s -> Double in
      let v = samples(s, radial)
      return radial[v.indices.max { v[$0] < v[$1] }!]
    }
    #expect(zip(peaks, peaks.dropFirst()).allSatisfy { $0 < $1 })
    #expect(peaks.first! > 1.6 && peaks.last! < 5.0)
    // Angular spline c follows 0.3 P_(c mod 4)(cos θ) up to the start's small noise
    // (|noise| <= 0.05 each of 1, x, x², so at most 0.15) and the spline's interpolation.
    func legendre(_ order: Int, _ x: Double) -> Double {
      [1, x, (3 * x * x - 1) / 2, (5 * x * x * x - 3 * x) / 2][order]
    }
    for (c, s) in spread.g[0].splines.enumerated() {
      let worst = angular.map { abs(s.evaluate($0).value - 0.3 * legendre(c % 4, $0)) }.max()!
      #expect(worst < 0.17, "angular spline \(c)")
    }
    // Only the three-body start changes: ρ is drawn as before and the network has the same shape.
    #expect(spread.rho[0].count == smooth.rho[0].count)
    #expect(spread.threeBodyCount == 8 && spread.threeBodyBasis == nil)
  }

  @Test func filterStart_IsASettingWithClearErrors() throws {
    #expect(FilterStart.allCases.map(\.rawValue) == ["smooth", "spread", "cardinal"])
    #expect(FitConfiguration().filterStart == .smooth)
    let path = NSTemporaryDirectory() + "snnp-start-\(UInt32.random(in: 0...UInt32.max)).json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try #"{"filter_start": "spread"}"#.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try FitConfiguration.read(path: path).filterStart == .spread)
    try #"{"filter_start": "spred"}"#.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(
      throws: FitError(
        "\(path): filter_start 'spred' is not one of smooth, spread, cardinal (did you mean 'spread'?)")
    ) {
      try FitConfiguration.read(path: path)
    }
  }
}

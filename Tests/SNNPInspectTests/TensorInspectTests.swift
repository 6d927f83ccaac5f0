import Foundation
import SNNPCore
import SNNPInspect
import Testing
import _SNNPTestSupport

/// Filter maps of the tensor-product three-body form.
@Suite struct TensorInspectTests {
  /// Filter (a, b, c) maps to ½ [f_a(r) ∫f_b + f_b(r) ∫f_a] g_c(θ); on the diagonal that is
  /// the product form's f_a(r) ∫f_a g_c(θ).
  @Test func filterMaps_FollowTheBasis() throws {
    let basis = ThreeBodyBasis(radial: 3, angular: 2)
    let p = TestPotentials.make(.intAll, elements: ["Mo"], seed: 5, threeBodyBasis: basis)
    let maps = try FilterMaps.maps(
      p, rMin: 1.6, rMax: 4.1, rkMin: 1.7, rkMax: 7.0, radialCells: 5, angularCells: 4)
    #expect(maps.count == 12)
    let f = p.f[0]
    let g = p.g[0]
    let integrals = (0..<3).map { FilterMaps.integral(f, spline: $0, from: 1.7, to: 7.0) }
    var worst = 0.0
    for m in 0..<12 {
      let (a, b, c) = basis.components(m)
      for (ir, r) in maps[m].radii.enumerated() {
        let fr = f.evaluateAll(r).values
        for (it, theta) in maps[m].angles.enumerated() {
          let expected =
            0.5 * (fr[a] * integrals[b] + fr[b] * integrals[a])
            * g.evaluateAll(cos(theta)).values[c]
          worst = max(worst, abs(maps[m].values[ir][it] - expected))
        }
      }
    }
    #expect(worst < 1e-12)
    #expect(maps.contains { $0.values.joined().contains { abs($0) > 1e-3 } })
  }
}

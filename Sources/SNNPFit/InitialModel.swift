import Foundation
import SNNPCore

/// The starting potential of a fit: smooth decaying radial splines pinned to 0 at
/// their cutoff, small random angular splines (or, with `filter_start spread` and the
/// tensor form, radial bumps at distinct radii and Legendre angular orders; with
/// `filter_start cardinal`, the cardinal basis of every knot grid), a zero pair
/// term, Xavier-scaled networks and least-squares per-element reference energies as biases.
public enum InitialModel {
  /// Builds the initial potential for `config` and `elements` with reference energies `bias`.
  /// - Throws: ``FitError`` when `core_repulsion` is set and an element symbol is unknown.
  public static func make(
    _ config: FitConfiguration, elements: [String], bias: [Double]
  ) throws -> Potential {
    var rng = SeededGenerator(seed: config.seed)
    let n = elements.count
    let pairs = n * (n + 1) / 2
    let shared = config.usesSharedFilters
    // Shared filters: one f, g and ρ bank for every element.
    let radialBanks = shared ? 1 : n
    let angularBanks = shared ? 1 : pairs
    let rc = config.cutoff
    func radialBank(
      _ count: Int, scale: Double, upper: Double, knots k: Int, random: Bool
    ) -> SplineBank {
      let x = uniformKnots(from: config.radialMin, to: upper, count: k)
      let splines = (0..<count).map { _ -> CubicSpline in
        let amplitude = random ? scale * rng.uniform(0.5, 1.5) : 0
        var y = x.map { xi -> Double in
          let t = max(0, (upper - xi) / (upper - config.radialMin))
          return amplitude * t * t
        }
        y[k - 1] = 0
        let slope = -2 * amplitude / (upper - config.radialMin)
        return CubicSpline(knots: x, values: y, startSlope: slope, endSlope: 0)
      }
      return SplineBank(splines: splines, cutoff: upper)
    }
    func angularBank(_ count: Int) -> SplineBank {
      let x = uniformKnots(from: -1, to: 1, count: config.angularKnots)
      let splines = (0..<count).map { _ -> CubicSpline in
        let a = rng.uniform(-0.3, 0.3)
        let b = rng.uniform(-0.3, 0.3)
        let c = rng.uniform(-0.3, 0.3)
        // A random quadratic in cos θ: smooth, with the same shape on every knot grid.
        let y = x.map { a + b * $0 + c * $0 * $0 }
        return CubicSpline(knots: x, values: y, startSlope: b - 2 * c, endSlope: b + 2 * c)
      }
      return SplineBank(splines: splines, cutoff: .infinity)
    }
    /// The tensor form's radial basis (and the product form's `spread` start): A bumps
    /// spread over [radial_min, cutoff), each damped by t² so it vanishes with zero slope
    /// at the cutoff. Distinct shapes matter here: every filter (a, b, c) is built from
    /// the same few f, so a basis of one shape at different amplitudes (the product
    /// form's smooth start) would make the filters nearly collinear.
    func radialBasis(_ count: Int, upper: Double, knots k: Int, scale: Double = 1) -> SplineBank {
      let x = uniformKnots(from: config.radialMin, to: upper, count: k)
      let lower = config.radialMin
      let width = (upper - lower) / Double(count + 1)
      let splines = (0..<count).map { a -> CubicSpline in
        let amplitude = 0.5 * scale * rng.uniform(0.5, 1.5)
        let centre = lower + width * Double(a + 1) * 0.9
        func value(_ r: Double) -> Double {
          let t = max(0, (upper - r) / (upper - lower))
          let z = (r - centre) / (1.5 * width)
          return amplitude * t * t * exp(-z * z)
        }
        var y = x.map(value)
        y[k - 1] = 0
        let h = 1e-6
        return CubicSpline(
          knots: x, values: y, startSlope: (value(lower + h) - value(lower - h)) / (2 * h),
          endSlope: 0)
      }
      return SplineBank(splines: splines, cutoff: upper)
    }
    /// The tensor form's angular basis (and the `spread` start's): Legendre polynomials
    /// P_c(cos θ), scaled, plus noise; spline c takes order `order(c)`.
    func angularBasis(_ count: Int, order: (Int) -> Int = { $0 }) -> SplineBank {
      let x = uniformKnots(from: -1, to: 1, count: config.angularKnots)
      let splines = (0..<count).map { index -> CubicSpline in
        let c = order(index)
        let noise = (0..<3).map { _ in rng.uniform(-0.05, 0.05) }
        func legendre(_ v: Double) -> (Double, Double) {
          var p0 = 1.0, p1 = v, d0 = 0.0, d1 = 1.0
          if c == 0 { return (1, 0) }
          for n in 1..<c {
            let m = Double(n)
            let p2 = ((2 * m + 1) * v * p1 - m * p0) / (m + 1)
            let d2 = ((2 * m + 1) * (p1 + v * d1) - m * d0) / (m + 1)
            (p0, p1, d0, d1) = (p1, p2, d1, d2)
          }
          return (p1, d1)
        }
        func value(_ v: Double) -> (Double, Double) {
          let (p, d) = legendre(v)
          return (
            0.3 * p + noise[0] + noise[1] * v + noise[2] * v * v,
            0.3 * d + noise[1] + 2 * noise[2] * v
          )
        }
        return CubicSpline(
          knots: x, values: x.map { value($0).0 }, startSlope: value(-1).1, endSlope: value(1).1)
      }
      return SplineBank(splines: splines, cutoff: .infinity)
    }
    /// The cardinal basis of a knot grid (`filter_start cardinal`): spline p has parameter
    /// p set to 1, the others 0. Radial splines (`pinned`) keep value and slope 0 at their
    /// cutoff, so their parameters are the start slope and the first K − 1 knot values;
    /// angular ones have both slopes and all K values.
    func cardinalBank(knots x: [Double], cutoff: Double, pinned: Bool) -> SplineBank {
      let k = x.count
      let count = pinned ? k : k + 2
      let splines = (0..<count).map { p -> CubicSpline in
        var y = [Double](repeating: 0, count: k)
        var start = 0.0
        var end = 0.0
        switch (pinned, p) {
        case (_, 0): start = 1
        case (false, 1): end = 1
        default: y[p - (pinned ? 1 : 2)] = 1
        }
        return CubicSpline(knots: x, values: y, startSlope: start, endSlope: end)
      }
      return SplineBank(splines: splines, cutoff: cutoff)
    }
    let cardinal = config.filterStart == .cardinal
    let n3 = config.threeBody
    let n2 = config.twoBody
    let rc3 = config.effectiveThreeBodyCutoff
    // The tensor form's banks hold a basis of A radial and C angular splines.
    let basis = n3 > 0 ? config.basis : nil
    let spread = basis == nil && config.filterStart == .spread
    let f: [SplineBank] =
      n3 == 0
      ? []
      : (0..<radialBanks).map { _ in
        if cardinal {
          return cardinalBank(
            knots: uniformKnots(from: config.radialMin, to: rc3, count: config.radialKnots),
            cutoff: rc3, pinned: true)
        }
        if let basis { return radialBasis(basis.radial, upper: rc3, knots: config.radialKnots) }
        if spread { return radialBasis(n3, upper: rc3, knots: config.radialKnots) }
        return radialBank(n3, scale: 0.5, upper: rc3, knots: config.radialKnots, random: true)
      }
    // A spread product-form start pairs the radial bumps with angular orders 0, 1, 2, 3, 0, ...
    let g: [SplineBank] =
      n3 == 0
      ? []
      : (0..<angularBanks).map { _ in
        if cardinal {
          return cardinalBank(
            knots: uniformKnots(from: -1, to: 1, count: config.angularKnots), cutoff: .infinity,
            pinned: false)
        }
        if let basis { return angularBasis(basis.angular) }
        return spread ? angularBasis(n3, order: { $0 % 4 }) : angularBank(n3)
      }
    let rho =
      n2 > 0
      ? (0..<radialBanks).map { _ in
        cardinal
          ? cardinalBank(
            knots: uniformKnots(from: config.radialMin, to: rc, count: config.radialKnots),
            cutoff: rc, pinned: true)
          : radialBank(n2, scale: 0.2, upper: rc, knots: config.radialKnots, random: true)
      } : []
    let variant = config.variant
    let pair: [SplineBank]? =
      config.hasPairTerm
      ? (0..<pairs).map { _ in
        radialBank(1, scale: 0, upper: config.pairCutoff, knots: config.pairKnots, random: false)
      }
      : nil
    func network(biases: Bool) -> MLP {
      let sizes = [n3 + n2 + 2 * config.fourBody] + config.hidden + [1]
      return MLP(
        layers: (0..<(sizes.count - 1)).map { l in
          let nIn = sizes[l]
          let nOut = sizes[l + 1]
          let limit = (6.0 / Double(nIn + nOut)).squareRoot()
          return DenseLayer(
            inputs: nIn, outputs: nOut,
            weights: (0..<(nIn * nOut)).map { _ in rng.uniform(-limit, limit) },
            biases: biases ? [Double](repeating: 0, count: nOut) : nil,
            activation: l == sizes.count - 2 ? .linear : .celu)
        })
    }
    // A committee's heads differ by their random initialisation only.
    let regressors: [Regressor] = (0..<n).map { _ in
      switch variant {
      case .linear: return .none
      case .intAll: return .networks((0..<config.committee).map { _ in network(biases: false) })
      case .intSkip, .network:
        return .networks((0..<config.committee).map { _ in network(biases: true) })
      }
    }
    // Four-body moments start as small bumps: the invariants are cubic in h, and the skip
    // connection adds them to the energy directly.
    let h: [SplineBank] =
      config.fourBody == 0
      ? []
      : (0..<radialBanks).map { _ in
        radialBasis(config.fourBody, upper: rc3, knots: config.radialKnots, scale: 0.2)
      }
    var core: CoreRepulsion?
    if let radii = config.coreRepulsion {
      let z = try elements.map { el -> Double in
        guard let z = PeriodicTable.atomicNumber(el) else {
          throw FitError(
            "core_repulsion needs each element's atomic number, but '\(el)' is not an element symbol"
          )
        }
        return Double(z)
      }
      core = CoreRepulsion(atomicNumbers: z, inner: radii[0], outer: radii[1])
    }
    return Potential(
      elements: elements, threeBodyCount: n3, twoBodyCount: n2, f: f, g: g, rho: rho, pair: pair,
      regressors: regressors, skipConnection: variant != .network,
      softplusOutput: variant == .intAll, bias: bias,
      core: core, sharedFilters: shared, threeBodyBasis: basis, fourBodySplines: config.fourBody,
      h: h)
  }
}

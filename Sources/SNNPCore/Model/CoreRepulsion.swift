#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A fixed short-range repulsion between atomic cores: the Ziegler-Biersack-Littmark
/// universal screened Coulomb potential, switched off smoothly between `inner` and
/// `outer` exactly as LAMMPS `pair_style zbl inner outer` does.
///
/// Why: the training data never hold two atoms much closer than ~1.9 Å, so below
/// that the fitted splines extrapolate and nothing stops atoms from passing
/// through each other in a hot liquid. The core has no trainable parameters; the
/// fitter includes it in every prediction, so the filters and networks learn the
/// remainder of the DFT energy and nothing is counted twice.
///
/// Per pair: E(r) = E_zbl(r) + S(r) for r < outer, 0 beyond, where S makes E, E'
/// and E'' vanish at `outer` (a polynomial in r − inner above `inner`, a constant
/// below). It enters the atomic energy as ½ Σ_j E(r_ij), like the pair term φ.
public struct CoreRepulsion: Equatable, Sendable {
  /// Nuclear charge Z per element, in the potential's element order.
  public var atomicNumbers: [Double]
  /// Distance (Å) below which the switching polynomial is constant.
  public var inner: Double
  /// Distance (Å) at and beyond which the repulsion is zero.
  public var outer: Double

  /// Creates a ZBL core with nuclear charges `atomicNumbers` (element order) switched off between `inner` and `outer` (Å).
  public init(atomicNumbers: [Double], inner: Double, outer: Double) {
    self.atomicNumbers = atomicNumbers
    self.inner = inner
    self.outer = outer
  }

  /// Describes what is wrong with the core for a potential of `elementCount` elements, or nil.
  public func validationProblem(elementCount: Int) -> String? {
    if atomicNumbers.count != elementCount {
      return "the core needs \(elementCount) atomic numbers, found \(atomicNumbers.count)"
    }
    for z in atomicNumbers where !(z >= 1 && z.isFinite) {
      return "atomic numbers must be >= 1, found \(z)"
    }
    if !(inner > 0 && inner < outer && outer.isFinite) {
      return "the core needs 0 < inner < outer, found inner \(inner), outer \(outer)"
    }
    return nil
  }

  /// The switched ZBL term for the element pair (`a`, `b`).
  public func pair(_ a: Int, _ b: Int) -> ZBLPair {
    ZBLPair(z1: atomicNumbers[a], z2: atomicNumbers[b], inner: inner, outer: outer)
  }
}

/// The ZBL repulsion of one element pair with its switching coefficients, as in
/// LAMMPS's `PairZBL::init_one` (constants from `pair_zbl_const.h`, metal units).
public struct ZBLPair: Sendable {
  static let c = (0.02817, 0.28022, 0.50986, 0.18175)
  static let d = (0.20162, 0.40290, 0.94229, 3.19980)
  /// e²/(4πε₀) in eV·Å (LAMMPS `qqr2e` for metal units).
  static let coulomb = 14.399645
  let zze: Double
  let d1a: Double, d2a: Double, d3a: Double, d4a: Double
  let inner: Double
  /// Squared `outer` (Å²): pairs at or beyond it are skipped.
  public let outerSquared: Double
  let sw1: Double, sw2: Double, sw3: Double, sw4: Double, sw5: Double

  /// Compiles the pair of nuclear charges `z1`, `z2` switched off between `inner` and `outer` (Å).
  public init(z1: Double, z2: Double, inner: Double, outer: Double) {
    let ainv = (pow(z1, 0.23) + pow(z2, 0.23)) / 0.46850
    d1a = ZBLPair.d.0 * ainv
    d2a = ZBLPair.d.1 * ainv
    d3a = ZBLPair.d.2 * ainv
    d4a = ZBLPair.d.3 * ainv
    zze = z1 * z2 * ZBLPair.coulomb
    self.inner = inner
    outerSquared = outer * outer
    // S = A/3 t³ + B/4 t⁴ + C (t = r − inner) with E_zbl + S, its slope and
    // curvature all zero at t = tc = outer − inner.
    let tc = outer - inner
    let e = ZBLPair.bare(outer, zze: zze, d1a, d2a, d3a, d4a)
    sw1 = (-3 * e.first + tc * e.second) / (tc * tc)
    sw2 = (2 * e.first - tc * e.second) / (tc * tc * tc)
    sw3 = sw1 / 3
    sw4 = sw2 / 4
    sw5 = -e.value + tc / 2 * e.first - tc * tc / 12 * e.second
  }

  /// Unswitched ZBL energy (eV) and its first two derivatives in r (Å).
  static func bare(
    _ r: Double, zze: Double, _ d1a: Double, _ d2a: Double, _ d3a: Double, _ d4a: Double
  ) -> (value: Double, first: Double, second: Double) {
    let e1 = exp(-d1a * r), e2 = exp(-d2a * r), e3 = exp(-d3a * r), e4 = exp(-d4a * r)
    let s = c.0 * e1 + c.1 * e2 + c.2 * e3 + c.3 * e4
    let sp = -(c.0 * d1a * e1 + c.1 * d2a * e2 + c.2 * d3a * e3 + c.3 * d4a * e4)
    let spp =
      c.0 * d1a * d1a * e1 + c.1 * d2a * d2a * e2 + c.2 * d3a * d3a * e3 + c.3 * d4a * d4a * e4
    let rinv = 1 / r
    let value = zze * s * rinv
    let first = zze * (sp - s * rinv) * rinv
    let second = zze * (spp - 2 * sp * rinv + 2 * s * rinv * rinv) * rinv
    return (value, first, second)
  }

  /// Switched energy E(r) (eV) and dE/dr (eV/Å) for r < outer (callers check `outerSquared`).
  @inline(__always)
  public func evaluate(_ r: Double) -> (energy: Double, derivative: Double) {
    let e = ZBLPair.bare(r, zze: zze, d1a, d2a, d3a, d4a)
    var energy = e.value + sw5
    var derivative = e.first
    if r > inner {
      let t = r - inner
      energy += t * t * t * (sw3 + sw4 * t)
      derivative += t * t * (sw1 + sw2 * t)
    }
    return (energy, derivative)
  }
}

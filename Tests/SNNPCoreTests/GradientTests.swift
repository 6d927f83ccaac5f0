import SNNPCore
import SNNPTraining
import Testing
import _SNNPTestSupport

/// The analytic gradient of the energy, force and stress loss equals central finite
/// differences for every trainable parameter, every fittable variant, with one
/// and two elements.
@Suite struct GradientTests {
  /// (variant, elements, three-body cutoff shorter than the two-body one)
  static let cases: [(Variant, Int, Bool)] =
    [Variant.linear, .network, .intSkip, .intAll].flatMap { v in [(v, 1, false), (v, 2, false)] }
    + [(.intAll, 2, true), (.network, 1, true)]

  @Test(arguments: cases)
  func lossGradient_MatchesFiniteDifferences(
    variant: Variant, elements: Int, shortThreeBody: Bool
  ) throws {
    let names = Array(["Mo", "Nb"].prefix(elements))
    let p = TestPotentials.make(
      variant, elements: names, threeBody: 2, twoBody: 1, hidden: [4, 3], seed: 31,
      threeBodyCutoff: shortThreeBody ? 3.4 : nil)
    try GradientCheck.run(p, elements: elements, label: "\(variant) \(elements) el.")
  }
}

/// The loss gradient of shared-filter potentials equals central finite differences
/// (every spline parameter of the one f, g, ρ bank collects all elements' terms).
@Suite struct SharedFilterGradientTests {
  @Test(arguments: [(Variant.intAll, 1), (.intAll, 3), (.network, 2), (.intSkip, 3)])
  func lossGradient_MatchesFiniteDifferences(variant: Variant, elements: Int) throws {
    let names = Array(["Mo", "Nb", "Ta"].prefix(elements))
    let p = TestPotentials.make(
      variant, elements: names, threeBody: 2, twoBody: 1, hidden: [4, 3], seed: 37,
      sharedFilters: true)
    try GradientCheck.run(p, elements: elements)
  }
}

/// Forces equal −dE/dx by central differences (relative error below 1e-6) and sum to zero.
enum ForceCheck {
  static func run(_ p: Potential, _ s: Structure, label: String) throws {
    let e = Evaluator(p)
    let analytic = try e.evaluate(s).forces
    let numeric = try FiniteDifference.forces(e, s)
    let err = relativeError(analytic, numeric)
    #expect(err < 1e-6, "\(label): relative force error \(err)")
    #expect(maxAbs(analytic.reduce(SIMD3<Double>.zero, +)) < 1e-10, "\(label): forces sum to zero")
  }
}

/// The virial equals −dE/dε by central differences (so the stress is right), to 1e-6 of
/// its largest component.
enum VirialCheck {
  static func run(_ p: Potential, _ s: Structure, label: String = "") throws {
    let e = Evaluator(p)
    let w = try e.evaluate(s).virial
    let fd = try FiniteDifference.virial(e, s)
    let scale = w.map(abs).max()!
    for c in 0..<6 {
      #expect(abs(w[c] - fd[c]) < 1e-6 * scale, "\(label) component \(c): \(w[c]) vs \(fd[c])")
    }
  }
}

/// Finite-difference check of the training-loss gradient of `p` on two rattled cells.
enum GradientCheck {
  static func run(_ p: Potential, elements: Int, label: String = "") throws {
    let layout = ParameterLayout(template: p)
    let theta = layout.parameters(of: p)
    #expect(layout.potential(from: theta) == p, "θ round trip")
    var rng = SeededGenerator(seed: 5)
    let structures = try (0..<2).map { k -> PreparedStructure in
      let s = TestStructures.bcc(
        a: 3.25, repeats: 1 + k, elementCount: elements, rattle: 0.2, shear: 0.04,
        seed: UInt64(40 + k))
      let reference = try Evaluator(p).evaluate(s)
      let forces = reference.forces.map {
        $0 + SIMD3(rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5))
      }
      let stress = (0..<9).map { _ in rng.uniform(-0.05, 0.05) }
      return try PreparedStructure(
        s, energy: reference.energy + rng.uniform(-1, 1) * Double(s.count), forces: forces,
        stress: stress,
        cutoff: p.cutoff, elementCount: elements)
    }
    func loss(_ t: [Double]) -> Double {
      let w = GradientWorker(layout: layout, parameters: t)
      var total = 0.0
      var scratch = [Double](repeating: 0, count: layout.count)
      for s in structures {
        let r = scratch.withUnsafeMutableBufferPointer {
          w.accumulate(
            s, energyCoefficient: 10, forceCoefficient: 0.3, stressCoefficient: 50,
            gradient: $0.baseAddress!)
        }
        total += r.energyLoss + r.forceLoss + r.stressLoss
      }
      return total
    }
    var gradient = [Double](repeating: 0, count: layout.count)
    let worker = GradientWorker(layout: layout, parameters: theta)
    gradient.withUnsafeMutableBufferPointer { g in
      for s in structures {
        _ = worker.accumulate(
          s, energyCoefficient: 10, forceCoefficient: 0.3, stressCoefficient: 50,
          gradient: g.baseAddress!)
      }
      worker.flush(into: g.baseAddress!)
    }
    let scale = gradient.map(abs).max()!
    #expect(scale > 0)
    var worst = 0.0
    var worstIndex = 0
    for k in 0..<layout.count {
      let h = 1e-5 * max(1, abs(theta[k]))
      var plus = theta
      plus[k] += h
      var minus = theta
      minus[k] -= h
      let err = abs((loss(plus) - loss(minus)) / (2 * h) - gradient[k])
      if err > worst {
        worst = err
        worstIndex = k
      }
    }
    #expect(
      worst < 1e-6 * scale,
      "\(label): worst |Δ| \(worst) at θ[\(worstIndex)] of \(layout.count) parameters, scale \(scale)")
  }
}

import Foundation
import SNNPCore
import SNNPData
import SNNPFit
import SNNPFormat
import SNNPTraining
import Testing

/// `filter_start cardinal` and `optimizer least_squares`: fixed spline-basis filters and
/// one linear layer, fitted in one exact solve (a linear 2+3-body spline potential).
@Suite(.serialized) struct LeastSquaresTests {
  /// A small cardinal-basis model: 5 radial knots (5 radial splines, 5 two-body filters)
  /// and 3 angular knots (5 angular splines), so 15 · 5 = 75 three-body filters.
  func config() -> FitConfiguration {
    var c = FitConfiguration()
    c.radialKnots = 5
    c.angularKnots = 3
    c.threeBodyBasis = [5, 5]
    c.threeBody = 75
    c.twoBody = 5
    c.radialMin = 1.8
    c.cutoff = 4.5
    c.filterStart = .cardinal
    c.variant = .network
    c.hidden = []
    c.optimizer = .leastSquares
    c.epochs = 1
    c.polishEpochs = 0
    c.threads = 2
    return c
  }

  @Test func cardinalStart_IsTheSplineBasisOfEachGrid() throws {
    let p = try InitialModel.make(config(), elements: ["Mo"], bias: [-7])
    // Radial splines (f and ρ): start slope, then the knot values but the last (0 at the cutoff).
    for bank in [p.f[0], p.rho[0]] {
      #expect(bank.splines.count == 5)
      for (a, s) in bank.splines.enumerated() {
        let parameters = [s.startSlope] + s.values.dropLast()
        #expect(parameters == (0..<5).map { $0 == a ? 1 : 0 }, "radial spline \(a)")
        #expect(s.values.last == 0 && s.endSlope == 0)
      }
    }
    // Angular splines: both slopes, then every knot value.
    #expect(p.g[0].splines.count == 5)
    for (c, s) in p.g[0].splines.enumerated() {
      let parameters = [s.startSlope, s.endSlope] + s.values
      #expect(parameters == (0..<5).map { $0 == c ? 1 : 0 }, "angular spline \(c)")
    }
    #expect(p.threeBodyBasis == ThreeBodyBasis(radial: 5, angular: 5) && p.threeBodyCount == 75)
  }

  /// Data labelled by a cardinal-basis model with random weights are fitted back exactly
  /// from other random weights, in one solve: the loss is quadratic and the solve finds
  /// its minimum (zero here), and the filters do not move.
  @Test func leastSquares_RetrievesALinearSplinePotentialExactly() throws {
    var c = config()
    c.seed = 11
    let teacher = try InitialModel.make(c, elements: ["Mo"], bias: [-7.5])
    let dir = try labelledTrainingDirectory(teacher, count: 24, seed: 5, name: "least-squares")
    c.train = [dir + "/train.xyz"]
    c.validationFraction = 0.25
    c.seed = 12  // other starting weights
    c.output = dir + "/run"
    let trainer = try Trainer(config: c, command: "test")
    let start = trainer.state.theta
    #expect(try trainer.run { _ in })
    let theta = trainer.state.bestTheta
    let e = trainer.errors(of: theta, on: trainer.train).errors
    let v = trainer.errors(of: theta, on: trainer.validation).errors
    print(
      "least squares retrieval: training RMSE \(e[1]) eV/atom, \(e[3]) eV/Å; validation \(v[1]), \(v[3])"
    )
    // Round-off and the solve's 1e-12 relative ridge (on directions 18 frames barely
    // determine) leave ~1e-8 eV/atom: 4-5 orders below an L-BFGS retrieval (TrainerTests).
    #expect(e[1] < 1e-7, "energy RMSE \(e[1]) eV/atom")
    #expect(e[3] < 1e-6, "force RMSE \(e[3]) eV/Å")
    // Only the layer moved: every spline parameter (and the element bias) is where it started.
    let layout = trainer.layout
    for bank in layout.banks {
      let range = bank.offset..<(bank.offset + bank.parameterCount)
      #expect(Array(theta[range]) == Array(start[range]), "\(bank.role) bank moved")
    }
    #expect(theta[layout.biasOffset] == start[layout.biasOffset])
    // At the minimum the loss gradient vanishes (relative to where the fit started).
    let g0 = trainer.trainingLossAndGradient(start).gradient
    let g = trainer.trainingLossAndGradient(theta).gradient
    let norm = { (v: [Double]) in v.map { $0 * $0 }.reduce(0, +).squareRoot() }
    #expect(norm(g) < 1e-8 * norm(g0), "|grad| \(norm(g)) against \(norm(g0)) at the start")
  }

  @Test func leastSquares_RefusesWhatItCannotSolve() throws {
    func problem(_ change: (inout FitConfiguration) -> Void) -> String {
      var c = config()
      c.train = ["train.xyz"]
      change(&c)
      do {
        try c.validate()
        return "accepted"
      } catch { return "\(error)" }
    }
    #expect(problem { _ in } == "accepted")
    #expect(
      problem { $0.hidden = [4] }.contains(
        "least_squares needs a model linear in its trained parameters"))
    #expect(
      problem { $0.variant = .intAll }.contains(
        "variant network, int-skip or linear with hidden []"))
    #expect(problem { $0.epochs = 300 }.contains("set epochs 1 and polish_epochs 0"))
    #expect(problem { $0.polishEpochs = 10 }.contains("set epochs 1 and polish_epochs 0"))
    #expect(problem { $0.committee = 2 }.contains("least_squares fits one head"))
    #expect(
      problem {
        $0.threeBodyBasis = [4, 5]
        $0.threeBody = 50
      }.contains(
        "three_body_basis must be [radial_knots, angular_knots + 2] = [5, 5], found [4, 5]"))
    #expect(problem { $0.twoBody = 3 }.contains("two_body must be 0 or radial_knots = 5, found 3"))
    // Two angular knots (the 4 Hermite cubics in cos θ) are a cardinal basis, not a learned spline.
    let twoKnots = { (c: inout FitConfiguration) in
      c.angularKnots = 2
      c.threeBodyBasis = [5, 4]
      c.threeBody = 60
    }
    #expect(problem(twoKnots) == "accepted")
    #expect(
      problem {
        twoKnots(&$0)
        $0.filterStart = .spread
        $0.optimizer = .amsgrad
      }.contains("every spline needs at least 3 knots"))
  }
}

import SNNPCore
import SNNPData
import SNNPFit
import SNNPFormat
import Testing
import _SNNPTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The UF3 paper's exact-retrieval test: data labelled by a known linear spline
/// potential (N2 = 1, N3 = 1, pair term) is refitted from a different start back to
/// < 0.1 meV/atom and < 1e-3 eV/Å.
@Suite struct ExactRetrievalTests {
  @Test func linearSplinePotential_IsRetrieved() throws {
    var config = FitConfiguration()
    config.variant = "linear"
    config.pairTerm = true
    config.threeBody = 1
    config.twoBody = 1
    config.radialKnots = 6
    config.angularKnots = 6
    config.pairKnots = 5
    config.radialMin = 1.8
    config.cutoff = 4.5
    config.pairCutoff = 2.8
    config.seed = 101
    // The teacher: random smooth splines on the same knot grids, a repulsive pair term.
    var teacher = InitialModel.make(config, elements: ["Mo"], bias: [-7.5])
    let layout = ParameterLayout(template: teacher)
    var theta = layout.parameters(of: teacher)
    let pairSlot = layout.banks.first { $0.role == .pair }!
    let pairKnots = teacher.pair![0].knots
    for k in 0..<(pairKnots.count - 1) {
      theta[pairSlot.offset + k] = 0.8 * pow((2.8 - pairKnots[k]) / 1.0, 2)
    }
    theta[pairSlot.offset + pairKnots.count - 1] = -1.6 / 1.0 * (2.8 - 1.8)  // start slope
    teacher = layout.potential(from: theta)
    let frames = try labelledFrames(teacher, count: 50, seed: 3)
    let dir = scratchDirectory("retrieval")
    try TextFile.writeAtomically(ExtXYZ.text(frames), to: dir + "/train.xyz")
    config.train = [dir + "/train.xyz"]
    config.validationFraction = 0.1
    config.seed = 7  // a different start
    config.optimizer = "lbfgs"
    config.epochs = 2500
    config.learningRate = 0.01
    config.output = dir + "/run"
    config.threads = 2
    let trainer = try Trainer(config: config, command: "test")
    #expect(try trainer.run { _ in })
    let all = trainer.errors(of: trainer.state.theta, on: trainer.train + trainer.validation)
    let e = all.errors
    #expect(e[1] < 1e-4, "energy RMSE \(1000 * e[1]) meV/atom")
    #expect(e[3] < 1e-3, "force RMSE \(e[3]) eV/Å")
  }
}

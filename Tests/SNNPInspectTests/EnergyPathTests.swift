import SNNPCore
import SNNPInspect
import Testing
import _SNNPTestSupport

@Suite struct EnergyPathTests {
  /// Along the E–V path, linear + network parts equal the energy per atom, and
  /// energy and filters equal an independent evaluation of the same cubic cell.
  @Test func pathPoints_DecomposeTheEnergy() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo"], seed: 12)
    let path = try EnergyPath.compute(
      p, element: 0, lattice: .bcc, a0: 3.2, strains: [-0.05, 0, 0.07])
    #expect(path.count == 3)
    for point in path {
      #expect(abs(point.linear + point.network - point.energy) < 1e-12)
      let a = point.a
      let cell = Structure(
        cell: [SIMD3(a, 0, 0), SIMD3(0, a, 0), SIMD3(0, 0, a)], pbc: [true, true, true],
        positions: [.zero, SIMD3(a / 2, a / 2, a / 2)], species: [0, 0])
      let r = try Evaluator(p).evaluate(cell)
      #expect(abs(point.energy - r.energy / 2) < 1e-12)
      for (x, y) in zip(point.filters, r.filters[1]) { #expect(abs(x - y) < 1e-12) }
      #expect(abs(point.volume - a * a * a / 2) < 1e-12)
    }
    #expect(path[1].a == 3.2)
  }

  /// A linear model has no network part; the linear part is then the whole energy.
  @Test func linearModel_HasNoNetworkPart() throws {
    let p = TestPotentials.make(.linear, elements: ["Si"], seed: 4)
    for point in try EnergyPath.compute(
      p, element: 0, lattice: .diamond, a0: 5.43, strains: [-0.02, 0.03])
    {
      #expect(point.network == 0)
      #expect(abs(point.linear - point.energy) < 1e-12)
    }
  }

  @Test func learningCurves_ParseLogColumns() throws {
    let text = """
      epoch,lr,train_loss,train_e_mae,train_e_rmse,train_f_mae,train_f_rmse,val_loss,val_e_mae,val_e_rmse,val_f_mae,val_f_rmse,seconds
      1.0,0.01,0.5,0.02,0.03,0.2,0.3,0.6,0.025,0.035,0.21,0.31,1.5
      2.0,0.01,0.4,0.015,0.02,0.18,0.25,,,,,,1.4
      """
    let c = try LearningCurves.parse(text, file: "log.csv")
    #expect(c.epochs == [1, 2])
    #expect(c.columns["train_e_mae"] == [0.02, 0.015])
    #expect(c.columns["val_f_mae"]![0] == 0.21)
    #expect(c.columns["val_f_mae"]![1].isNaN)
    #expect(c.svg(title: "t").contains("<svg"))
    #expect(throws: InspectError("log.csv:4: expected 13 columns, found 2")) {
      try LearningCurves.parse(text + "\n3.0,0.01", file: "log.csv")
    }
    #expect(
      throws: InspectError("log.csv:1: expected the snnp fit log header starting with 'epoch'")
    ) {
      try LearningCurves.parse("step,x\n", file: "log.csv")
    }
  }
}

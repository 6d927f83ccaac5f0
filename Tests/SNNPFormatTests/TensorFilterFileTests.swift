import SNNPCore
import SNNPFormat
import Testing
import _SNNPTestSupport

/// The `three_body_basis` record (tensor-product three-body filters).
@Suite struct TensorFilterFileTests {
  /// A tensor-form potential (with a committee, shared filters or not, a training domain)
  /// round-trips bit for bit and evaluates identically after reading.
  @Test(arguments: [(1, false), (3, false), (2, true)])
  func roundTrip_IsBitExact(elements: Int, shared: Bool) throws {
    let names = Array(["Mo", "Nb", "Ta"].prefix(elements))
    var p = TestPotentials.make(
      .intAll, elements: names, seed: 17, threeBodyCutoff: 3.8, sharedFilters: shared,
      threeBodyBasis: ThreeBodyBasis(radial: 3, angular: 2))
    let train = (0..<3).map {
      TestStructures.bcc(
        a: 3.1 + 0.05 * Double($0), repeats: 2, elementCount: elements, seed: UInt64(3 + $0))
    }
    p.domain = try TrainingDomain.measure(p, structures: train)
    let text = PotentialFile(potential: p, date: "2026-12-05").text()
    #expect(text.contains("\nfilters 12 2\n") && text.contains("\nthree_body_basis 3 2\n"))
    let fName = shared ? "*" : "Mo"
    #expect(text.contains("\nspline_bank f \(fName) 3 8 3.8\n"))
    let back = try PotentialFile.parse(text, file: "tensor.snnp")
    #expect(back.potential == p)
    #expect(back.text() == text)
    let s = TestStructures.bcc(a: 3.0, repeats: 2, elementCount: elements, rattle: 0.2, seed: 5)
    let a = try Evaluator(p).evaluate(s, uncertainty: true)
    let b = try Evaluator(back.potential).evaluate(s, uncertainty: true)
    #expect(a.energy.bitPattern == b.energy.bitPattern)
    #expect(a.forces == b.forces && a.grades == b.grades)
  }

  /// Product-form files are written exactly as before (no new record).
  @Test func productForm_WritesNoNewRecord() {
    let text = PotentialFile(potential: TestPotentials.make(.intAll, elements: ["Mo", "Nb"])).text()
    #expect(!text.contains("three_body_basis"))
  }

  /// Malformed tensor-form files are rejected with a message naming the line.
  @Test func malformed_GiveExpectedMessages() throws {
    let p = TestPotentials.make(
      .intAll, elements: ["Mo", "Nb"], seed: 13,
      threeBodyBasis: ThreeBodyBasis(radial: 3, angular: 2))
    let good = PotentialFile(potential: p, date: "2026-12-05").text()
    let basisLine = lineNumber(good, "three_body_basis")
    let cases: [(String, String)] = [
      (
        good.replacingOccurrences(of: "three_body_basis 3 2", with: "three_body_basis 2 3"),
        "\(basisLine): three_body_basis 2 3 makes A(A+1)/2 * C = 9 three-body filters, but 'filters' declares N3 = 12"
      ),
      (
        good.replacingOccurrences(of: "three_body_basis 3 2", with: "three_body_basis 3"),
        "\(basisLine): expected 2 values after 'three_body_basis' (radial splines A, angular splines C), found 1"
      ),
      (
        good.replacingOccurrences(of: "three_body_basis 3 2", with: "three_body_basis 0 2"),
        "\(basisLine): expected the number of radial splines A >= 1, found 0"
      ),
      // without the record (or with it after the banks) the banks are read in the product form
      (
        good.replacingOccurrences(of: "three_body_basis 3 2\n", with: ""),
        "\(lineNumber(good, "spline_bank f Mo") - 1): expected 12 splines in spline_bank f Mo, found 3"
      ),
    ]
    expectRejected(cases)
  }
}

/// Energy, forces, stress and filters of one structure.
public struct Evaluation: Sendable {
  /// Total energy (eV).
  public var energy: Double
  /// Per-atom energies (eV); they sum to `energy`.
  public var atomEnergies: [Double]
  /// Forces (eV/Å).
  public var forces: [SIMD3<Double>]
  /// Virial W = −∂E/∂ε as xx, yy, zz, xy, xz, yz (eV). For periodic structures
  /// the stress (ASE sign, positive = tensile) is −W / V.
  public var virial: [Double]
  /// Filter vectors G_i, one row of `filterCount` values per atom.
  public var filters: [[Double]]
  /// Per atom: the linear part b + ½Σ(φ + core) + skip·ΣG and the regressor part (eV).
  public var energyParts: [[Double]] = []
  /// Per atom the committee spread σ_i (eV; 0 for a single head), when asked for.
  public var sigmas: [Double] = []
  /// Per atom the extrapolation grade γ_i, when asked for and the potential has a training domain.
  public var grades: [Double] = []
  /// Per atom 1 when a neighbour is closer than the data's closest approach, else 0 (as `grades`).
  public var closeFlags: [Double] = []
  /// Per committee head, its total energy minus the committee's (eV), when asked for; their
  /// standard deviation over heads is the structure's energy spread σ_E.
  public var headDeviations: [Double] = []

  /// Standard deviation over the committee heads of the structure's energy (eV); 0 for one head.
  public var energySpread: Double {
    guard headDeviations.count > 1 else { return 0 }
    return (headDeviations.reduce(0) { $0 + $1 * $1 } / Double(headDeviations.count)).squareRoot()
  }
}

extension Evaluator {
  /// Evaluates a (possibly periodic) structure: builds the periodic images and
  /// the neighbour list, runs the kernel, and folds ghost forces onto their atoms.
  ///
  /// - Throws: ``GeometryError`` if the cell is singular or too small for the
  ///   cutoff, an element index is outside the potential's elements, two atoms
  ///   coincide, atoms are packed denser than ``InputLimits/maxNeighbors`` allows,
  ///   or the result is not finite.
  /// With `uncertainty`, also the committee spread and, when the potential has a
  /// training domain, the extrapolation grade and close-approach flag of every atom.
  public func evaluate(
    _ structure: Structure, filters wantFilters: Bool = true, uncertainty: Bool = false
  ) throws -> Evaluation {
    for (i, s) in structure.species.enumerated() where s < 0 || s >= potential.elementCount {
      throw GeometryError(
        "atom \(i) has element index \(s), outside the potential's \(potential.elementCount) elements"
      )
    }
    let atoms = try AtomsWithImages(structure, cutoff: cutoff)
    let n = atoms.localCount
    let total = atoms.totalCount
    let neighbors = atoms.positions.withUnsafeBufferPointer { xp in
      atoms.species.withUnsafeBufferPointer { sp in
        NeighborList.build(
          positions: xp.baseAddress!, species: sp.baseAddress!, localCount: n, totalCount: total,
          cutoff: cutoff)
      }
    }
    let problem = atoms.positions.withUnsafeBufferPointer { xp in
      neighbors.plausibilityProblem(positions: xp.baseAddress!, owner: { atoms.owner[$0] })
    }
    if let problem { throw GeometryError(problem) }
    var forces = [Double](repeating: 0, count: 3 * total)
    var energies = [Double](repeating: 0, count: n)
    var virial = [Double](repeating: 0, count: 6)
    let nf = potential.filterCount
    var filters = [Double](repeating: 0, count: wantFilters ? max(1, n * nf) : 0)
    var parts = [Double](repeating: 0, count: wantFilters ? 2 * n : 0)
    let wantGrades = uncertainty && domain != nil
    var sigmas = [Double](repeating: 0, count: uncertainty ? max(n, 1) : 0)
    var grades = [Double](repeating: 0, count: wantGrades ? max(n, 1) : 0)
    var flags = grades
    let heads = potential.headCount
    var headTotals = [Double](repeating: 0, count: uncertainty && heads > 1 ? heads : 1)
    let energy = atoms.positions.withUnsafeBufferPointer { xp in
      atoms.species.withUnsafeBufferPointer { sp in
        forces.withUnsafeMutableBufferPointer { fp in
          energies.withUnsafeMutableBufferPointer { ep in
            virial.withUnsafeMutableBufferPointer { vp in
              filters.withUnsafeMutableBufferPointer { gp in
                parts.withUnsafeMutableBufferPointer { pp in
                  sigmas.withUnsafeMutableBufferPointer { sg in
                    grades.withUnsafeMutableBufferPointer { gr in
                      flags.withUnsafeMutableBufferPointer { fl in
                        headTotals.withUnsafeMutableBufferPointer { ht in
                          var rq = Request(
                            localCount: n, totalCount: total, positions: xp.baseAddress!,
                            species: sp.baseAddress!)
                          rq.forces = fp.baseAddress
                          rq.atomEnergies = ep.baseAddress
                          rq.virial = vp.baseAddress
                          rq.filters = wantFilters ? gp.baseAddress : nil
                          rq.energyParts = wantFilters ? pp.baseAddress : nil
                          rq.sigmas = uncertainty ? sg.baseAddress : nil
                          rq.grades = wantGrades ? gr.baseAddress : nil
                          rq.closeFlags = wantGrades ? fl.baseAddress : nil
                          rq.headTotals = uncertainty && heads > 1 ? ht.baseAddress : nil
                          return compute(rq, neighbors: neighbors)
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    if !energy.isFinite || !forces.allSatisfy({ $0.isFinite })
      || !virial.allSatisfy({ $0.isFinite })
    {
      throw GeometryError(
        "the potential gives a non-finite \(energy.isFinite ? "force or virial" : "energy (\(energy) eV)") for this structure (numbers in the potential too large for it?)"
      )
    }
    var folded = [SIMD3<Double>](repeating: .zero, count: n)
    for a in 0..<total {
      folded[atoms.owner[a]] += SIMD3(forces[3 * a], forces[3 * a + 1], forces[3 * a + 2])
    }
    let rows = wantFilters ? (0..<n).map { Array(filters[($0 * nf)..<($0 * nf + nf)]) } : []
    let split = wantFilters ? (0..<n).map { [parts[2 * $0], parts[2 * $0 + 1]] } : []
    return Evaluation(
      energy: energy, atomEnergies: energies, forces: folded, virial: virial, filters: rows,
      energyParts: split,
      sigmas: uncertainty ? Array(sigmas.prefix(n)) : [],
      grades: wantGrades ? Array(grades.prefix(n)) : [],
      closeFlags: wantGrades ? Array(flags.prefix(n)) : [],
      headDeviations: uncertainty && heads > 1
        ? headTotals.map { $0 - headTotals.reduce(0, +) / Double(heads) } : [])
  }
}

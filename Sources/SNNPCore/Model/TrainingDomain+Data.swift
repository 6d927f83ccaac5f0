extension TrainingDomain {
  /// The training domain of `potential` measured on `structures` (its training
  /// frames): every atom's filter vector, grouped by element, and the closest
  /// centre–neighbour distance of every element pair.
  ///
  /// - Throws: ``GeometryError`` for a bad cell, ``TrainingDomain/CalibrationError``
  ///   when an element is missing or its atoms do not span filter space.
  public static func measure(
    _ potential: Potential, structures: [Structure]
  ) throws -> TrainingDomain {
    let evaluator = Evaluator(potential)
    let n = potential.elementCount
    let cutoff = potential.cutoff
    var filters = [[[Double]]](repeating: [], count: n)
    var closest = [Double](repeating: cutoff, count: potential.pairCount)
    for s in structures {
      let result = try evaluator.evaluate(s, filters: true)
      for (i, row) in result.filters.enumerated() { filters[s.species[i]].append(row) }
      let atoms = try AtomsWithImages(s, cutoff: cutoff)
      let list = atoms.positions.withUnsafeBufferPointer { xp in
        atoms.species.withUnsafeBufferPointer { sp in
          NeighborList.build(
            positions: xp.baseAddress!, species: sp.baseAddress!, localCount: atoms.localCount,
            totalCount: atoms.totalCount, cutoff: cutoff)
        }
      }
      let x = atoms.positions
      for i in 0..<atoms.localCount {
        for q in list.offsets[i]..<list.offsets[i + 1] {
          let j = Int(list.indices[q])
          let dx = x[3 * j] - x[3 * i]
          let dy = x[3 * j + 1] - x[3 * i + 1]
          let dz = x[3 * j + 2] - x[3 * i + 2]
          let r = (dx * dx + dy * dy + dz * dz).squareRoot()
          let k = Potential.pairIndex(Int(atoms.species[i]), Int(atoms.species[j]), elementCount: n)
          if r < closest[k] && r > 0 { closest[k] = r }
        }
      }
    }
    return try calibrate(elements: potential.elements, filters: filters, closestApproach: closest)
  }
}

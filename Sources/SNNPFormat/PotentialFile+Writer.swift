import SNNPCore

extension PotentialFile {
  /// The file's text.
  public func text() -> String {
    let p = potential
    var out: [String] = []
    out.append(
      "# DATE: \(date) UNITS: metal CONTRIBUTOR: \(contributor) CITATION: \(PotentialFile.citation)"
    )
    out.append("snnp \(PotentialFile.formatVersion)")
    out.append("# s-NNP potential; format: docs/potential-format.md. Lengths in Å, energies in eV.")
    for m in metadata { out.append("meta \(m.key) \(m.value)") }
    out.append("elements \(p.elementCount) " + p.elements.joined(separator: " "))
    out.append("# filters <three-body N3> <two-body N2>")
    out.append("filters \(p.threeBodyCount) \(p.twoBodyCount)")
    if let basis = p.threeBodyBasis {
      out.append(
        "# three_body_basis <A> <C>: tensor-product three-body filters from A radial and C angular splines"
      )
      out.append("three_body_basis \(basis.radial) \(basis.angular)")
    }
    if p.fourBodySplines > 0 {
      out.append(
        "# four_body <A>: four-body moment filters m_a.M_a.m_a and tr(M_a^3) from A radial splines h")
      out.append("four_body \(p.fourBodySplines)")
    }
    if p.sharedFilters {
      out.append("# shared_filters 1: one f, g and rho bank (named * and *-*) serve every element")
      out.append("shared_filters 1")
    }
    out.append("skip_connection \(p.skipConnection ? 1 : 0)")
    out.append("softplus_output \(p.softplusOutput ? 1 : 0)")
    out.append("bias " + p.bias.map(number).joined(separator: " "))
    if let core = p.core {
      out.append(
        "# core zbl <inner Å> <outer Å> <atomic number per element>: fixed ZBL repulsion, as LAMMPS pair zbl"
      )
      out.append(
        "core zbl \(number(core.inner)) \(number(core.outer)) "
          + core.atomicNumbers.map { $0 == $0.rounded() ? String(Int($0)) : number($0) }.joined(
            separator: " "))
    }
    out.append(
      "# spline_bank <role> <element(s)> <splines> <knots K> [<cutoff Å>, radial roles only]")
    out.append("#   knots x_0 ... x_{K-1}")
    out.append(
      "#   spline <slope at x_0> <slope at x_{K-1}> y_0 ... y_{K-1}   (one line per spline)")
    for (c, bank) in p.f.enumerated() { writeBank(&out, "f", elementName(c), bank, radial: true) }
    for (index, bank) in p.g.enumerated() {
      writeBank(&out, "g", filterPairName(index), bank, radial: false)
    }
    for (c, bank) in p.rho.enumerated() {
      writeBank(&out, "rho", elementName(c), bank, radial: true)
    }
    for (c, bank) in p.h.enumerated() { writeBank(&out, "h", elementName(c), bank, radial: true) }
    for (index, bank) in (p.pair ?? []).enumerated() {
      writeBank(&out, "pair", pairName(index), bank, radial: true)
    }
    out.append("# regressor <element> none | network <layers> | embedding <knots K>")
    out.append(
      "#   layer <inputs> <outputs> <celu|linear> <bias|nobias>, then per output: row w_0 ... w_{in-1} [b]"
    )
    if p.headCount > 1 {
      out.append(
        "# committee <K>: K network heads per element on the same filters; the energy is their mean"
      )
      out.append("committee \(p.headCount)")
    }
    for (c, r) in p.regressors.enumerated() {
      let el = p.elements[c]
      switch r {
      case .none:
        out.append("regressor \(el) none")
      case .network, .committee:
        for net in r.networks {
          out.append("regressor \(el) network \(net.layers.count)")
          for layer in net.layers {
            out.append(
              "layer \(layer.inputs) \(layer.outputs) \(layer.activation.rawValue) \(layer.biases == nil ? "nobias" : "bias")"
            )
            for o in 0..<layer.outputs {
              var row = layer.weights[(o * layer.inputs)..<((o + 1) * layer.inputs)].map(number)
              if let b = layer.biases { row.append(number(b[o])) }
              out.append("row " + row.joined(separator: " "))
            }
          }
        }
      case .embedding(let u):
        out.append("regressor \(el) embedding \(u.knots.count)")
        out.append("knots " + u.knots.map(number).joined(separator: " "))
        out.append(
          "spline " + ([u.startSlope, u.endSlope] + u.values).map(number).joined(separator: " "))
      }
    }
    if let d = p.domain {
      out.append(
        "# training_domain <element> <training atoms> <N3 + N2 + N4 + 1>: what the fitter saw, for the")
      out.append(
        "#   extrapolation grade (docs/uncertainty.md): filter ranges, then the maxvol active set")
      for (c, e) in d.elements.enumerated() {
        out.append("training_domain \(p.elements[c]) \(e.atoms) \(e.active.count)")
        out.append("min " + e.minimum.map(number).joined(separator: " "))
        out.append("max " + e.maximum.map(number).joined(separator: " "))
        for v in e.active { out.append("active " + v.map(number).joined(separator: " ")) }
      }
      out.append("# closest_approach <A-B> <Å>: closest centre-neighbour distance in the data")
      for (k, r) in d.closestApproach.enumerated() {
        out.append("closest_approach \(pairName(k)) \(number(r))")
      }
    }
    out.append("end")
    return out.joined(separator: "\n") + "\n"
  }

  /// Writes the file atomically.
  public func write(to path: String) throws {
    try TextFile.writeAtomically(text(), to: path)
  }

  func pairName(_ index: Int) -> String {
    let (a, b) = potential.elementPair(index)
    return "\(potential.elements[a])-\(potential.elements[b])"
  }

  /// Name of f/ρ bank `c`: its element, or `*` with shared filters.
  func elementName(_ c: Int) -> String { potential.sharedFilters ? "*" : potential.elements[c] }

  /// Name of g bank `index`: its element pair, or `*-*` with shared filters.
  func filterPairName(_ index: Int) -> String { potential.sharedFilters ? "*-*" : pairName(index) }

  func writeBank(
    _ out: inout [String], _ role: String, _ name: String, _ bank: SplineBank, radial: Bool
  ) {
    var head = "spline_bank \(role) \(name) \(bank.count) \(bank.knots.count)"
    if radial { head += " \(number(bank.cutoff))" }
    out.append(head)
    out.append("knots " + bank.knots.map(number).joined(separator: " "))
    for s in bank.splines {
      out.append(
        "spline " + ([s.startSlope, s.endSlope] + s.values).map(number).joined(separator: " "))
    }
  }
}

/// Shortest decimal text that parses back to exactly `x`.
func number(_ x: Double) -> String { "\(x)" }

/// Element symbols in order of atomic number, to give the ZBL core its nuclear charges.
public enum PeriodicTable {
  static let symbols: [String] = """
    H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr \
    Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb \
    Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr \
    Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og
    """.split(separator: " ").map(String.init)

  /// Atomic number of `symbol` (case-sensitive, "Mo"), or nil for an unknown symbol.
  public static func atomicNumber(_ symbol: String) -> Int? {
    symbols.firstIndex(of: symbol).map { $0 + 1 }
  }
}

/// Spearman's rank correlation of two equally long samples: the Pearson correlation
/// of their ranks (ties get their mean rank). Nil for fewer than 3 points or a
/// constant sample. Used to ask whether an uncertainty estimate orders frames the
/// way their actual errors do.
public func spearmanCorrelation(_ x: [Double], _ y: [Double]) -> Double? {
  precondition(x.count == y.count)
  guard x.count >= 3 else { return nil }
  return pearsonCorrelation(ranks(x), ranks(y))
}

/// Pearson's correlation coefficient of two equally long samples; nil when either is
/// constant (or empty).
public func pearsonCorrelation(_ x: [Double], _ y: [Double]) -> Double? {
  precondition(x.count == y.count)
  let n = Double(x.count)
  let mx = x.reduce(0, +) / n
  let my = y.reduce(0, +) / n
  var sxy = 0.0
  var sxx = 0.0
  var syy = 0.0
  for (a, b) in zip(x, y) {
    sxy += (a - mx) * (b - my)
    sxx += (a - mx) * (a - mx)
    syy += (b - my) * (b - my)
  }
  guard sxx > 0, syy > 0 else { return nil }
  return sxy / (sxx * syy).squareRoot()
}

/// 1-based ranks, ties sharing their mean rank.
func ranks(_ v: [Double]) -> [Double] {
  let order = v.indices.sorted { v[$0] < v[$1] }
  var r = [Double](repeating: 0, count: v.count)
  var k = 0
  while k < order.count {
    var end = k
    while end + 1 < order.count && v[order[end + 1]] == v[order[k]] { end += 1 }
    let mean = Double(k + end) / 2 + 1
    for q in k...end { r[order[q]] = mean }
    k = end + 1
  }
  return r
}

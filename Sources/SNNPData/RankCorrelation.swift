/// Spearman's rank correlation of two equally long samples: the Pearson correlation
/// of their ranks (ties get their mean rank). Nil for fewer than 3 points or a
/// constant sample. Used to ask whether an uncertainty estimate orders frames the
/// way their actual errors do.
public func spearmanCorrelation(_ x: [Double], _ y: [Double]) -> Double? {
  precondition(x.count == y.count)
  guard x.count >= 3 else { return nil }
  let rx = ranks(x)
  let ry = ranks(y)
  let n = Double(x.count)
  let mx = rx.reduce(0, +) / n
  let my = ry.reduce(0, +) / n
  var sxy = 0.0
  var sxx = 0.0
  var syy = 0.0
  for k in x.indices {
    sxy += (rx[k] - mx) * (ry[k] - my)
    sxx += (rx[k] - mx) * (rx[k] - mx)
    syy += (ry[k] - my) * (ry[k] - my)
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

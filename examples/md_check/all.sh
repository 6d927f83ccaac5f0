#!/bin/bash
# MD stability checks of the shipped int. all potentials, two at a time (one core
# each); ELEMENTS may also name the equiatomic alloys MoNbTaW and MoNb (python/snnp/elements.py): docs/md-check/<El>/{summary.json,rdf.dat,wall.txt}
# and the liquid RDF figure docs/figures/liquid-rdf.svg.
#
#   bash examples/md_check/all.sh          (about 50 minutes on 2 cores)
#   ELEMENTS=MoNbTaW bash examples/md_check/all.sh
#   ELEMENTS="Mo Li" STEPS=2000 bash examples/md_check/all.sh   (quick look)
set -uo pipefail
cd "$(dirname "$0")/../.."
elements=${ELEMENTS:-"Mo Si Ge Li"}
tmp=$(mktemp -d)
status=0
run() {
  local el=$1
  bash examples/md_check/run.sh "potentials/$el.int-all.snnp" $el "$tmp/$el" > "$tmp/$el.out" 2>&1
  local rc=$?
  mkdir -p "docs/md-check/$el"
  cp "$tmp/$el"/{summary.json,rdf.dat,wall.txt} "docs/md-check/$el/" 2>/dev/null
  cat "$tmp/$el.out"
  return $rc
}
set -- $elements
while [ $# -gt 0 ]; do
  run $1 & p1=$!
  p2=
  if [ $# -gt 1 ]; then run $2 & p2=$!; fi
  wait $p1 || status=1
  if [ -n "$p2" ]; then wait $p2 || status=1; fi
  shift; [ $# -gt 0 ] && shift
done
python3 examples/md_check/plot_rdf.py docs/md-check docs/figures/liquid-rdf.svg
echo "logs: $tmp"
exit $status

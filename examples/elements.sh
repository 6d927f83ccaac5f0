# Crystal data of the four mlearn elements, sourced by the example drivers
# (properties/run.sh, md_check/run.sh, benchmark/run-elements.sh):
#   source examples/elements.sh && element_data Mo    # sets lat a mass Tm
# a: lattice constant of the DFT ground state in the training data (Å), the
# starting point of every relaxation; Tm: experimental melting point (K).
element_data() {
  case $1 in
    Mo) lat=bcc;     a=3.1676; mass=95.95;   Tm=2896 ;;
    Li) lat=bcc;     a=3.4268; mass=6.94;    Tm=453.7 ;;
    Si) lat=diamond; a=5.4687; mass=28.0855; Tm=1687 ;;
    Ge) lat=diamond; a=5.7542; mass=72.630;  Tm=1211 ;;
    *) echo "unknown element '$1' (expected Mo, Si, Ge or Li)" >&2; return 2 ;;
  esac
}

# Equiatomic random bcc alloys of the multi-element potentials, for the MD check:
#   alloy_data MoNbTaW    # sets species masses lat a Tm
# a: Vegard average of the elements' lattice constants (the NPT runs relax it);
# Tm: rule-of-mixtures average of the elements' experimental melting points
# (Mo 2896, Nb 2750, Ta 3290, W 3695 K), not a measured alloy value.
alloy_data() {
  case $1 in
    MoNbTaW) species="Mo Nb Ta W"; masses="95.95 92.906 180.948 183.84"; lat=bcc; a=3.25; Tm=3158 ;;
    MoNb)    species="Mo Nb";      masses="95.95 92.906";                lat=bcc; a=3.24; Tm=2823 ;;
    *) echo "unknown alloy '$1' (expected MoNbTaW or MoNb)" >&2; return 2 ;;
  esac
}

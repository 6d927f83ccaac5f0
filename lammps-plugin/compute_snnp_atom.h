/* -*- c++ -*- ----------------------------------------------------------
   compute snnp/atom: per-atom filter vector G_i and linear / network energy
   split of pair_style snnp, for dumps and per-atom analysis. Thin: the pair
   style owns the kernel handle and the type-to-element map and makes one extra
   kernel call (no forces) per invocation.
------------------------------------------------------------------------- */

#ifdef COMPUTE_CLASS
// clang-format off
ComputeStyle(snnp/atom,ComputeSNNPAtom);
// clang-format on
#else

#ifndef LMP_COMPUTE_SNNP_ATOM_H
#define LMP_COMPUTE_SNNP_ATOM_H

#include "compute.h"

#include <vector>

namespace LAMMPS_NS {

class ComputeSNNPAtom : public Compute {
 public:
  ComputeSNNPAtom(class LAMMPS *, int, char **);
  ~ComputeSNNPAtom() override;

  void init() override;
  void compute_peratom() override;
  double memory_usage() override;

 private:
  class PairSNNP *find_pair(bool at_init);

  class PairSNNP *pair;
  int nfilters;                  ///< columns 1..nfilters: G_i; then linear, network
  int nmax;                      ///< allocated rows of array_atom
  double **peratom;              ///< nmax x (nfilters + 2)
  std::vector<double> filters;   ///< kernel output, nlocal * nfilters
  std::vector<double> parts;     ///< kernel output, nlocal * 2
};

}    // namespace LAMMPS_NS

#endif
#endif

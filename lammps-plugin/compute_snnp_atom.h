/* -*- c++ -*- ----------------------------------------------------------
   compute snnp/atom: per-atom filter vector G_i and linear / network energy
   split of pair_style snnp, and the uncertainty of a committee file with a
   training domain (sigma_i, extrapolation grade, close flag), for dumps,
   thermo (compute reduce) and fix halt. Thin: the pair
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

  enum Quantity { FILTERS, PARTS, SIGMA, GRADE, CLOSE };

  class PairSNNP *pair;
  int nfilters;                               ///< length of G_i when the compute was defined
  std::vector<Quantity> columns_of;           ///< the keywords, in the order given
  int nmax;                                   ///< allocated rows of array_atom
  double **peratom;                           ///< nmax x size_peratom_cols
  std::vector<double> filters;                ///< kernel output, nlocal * nfilters
  std::vector<double> parts;                  ///< kernel output, nlocal * 2
  std::vector<double> sigma, grade, close;    ///< kernel outputs, nlocal each
  bool wants(Quantity q) const;
  void check_file();    ///< sigma needs a committee, grade/close a training domain
};

}    // namespace LAMMPS_NS

#endif
#endif

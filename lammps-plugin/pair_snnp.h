/* -*- c++ -*- ----------------------------------------------------------
   pair_style snnp: spline-based neural network interatomic potentials
   (s-NNP, Vita & Trinkle). Thin LAMMPS wrapper around the snnp kernel
   (libsnnpkernel.so, C ABI in Sources/CSNNPKernel/include/snnp_kernel.h).
   All physics and all file parsing live in the kernel.
------------------------------------------------------------------------- */

#ifdef PAIR_CLASS
// clang-format off
PairStyle(snnp,PairSNNP);
// clang-format on
#else

#ifndef LMP_PAIR_SNNP_H
#define LMP_PAIR_SNNP_H

#include "pair.h"

#include <string>
#include <vector>

struct snnp_model;
struct snnp_compute_args;

namespace LAMMPS_NS {

class PairSNNP : public Pair {
 public:
  PairSNNP(class LAMMPS *);
  ~PairSNNP() override;

  void compute(int, int) override;
  void settings(int, char **) override;
  void coeff(int, char **) override;
  void init_style() override;
  double init_one(int, int) override;

  // per-atom analysis for compute snnp/atom (not used by the force path)
  int filter_count() const;    ///< length of G_i, 0 before pair_coeff
  bool ready() const { return model != nullptr; }
  /// One kernel call without forces; each output may be nullptr (not wanted).
  void compute_analysis(double *filters, double *energy_parts, double *sigma = nullptr,
                        double *grade = nullptr, double *close_flag = nullptr);
  int head_count() const;     ///< network heads per element (K of a committee), 0 before pair_coeff
  bool has_domain() const;    ///< the file has a training domain (grades available)
  const std::string &file() const { return potential_file; }
  bool type_handled(int itype) const
  {
    return itype > 0 && itype < (int) type2species.size() && type2species[itype] >= 0;
  }

 protected:
  snnp_model *model;                ///< kernel handle, one per rank
  double cutoff;                    ///< kernel cutoff (Angstrom)
  std::vector<int> type2species;    ///< kernel element index per atom type, -1 = NULL
  void fill_species(int nall);      ///< species[] for local + ghost atoms, grown to atom->nmax
  snnp_compute_args kernel_args(int nlocal, int nall);    ///< atoms + list cutoff, outputs NULL
  int *species;                  ///< per-atom element index for local+ghost atoms
  int maxspecies;                ///< allocated length of species
  std::string potential_file;    ///< path as given to pair_coeff

  void allocate();
  void check_units();
};

}    // namespace LAMMPS_NS

#endif
#endif

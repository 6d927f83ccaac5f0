/* ----------------------------------------------------------------------
   compute ID group snnp/atom

   Per-atom array with nfilters + 2 columns: [1..nf] the filter vector G_i of
   pair_style snnp (three-body G3 first, then two-body G2), [nf+1] the linear
   energy part b + pair + skip*sum(G) and [nf+2] the network (regressor) part,
   in eV; the two parts sum to the atom's energy (compute pe/atom). Atoms
   outside the group or of a type mapped to NULL get zeros.

   The numbers come from one extra kernel call by the pair style, without
   forces, reusing the neighbour list of its last compute(), so the compute
   is current at every step on which the pair style computed forces.
------------------------------------------------------------------------- */

#include "compute_snnp_atom.h"

#include "atom.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "pair.h"
#include "pair_snnp.h"
#include "update.h"

#include <string>

using namespace LAMMPS_NS;

/* ---------------------------------------------------------------------- */

ComputeSNNPAtom::ComputeSNNPAtom(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), pair(nullptr), nfilters(0), nmax(0), peratom(nullptr)
{
  if (narg != 3)
    error->all(FLERR, std::string("Illegal compute snnp/atom command: it takes no arguments (compute ID group snnp/atom)"));

  // the column count is needed now (dump custom expands c_ID[*] at its definition)
  pair = find_pair(false);
  nfilters = pair->filter_count();
  peratom_flag = 1;
  size_peratom_cols = nfilters + 2;
}

/* ---------------------------------------------------------------------- */

ComputeSNNPAtom::~ComputeSNNPAtom()
{
  memory->destroy(peratom);
}

/* ---------------------------------------------------------------------- */

PairSNNP *ComputeSNNPAtom::find_pair(bool at_init)
{
  Pair *p = force->pair_match("snnp", 0);
  auto snnp = dynamic_cast<PairSNNP *>(p);
  if (snnp == nullptr)
    error->all(FLERR, std::string("Compute snnp/atom requires pair_style snnp") +
                          (at_init ? " (pair_style was changed after the compute was defined)" : ""));
  if (!snnp->ready())
    error->all(FLERR, std::string("Compute snnp/atom requires pair_coeff of pair_style snnp before the compute is defined"));
  return snnp;
}

/* ---------------------------------------------------------------------- */

void ComputeSNNPAtom::init()
{
  pair = find_pair(true);
  const int nf = pair->filter_count();
  if (nf != nfilters)
    error->all(FLERR, "Compute snnp/atom: the potential now has " + std::to_string(nf) +
                          " filters, but the compute was defined with " + std::to_string(nfilters) +
                          " (define the compute again after pair_coeff)");
}

/* ---------------------------------------------------------------------- */

void ComputeSNNPAtom::compute_peratom()
{
  invoked_peratom = update->ntimestep;

  if (atom->nmax > nmax) {
    memory->destroy(peratom);
    nmax = atom->nmax;
    memory->create(peratom, nmax, size_peratom_cols, "snnp/atom:peratom");
    array_atom = peratom;
  }

  const int nlocal = atom->nlocal;
  const int ncols = size_peratom_cols;
  filters.assign((size_t) nlocal * nfilters + 1, 0.0);
  parts.assign((size_t) nlocal * 2 + 1, 0.0);
  pair->compute_analysis(filters.data(), parts.data());

  const int *mask = atom->mask;
  const int *type = atom->type;
  for (int i = 0; i < nlocal; i++) {
    double *row = peratom[i];
    if ((mask[i] & groupbit) && pair->type_handled(type[i])) {
      for (int a = 0; a < nfilters; a++) row[a] = filters[(size_t) i * nfilters + a];
      row[nfilters] = parts[2 * i];
      row[nfilters + 1] = parts[2 * i + 1];
    } else {
      for (int a = 0; a < ncols; a++) row[a] = 0.0;
    }
  }
}

/* ---------------------------------------------------------------------- */

double ComputeSNNPAtom::memory_usage()
{
  return (double) nmax * size_peratom_cols * sizeof(double) +
      (double) (filters.capacity() + parts.capacity()) * sizeof(double);
}

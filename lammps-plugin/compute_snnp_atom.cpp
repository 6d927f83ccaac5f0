/* ----------------------------------------------------------------------
   compute ID group snnp/atom [filters] [parts] [sigma] [grade] [close]

   Per-atom array. Without keywords: filters parts, that is nfilters + 2
   columns: [1..nf] the filter vector G_i of pair_style snnp (three-body G3
   first, then two-body G2), [nf+1] the linear energy part b + pair +
   skip*sum(G) and [nf+2] the network (regressor) part, in eV; the two parts
   sum to the atom's energy (compute pe/atom). With keywords, exactly the
   columns named, in the order given:
     filters  nf columns, G_i          parts  2 columns (eV)
     sigma    committee spread of the atom's energy over the heads (eV)
     grade    extrapolation grade (about 1 inside the training data)
     close    1 when a neighbour is closer than the data's closest approach
   sigma needs a committee file, grade and close a training domain
   (docs/uncertainty.md). Atoms outside the group or of a type mapped to NULL
   get zeros.

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
  for (int k = 3; k < narg; k++) {
    const std::string word = arg[k];
    Quantity q;
    if (word == "filters")
      q = FILTERS;
    else if (word == "parts")
      q = PARTS;
    else if (word == "sigma")
      q = SIGMA;
    else if (word == "grade")
      q = GRADE;
    else if (word == "close")
      q = CLOSE;
    else
      error->all(FLERR,
                 "Illegal compute snnp/atom command: unknown keyword '" + word +
                     "' (expected filters, parts, sigma, grade or close)");
    for (Quantity seen : columns_of)
      if (seen == q)
        error->all(FLERR, "Illegal compute snnp/atom command: keyword '" + word + "' given twice");
    columns_of.push_back(q);
  }
  if (columns_of.empty()) columns_of = {FILTERS, PARTS};

  // the column count is needed now (dump custom expands c_ID[*] at its definition)
  pair = find_pair(false);
  nfilters = pair->filter_count();
  check_file();
  peratom_flag = 1;
  size_peratom_cols = 0;
  for (Quantity q : columns_of) size_peratom_cols += q == FILTERS ? nfilters : q == PARTS ? 2 : 1;
}

bool ComputeSNNPAtom::wants(Quantity q) const
{
  for (Quantity c : columns_of)
    if (c == q) return true;
  return false;
}

void ComputeSNNPAtom::check_file()
{
  if (wants(SIGMA) && pair->head_count() < 2)
    error->all(
        FLERR,
        "Compute snnp/atom: sigma needs a committee potential (several network heads), but " +
            pair->file() + " has one head; fit one with snnp fit --committee K");
  if ((wants(GRADE) || wants(CLOSE)) && !pair->has_domain())
    error->all(FLERR,
               "Compute snnp/atom: grade and close need a training domain, which " + pair->file() +
                   " lacks; refit it, or add one with: snnp calibrate " + pair->file() +
                   " TRAINING.xyz");
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
    error->all(FLERR,
               std::string("Compute snnp/atom requires pair_style snnp") +
                   (at_init ? " (pair_style was changed after the compute was defined)" : ""));
  if (!snnp->ready())
    error->all(FLERR,
               std::string("Compute snnp/atom requires pair_coeff of pair_style snnp before the "
                           "compute is defined"));
  return snnp;
}

/* ---------------------------------------------------------------------- */

void ComputeSNNPAtom::init()
{
  pair = find_pair(true);
  const int nf = pair->filter_count();
  if (nf != nfilters)
    error->all(FLERR,
               "Compute snnp/atom: the potential now has " + std::to_string(nf) +
                   " filters, but the compute was defined with " + std::to_string(nfilters) +
                   " (define the compute again after pair_coeff)");
  check_file();
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
  // only what a column needs is computed (an empty vector's data() is passed as nullptr)
  filters.assign(wants(FILTERS) ? (size_t) nlocal * nfilters + 1 : 0, 0.0);
  parts.assign(wants(PARTS) ? (size_t) nlocal * 2 + 1 : 0, 0.0);
  sigma.assign(wants(SIGMA) ? nlocal + 1 : 0, 0.0);
  grade.assign(wants(GRADE) || wants(CLOSE) ? nlocal + 1 : 0, 0.0);
  close.assign(wants(GRADE) || wants(CLOSE) ? nlocal + 1 : 0, 0.0);
  auto ptr = [](std::vector<double> &v) {
    return v.empty() ? nullptr : v.data();
  };
  pair->compute_analysis(ptr(filters), ptr(parts), ptr(sigma), ptr(grade), ptr(close));

  const int *mask = atom->mask;
  const int *type = atom->type;
  for (int i = 0; i < nlocal; i++) {
    double *row = peratom[i];
    if ((mask[i] & groupbit) && pair->type_handled(type[i])) {
      int c = 0;
      for (Quantity q : columns_of) {
        switch (q) {
          case FILTERS:
            for (int a = 0; a < nfilters; a++) row[c++] = filters[(size_t) i * nfilters + a];
            break;
          case PARTS:
            row[c++] = parts[2 * i];
            row[c++] = parts[2 * i + 1];
            break;
          case SIGMA:
            row[c++] = sigma[i];
            break;
          case GRADE:
            row[c++] = grade[i];
            break;
          case CLOSE:
            row[c++] = close[i];
            break;
        }
      }
    } else {
      for (int a = 0; a < ncols; a++) row[a] = 0.0;
    }
  }
}

/* ---------------------------------------------------------------------- */

double ComputeSNNPAtom::memory_usage()
{
  return (double) nmax * size_peratom_cols * sizeof(double) +
      (double) (filters.capacity() + parts.capacity() + sigma.capacity() + grade.capacity() +
                close.capacity()) *
      sizeof(double);
}

/* ----------------------------------------------------------------------
   pair_style snnp: LAMMPS bookkeeping around the snnp kernel.

   No neighbour list is requested: the kernel builds and caches a full list
   of the local atoms over local+ghost atoms itself (rebuilt when LAMMPS
   reneighbours), because the 2021 LAMMPS headers cannot request a full
   list. init_one returns the kernel cutoff, so ghosts cover cutoff + skin.
   Forces land on ghosts, hence newton pair on and virial_fdotr_compute().
------------------------------------------------------------------------- */

#include "pair_snnp.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "neighbor.h"
#include "update.h"
#include "utils.h"

#include "snnp_kernel.h"

#include <cstring>
#include <string>

using namespace LAMMPS_NS;

static constexpr size_t ERRLEN = 2048;

/* ---------------------------------------------------------------------- */

PairSNNP::PairSNNP(LAMMPS *lmp) :
    Pair(lmp), model(nullptr), cutoff(0.0), species(nullptr), maxspecies(0)
{
  single_enable = 0;
  restartinfo = 0;
  one_coeff = 1;
  manybody_flag = 1;
  centroidstressflag = CENTROID_NOTAVAIL;
}

/* ---------------------------------------------------------------------- */

PairSNNP::~PairSNNP()
{
  snnp_model_free(model);
  memory->destroy(species);
  if (allocated) {
    memory->destroy(setflag);
    memory->destroy(cutsq);
  }
}

/* ----------------------------------------------------------------------
   one kernel call: energy, forces (local and ghost), per-atom energy and
   virial when asked; global virial by f dot r over local+ghost atoms
------------------------------------------------------------------------- */

/* ----------------------------------------------------------------------
   kernel element index (-1 for NULL-mapped types) of local and ghost atoms
------------------------------------------------------------------------- */

void PairSNNP::fill_species(int nall)
{
  if (atom->nmax > maxspecies) {
    maxspecies = atom->nmax;
    memory->destroy(species);
    memory->create(species, maxspecies, "pair:species");
  }
  const int *type = atom->type;
  for (int i = 0; i < nall; i++) species[i] = type2species[type[i]];
}

/* ----------------------------------------------------------------------
   kernel arguments common to every call: atoms, species, list cutoff;
   outputs all NULL until the caller sets them
------------------------------------------------------------------------- */

snnp_compute_args PairSNNP::kernel_args(int nlocal, int nall)
{
  snnp_compute_args args;
  std::memset(&args, 0, sizeof(args));
  args.struct_size = sizeof(args);
  args.nlocal = nlocal;
  args.nall = nall;
  args.x = nall > 0 ? &atom->x[0][0] : nullptr;
  args.species = species;
  args.neighbor_cutoff = cutoff + neighbor->skin;
  return args;
}

/* ---------------------------------------------------------------------- */

void PairSNNP::compute(int eflag, int vflag)
{
  ev_init(eflag, vflag);

  const int nlocal = atom->nlocal;
  const int nall = nlocal + atom->nghost;
  fill_species(nall);

  double energy = 0.0;
  snnp_compute_args args = kernel_args(nlocal, nall);
  args.rebuild_neighbors = (neighbor->ago == 0) ? 1 : 0;
  args.f = nall > 0 ? &atom->f[0][0] : nullptr;
  args.energy = eflag_global ? &energy : nullptr;
  args.eatom = (eflag_atom && nlocal > 0) ? eatom : nullptr;
  args.virial = (vflag_global && !vflag_fdotr) ? virial : nullptr;
  args.vatom = (vflag_atom && nall > 0) ? &vatom[0][0] : nullptr;

  char errbuf[ERRLEN] = "";
  const int status = snnp_compute(model, &args, errbuf, ERRLEN);
  if (status != SNNP_OK)
    error->one(FLERR,
               std::string("Pair style snnp: ") + snnp_status_string(status) + ": " + errbuf);

  if (eflag_global) eng_vdwl += energy;
  if (vflag_fdotr) virial_fdotr_compute();
}

/* ----------------------------------------------------------------------
   per-atom analysis for compute snnp/atom: one extra kernel call without
   forces, reusing the neighbour list of the last compute() on this handle.
   filters: nlocal*filter_count() values (written), energy_parts: 2*nlocal
   (linear, network; zeroed here, then added by the kernel). Must be called
   with the positions of the last compute() (as at any output step).
------------------------------------------------------------------------- */

int PairSNNP::filter_count() const
{
  return model ? snnp_model_filter_count(model) : 0;
}

int PairSNNP::head_count() const
{
  return model ? snnp_model_head_count(model) : 0;
}

bool PairSNNP::has_domain() const
{
  return model && snnp_model_has_domain(model) == 1;
}

void PairSNNP::compute_analysis(double *filters, double *energy_parts, double *sigma, double *grade,
                                double *close_flag)
{
  if (model == nullptr) error->all(FLERR, std::string("Pair style snnp: pair_coeff was not given"));
  const int nlocal = atom->nlocal;
  const int nall = nlocal + atom->nghost;
  fill_species(nall);
  const int nf = snnp_model_filter_count(model);
  if (filters)
    for (int i = 0; i < nlocal * nf; i++) filters[i] = 0.0;
  if (energy_parts)
    for (int i = 0; i < 2 * nlocal; i++) energy_parts[i] = 0.0;
  for (double *out : {sigma, grade, close_flag})
    if (out)
      for (int i = 0; i < nlocal; i++) out[i] = 0.0;

  snnp_compute_args args = kernel_args(nlocal, nall);
  args.rebuild_neighbors = 0;    // the list of this step's force call
  args.filters = nlocal > 0 ? filters : nullptr;
  args.energy_parts = nlocal > 0 ? energy_parts : nullptr;
  args.sigma = nlocal > 0 ? sigma : nullptr;
  args.grade = nlocal > 0 ? grade : nullptr;
  args.close_flag = nlocal > 0 ? close_flag : nullptr;

  char errbuf[ERRLEN] = "";
  const int status = snnp_compute(model, &args, errbuf, ERRLEN);
  if (status != SNNP_OK)
    error->one(FLERR,
               std::string("Compute snnp/atom: ") + snnp_status_string(status) + ": " + errbuf);
}

/* ----------------------------------------------------------------------
   global settings: none
------------------------------------------------------------------------- */

void PairSNNP::settings(int narg, char **arg)
{
  if (narg > 0)
    error->all(FLERR,
               std::string("Pair style snnp takes no arguments, unknown keyword: ") + arg[0]);
  check_units();
}

/* ----------------------------------------------------------------------
   pair_coeff * * file El1 El2 ... (one element or NULL per atom type)
------------------------------------------------------------------------- */

void PairSNNP::coeff(int narg, char **arg)
{
  const int ntypes = atom->ntypes;
  if (narg < 3 || strcmp(arg[0], "*") != 0 || strcmp(arg[1], "*") != 0)
    error->all(FLERR,
               std::string("Incorrect args for pair coefficients: pair_coeff * * file El1 ... (one "
                           "element or NULL per atom type)"));
  if (narg != 3 + ntypes)
    error->all(FLERR,
               "Incorrect args for pair coefficients: pair_style snnp needs " +
                   std::to_string(ntypes) +
                   " element names (or NULL) after the file, one per atom type, but got " +
                   std::to_string(narg - 3));
  check_units();
  if (!allocated) allocate();

  if (snnp_abi_version() != SNNP_ABI_VERSION)
    error->all(FLERR,
               "Pair style snnp: kernel library ABI version " + std::to_string(snnp_abi_version()) +
                   " does not match version " + std::to_string(SNNP_ABI_VERSION) +
                   " of snnp_kernel.h");

  // load on every rank; agree on failure so that no rank is left waiting
  potential_file = arg[2];
  std::string path = utils::get_potential_file_path(potential_file);
  if (path.empty()) path = potential_file;
  snnp_model_free(model);
  model = nullptr;
  char errbuf[ERRLEN] = "";
  int failed = (snnp_model_load(path.c_str(), &model, errbuf, ERRLEN) != SNNP_OK) ? 1 : 0;
  int anyfailed = 0, allfailed = 0;
  MPI_Allreduce(&failed, &anyfailed, 1, MPI_INT, MPI_MAX, world);
  MPI_Allreduce(&failed, &allfailed, 1, MPI_INT, MPI_MIN, world);
  if (allfailed) error->all(FLERR, std::string("Pair style snnp: ") + errbuf);
  if (failed) error->one(FLERR, std::string("Pair style snnp: ") + errbuf);
  if (anyfailed)
    error->all(
        FLERR,
        std::string("Pair style snnp: potential file could not be loaded on every MPI rank"));
  cutoff = snnp_model_cutoff(model);

  // map atom types to kernel elements
  std::string known;
  const int nel = snnp_model_element_count(model);
  for (int e = 0; e < nel; e++) {
    char name[64] = "";
    snnp_model_element_name(model, e, name, sizeof(name));
    known += std::string(e ? " " : "") + name;
  }
  type2species.assign(ntypes + 1, -1);
  std::string log;
  int count = 0;
  for (int i = 1; i <= ntypes; i++) {
    const char *el = arg[2 + i];
    if (strcmp(el, "NULL") == 0) {
      log += "  type " + std::to_string(i) + " -> NULL (not handled by snnp)\n";
      continue;
    }
    const int idx = snnp_model_element_index(model, el);
    if (idx < 0)
      error->all(FLERR,
                 std::string("Pair style snnp: element ") + el + " is not in potential file " +
                     potential_file + " (its elements: " + known + ")");
    type2species[i] = idx;
    log += "  type " + std::to_string(i) + " -> " + el + " (element " + std::to_string(idx) + ")\n";
  }
  for (int i = 1; i <= ntypes; i++)
    for (int j = i; j <= ntypes; j++) {
      setflag[i][j] = (type2species[i] >= 0 && type2species[j] >= 0) ? 1 : 0;
      count += setflag[i][j];
    }
  if (count == 0)
    error->all(FLERR, std::string("Incorrect args for pair coefficients: every atom type is NULL"));

  if (comm->me == 0)
    utils::logmesg(lmp,
                   "Pair style snnp: " + potential_file + ", elements " + known + ", cutoff " +
                       std::to_string(cutoff) + " A\n" + log);
}

/* ----------------------------------------------------------------------
   init specific to this pair style: no neighbour list is requested
------------------------------------------------------------------------- */

void PairSNNP::init_style()
{
  check_units();
  if (force->newton_pair == 0)
    error->all(FLERR, std::string("Pair style snnp requires newton pair on"));
  if (model == nullptr) error->all(FLERR, std::string("Pair style snnp: pair_coeff was not given"));
  // pair_modify options this style cannot honour are refused, not silently ignored.
  if (offset_flag)
    error->all(FLERR,
               std::string("Pair style snnp does not support pair_modify shift yes (its energy "
                           "already goes to zero at the cutoff)"));
  if (tail_flag)
    error->all(FLERR, std::string("Pair style snnp does not support pair_modify tail yes"));
}

/* ---------------------------------------------------------------------- */

double PairSNNP::init_one(int i, int j)
{
  if (setflag[i][j] == 0) error->all(FLERR, std::string("All pair coeffs are not set"));
  return cutoff;
}

/* ---------------------------------------------------------------------- */

void PairSNNP::allocate()
{
  allocated = 1;
  const int n = atom->ntypes + 1;
  memory->create(setflag, n, n, "pair:setflag");
  memory->create(cutsq, n, n, "pair:cutsq");
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) setflag[i][j] = 0;
}

/* ---------------------------------------------------------------------- */

void PairSNNP::check_units()
{
  if (strcmp(update->unit_style, "metal") != 0)
    error->all(FLERR,
               std::string("Pair style snnp requires metal units, but units are ") +
                   update->unit_style);
}

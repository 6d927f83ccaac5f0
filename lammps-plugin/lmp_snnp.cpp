/* ----------------------------------------------------------------------
   lmp_snnp: Debian's lmp (LAMMPS 29 Sep 2021, no PLUGIN package) with
   pair_style snnp and compute snnp/atom added. Same command line and output
   as lmp: argv goes to the LAMMPS constructor unchanged (-in, -var, -log,
   -screen, -echo, ...), then the styles are registered in force->pair_map and
   modify->compute_map before the input is read, exactly as built-in styles
   would be.
------------------------------------------------------------------------- */

#include "compute_snnp_atom.h"
#include "force.h"
#include "input.h"
#include "lammps.h"
#include "modify.h"
#include "pair_snnp.h"

#include <mpi.h>

using namespace LAMMPS_NS;

static Pair *snnp_creator(LAMMPS *lmp)
{
  return new PairSNNP(lmp);
}

static Compute *snnp_atom_creator(LAMMPS *lmp, int narg, char **arg)
{
  return new ComputeSNNPAtom(lmp, narg, arg);
}

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  MPI_Comm comm = MPI_COMM_WORLD;
  auto lammps = new LAMMPS(argc, argv, comm);
  (*lammps->force->pair_map)["snnp"] = &snnp_creator;
  (*lammps->modify->compute_map)["snnp/atom"] = &snnp_atom_creator;
  lammps->input->file();
  delete lammps;
  MPI_Barrier(comm);
  MPI_Finalize();
  return 0;
}

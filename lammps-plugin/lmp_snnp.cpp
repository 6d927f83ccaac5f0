/* ----------------------------------------------------------------------
   lmp_snnp: Debian's lmp (LAMMPS 29 Sep 2021, no PLUGIN package) with
   pair_style snnp added. Same command line and output as lmp: argv goes to
   the LAMMPS constructor unchanged (-in, -var, -log, -screen, -echo, ...),
   then the pair style is registered in force->pair_map before the input is
   read, exactly as a built-in style would be.
------------------------------------------------------------------------- */

#include "force.h"
#include "input.h"
#include "lammps.h"
#include "pair_snnp.h"

#include <mpi.h>

using namespace LAMMPS_NS;

static Pair *snnp_creator(LAMMPS *lmp)
{
  return new PairSNNP(lmp);
}

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  MPI_Comm comm = MPI_COMM_WORLD;
  auto lammps = new LAMMPS(argc, argv, comm);
  (*lammps->force->pair_map)["snnp"] = &snnp_creator;
  lammps->input->file();
  delete lammps;
  MPI_Barrier(comm);
  MPI_Finalize();
  return 0;
}

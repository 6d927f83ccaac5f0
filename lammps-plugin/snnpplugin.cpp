/* ----------------------------------------------------------------------
   snnpplugin.so: registers pair_style snnp and compute snnp/atom with a
   LAMMPS that has the PLUGIN package (`plugin load snnpplugin.so`).
   Registration only.

   The LAMMPS builds we target do not install lammpsplugin.h, so the plugin
   record is declared here with the layout the PLUGIN package expects
   (five strings, a creator function pointer, the dlopen handle); pair
   styles use creator v1, computes v2.
------------------------------------------------------------------------- */

#include "compute_snnp_atom.h"
#include "lammps.h"
#include "pair_snnp.h"

using namespace LAMMPS_NS;

extern "C" {
typedef void *(snnp_plugin_factory) (void *);
typedef void *(snnp_plugin_factory2) (void *, int, char **);
typedef struct {
  const char *version;    // LAMMPS version the plugin was built for
  const char *style;      // "pair" or "compute"
  const char *name;       // style name
  const char *info;       // one-line description
  const char *author;
  union {
    snnp_plugin_factory *v1;     // Pair *(*)(LAMMPS *)
    snnp_plugin_factory2 *v2;    // Compute *(*)(LAMMPS *, int, char **)
  } creator;
  void *handle;    // dlopen handle, passed in by LAMMPS
} snnp_plugin_record;
typedef void (*snnp_plugin_register)(snnp_plugin_record *, void *);

void lammpsplugin_init(void *lmp, void *handle, void *regfunc);
}

static Pair *snnp_creator(LAMMPS *lmp)
{
  return new PairSNNP(lmp);
}

static Compute *snnp_atom_creator(LAMMPS *lmp, int narg, char **arg)
{
  return new ComputeSNNPAtom(lmp, narg, arg);
}

extern "C" void lammpsplugin_init(void *lmp, void *handle, void *regfunc)
{
  snnp_plugin_record plugin;
  // built against this LAMMPS's headers at configure time (SNNP_LAMMPS=modern)
  plugin.version = static_cast<LAMMPS *>(lmp)->version;
  plugin.style = "pair";
  plugin.name = "snnp";
  plugin.info = "s-NNP spline neural network potential (snnp kernel)";
  plugin.author = "snnp developers";
  plugin.creator.v1 = (snnp_plugin_factory *) &snnp_creator;
  plugin.handle = handle;
  (*(snnp_plugin_register) regfunc)(&plugin, lmp);

  plugin.style = "compute";
  plugin.name = "snnp/atom";
  plugin.info = "per-atom s-NNP filters and linear/network energy split (pair_style snnp)";
  plugin.creator.v2 = (snnp_plugin_factory2 *) &snnp_atom_creator;
  (*(snnp_plugin_register) regfunc)(&plugin, lmp);
}

/* ----------------------------------------------------------------------
   snnpplugin.so: registers pair_style snnp with a LAMMPS that has the
   PLUGIN package (`plugin load snnpplugin.so`). Registration only.

   The LAMMPS builds we target do not install lammpsplugin.h, so the plugin
   record is declared here with the layout the PLUGIN package expects
   (five strings, a creator function pointer, the dlopen handle).
------------------------------------------------------------------------- */

#include "lammps.h"
#include "pair_snnp.h"

using namespace LAMMPS_NS;

extern "C" {
typedef void *(snnp_plugin_factory)(void *);
typedef struct {
  const char *version;    // LAMMPS version the plugin was built for
  const char *style;      // "pair"
  const char *name;       // style name
  const char *info;       // one-line description
  const char *author;
  union {
    snnp_plugin_factory *v1;    // Pair *(*)(LAMMPS *)
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
}

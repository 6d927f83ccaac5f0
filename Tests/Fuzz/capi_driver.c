/* Fuzz driver of the C API (Tests/Fuzz/fuzz.py): loads a potential and computes one
 * configuration of free atoms through snnp_compute, as LAMMPS does.
 *   capi_driver POTENTIAL ATOMS   (ATOMS: "n" then n lines "x y z species")
 * Prints "load <status> <message>", then "compute <status> <message>" and
 * "energy <e>", "force <max |f|>"; exits 0 whatever the statuses (a crash is a signal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snnp_kernel.h"

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: capi_driver POTENTIAL ATOMS\n"); return 2; }
  char err[1024] = "";
  snnp_model *model = NULL;
  int status = snnp_model_load(argv[1], &model, err, sizeof err);
  printf("load %d %s\n", status, status ? err : "ok");
  if (status) return 0;
  FILE *fp = fopen(argv[2], "r");
  int n = 0;
  if (!fp || fscanf(fp, "%d", &n) != 1 || n < 0 || n > 100000) { fprintf(stderr, "bad atoms file\n"); return 2; }
  double *x = calloc(3 * (size_t)n + 3, sizeof(double));
  int *species = calloc((size_t)n + 1, sizeof(int));
  for (int i = 0; i < n; i++)
    if (fscanf(fp, "%lf %lf %lf %d", &x[3 * i], &x[3 * i + 1], &x[3 * i + 2], &species[i]) != 4) {
      fprintf(stderr, "bad atoms file\n"); return 2;
    }
  fclose(fp);
  double *f = calloc(3 * (size_t)n + 3, sizeof(double));
  double energy = 0, virial[6] = {0};
  snnp_compute_args args;
  memset(&args, 0, sizeof args);
  args.struct_size = sizeof args;
  args.nlocal = n;
  args.nall = n;
  args.x = x;
  args.species = species;
  args.rebuild_neighbors = 1;
  args.neighbor_cutoff = snnp_model_cutoff(model);
  args.f = f;
  args.energy = &energy;
  args.virial = virial;
  err[0] = 0;
  status = snnp_compute(model, &args, err, sizeof err);
  printf("compute %d %s\n", status, status ? err : "ok");
  double fmax = 0;
  for (int k = 0; k < 3 * n; k++) fmax = (f[k] > fmax || f[k] < -fmax || f[k] != f[k]) ? (f[k] < 0 ? -f[k] : f[k]) : fmax;
  printf("energy %.17g\nforce %.17g\n", energy, fmax);
  snnp_model_free(model);
  free(x); free(species); free(f);
  return 0;
}

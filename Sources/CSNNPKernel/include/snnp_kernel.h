/*
 * snnp_kernel.h — the C ABI of the snnp evaluation kernel.
 *
 * This header is the only definition of the ABI. The functions are implemented
 * in Swift (Sources/SNNPKernel, exported with @_cdecl) in libsnnpkernel.so and
 * run the same code as the fitter and `snnp eval`.
 *
 * Units: LAMMPS metal (Å, eV, eV/Å). Arrays are plain C arrays owned by the
 * caller. A model handle is immutable after load except for an internal
 * neighbour-list cache and scratch memory, so one handle must not be used by two
 * threads at once (use one handle per thread). Nothing here calls exit(), traps
 * or throws: every failure returns a non-zero status and, where a buffer is
 * given, a message naming the file, line and what was expected.
 */
#ifndef SNNP_KERNEL_H
#define SNNP_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI version of this header. Compare with snnp_abi_version() at load. */
#define SNNP_ABI_VERSION 3

/** Status codes returned by every entry point. */
enum snnp_status {
  SNNP_OK = 0,
  SNNP_ERROR_IO = 1,       /**< file missing or unreadable */
  SNNP_ERROR_FORMAT = 2,   /**< malformed potential file */
  SNNP_ERROR_ARGUMENT = 3, /**< bad argument (null pointer, index out of range, wrong struct size) */
  SNNP_ERROR_INTERNAL = 4  /**< anything else */
};

/** Opaque model handle. */
typedef struct snnp_model snnp_model;

/** ABI version of the loaded library (SNNP_ABI_VERSION it was built with). */
int snnp_abi_version(void);

/**
 * Loads a potential file.
 * @param path    file path (NUL-terminated)
 * @param out     receives the handle on success, NULL on failure
 * @param errbuf  receives a NUL-terminated message on failure (may be NULL)
 * @param errlen  size of errbuf in bytes
 * @return SNNP_OK or an error status
 */
int snnp_model_load(const char *path, snnp_model **out, char *errbuf, size_t errlen);

/** Frees a handle (NULL is allowed). */
void snnp_model_free(snnp_model *model);

/** Cutoff radius of the potential (Å): no interaction at or beyond it. */
double snnp_model_cutoff(const snnp_model *model);

/** Number of elements in the potential. */
int snnp_model_element_count(const snnp_model *model);

/**
 * Copies the name of element `index` (0-based) into buf as a NUL-terminated string.
 * @return SNNP_OK, or SNNP_ERROR_ARGUMENT if index is out of range or buf too small.
 */
int snnp_model_element_name(const snnp_model *model, int index, char *buf, size_t len);

/** Index of the element called `name`, or -1 if the potential has no such element. */
int snnp_model_element_index(const snnp_model *model, const char *name);

/** Length of an atom's filter vector G_i = (G3[1..N3], G2[1..N2]). */
int snnp_model_filter_count(const snnp_model *model);

/** Number of network heads per element: K for a committee file, 1 otherwise (ABI 3). */
int snnp_model_head_count(const snnp_model *model);

/** 1 when the file has a training domain (so grades can be computed), else 0 (ABI 3). */
int snnp_model_has_domain(const snnp_model *model);

/**
 * Arguments of snnp_compute. Set struct_size = sizeof(snnp_compute_args) so the
 * library can reject a caller built against a different layout.
 *
 * Atoms 0..nlocal-1 are the centres (local atoms); nlocal..nall-1 are ghosts
 * (periodic or MPI images), which are neighbours only. Outputs are ADDED to
 * (+=), never overwritten; optional outputs may be NULL.
 */
typedef struct snnp_compute_args {
  size_t struct_size;      /**< sizeof(snnp_compute_args) */
  int nlocal;              /**< number of local atoms */
  int nall;                /**< local + ghost atoms */
  const double *x;         /**< positions, 3*nall, x0 y0 z0 x1 ... (Å) */
  const int *species;      /**< element index per atom, nall; -1 = not handled by this potential */
  int rebuild_neighbors;   /**< non-zero when atoms were re-sorted or the ghosts changed */
  double neighbor_cutoff;  /**< list cutoff (Å) >= model cutoff: cutoff + skin; the list is
                                reused until rebuild_neighbors, so atoms may move < skin/2 */
  double *f;               /**< forces, 3*nall (eV/Å), forces on ghosts included */
  double *energy;          /**< total energy of the local atoms (eV), 1 value, or NULL */
  double *eatom;           /**< per-atom energy, nlocal (eV), or NULL */
  double *virial;          /**< global virial sum r (x) f: xx yy zz xy xz yz (eV), or NULL */
  double *vatom;           /**< per-atom virial, 6*nall, same order (eV), or NULL */
  /* ABI 2: per-atom analysis (NULL when not wanted) */
  double *filters;         /**< per local atom its filter vector G_i, nlocal*snnp_model_filter_count
                                values, WRITTEN (not added) */
  double *energy_parts;    /**< per local atom 2 values (eV), ADDED: the linear part
                                b + pair + skip*sum(G) and the network (regressor) part;
                                they sum to the atomic energy */
  /* ABI 3: uncertainty (NULL when not wanted). A caller built against ABI 2 passes
     the shorter struct_size and gets none of these. */
  double *sigma;           /**< per local atom the committee spread sigma_i (eV), nlocal values,
                                WRITTEN; 0 for a one-head file */
  double *grade;           /**< per local atom the extrapolation grade (about 1 inside the training
                                data), nlocal values, WRITTEN; needs a training domain
                                (snnp_model_has_domain), else SNNP_ERROR_ARGUMENT */
  double *close_flag;      /**< per local atom 1.0 when a neighbour is closer than the training
                                data's closest approach, else 0.0, WRITTEN; needs a training domain */
  double *head_energies;   /**< snnp_model_head_count values (eV), ADDED: each committee head's
                                network energy summed over the local atoms (their spread is the
                                configuration's energy uncertainty); ignored for a one-head file */
} snnp_compute_args;

/**
 * Energy, forces and virials of the local atoms. Builds (when asked, or when
 * nlocal/nall changed) a full neighbour list of the local atoms over all atoms
 * with neighbor_cutoff, by cell binning.
 * @return SNNP_OK or an error status (message in errbuf).
 */
int snnp_compute(snnp_model *model, const snnp_compute_args *args, char *errbuf, size_t errlen);

/** Short English text for a status code (static storage). */
const char *snnp_status_string(int status);

#ifdef __cplusplus
}
#endif

#endif /* SNNP_KERNEL_H */

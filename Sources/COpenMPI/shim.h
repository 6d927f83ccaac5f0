/* The few MPI calls the data-parallel fitter makes (Sources/SNNPFit/Communicator.swift),
   as plain functions: Open MPI's MPI_COMM_WORLD and MPI_DOUBLE are macros over
   global objects, which Swift cannot import. Debian: libopenmpi-dev (pkg-config ompi). */
#ifndef SNNP_OPENMPI_SHIM_H
#define SNNP_OPENMPI_SHIM_H
#include <mpi.h>
#include <stdlib.h>

/* MPI_Init if not yet initialised; returns the rank count (1 on failure). */
static inline int snnp_mpi_init(int *rank) {
  int flag = 0;
  MPI_Initialized(&flag);
  if (!flag && MPI_Init(NULL, NULL) != MPI_SUCCESS) { *rank = 0; return 1; }
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

static inline void snnp_mpi_finalize(void) {
  int flag = 0;
  MPI_Finalized(&flag);
  if (!flag) MPI_Finalize();
}

/* Concatenates every rank's `count` doubles in rank order into `out` (all ranks). */
static inline int snnp_mpi_allgatherv(const double *local, int count, double *out, const int *counts,
                                      const int *displs) {
  return MPI_Allgatherv(local, count, MPI_DOUBLE, out, counts, displs, MPI_DOUBLE, MPI_COMM_WORLD);
}

static inline int snnp_mpi_allgather_int(int value, int *out) {
  return MPI_Allgather(&value, 1, MPI_INT, out, 1, MPI_INT, MPI_COMM_WORLD);
}

static inline int snnp_mpi_bcast_bytes(char *buffer, int count) {
  return MPI_Bcast(buffer, count, MPI_CHAR, 0, MPI_COMM_WORLD);
}

static inline void snnp_mpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }
#endif

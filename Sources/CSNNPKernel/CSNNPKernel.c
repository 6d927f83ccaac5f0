/* Intentionally empty: SwiftPM needs a source file in a C target. The target
 * exists only to publish include/snnp_kernel.h, the ABI that SNNPKernel
 * implements with @_cdecl; it has no Swift API. */

/* Force-included (-include fmt_compat.h) before the LAMMPS 29 Sep 2021 headers
   of Debian's liblammps-dev, which include "fmt/format.h" but ship no fmt.
   Debian's libfmt-dev is fmt 9; its headers are used header-only, and the one
   fmt 7 name those LAMMPS headers use, fmt::make_args_checked, is declared in
   terms of make_format_args. pair_snnp.cpp calls no fmt-templated LAMMPS
   function (those are fmt 7 ABI inside liblammps), only std::string overloads. */
#ifndef SNNP_FMT_COMPAT_H
#define SNNP_FMT_COMPAT_H

#ifndef FMT_HEADER_ONLY
#define FMT_HEADER_ONLY
#endif
#include <fmt/format.h>

#if FMT_VERSION >= 80000
namespace fmt {
template <typename... Args, typename S>
inline auto make_args_checked(const S &, const Args &...args) -> decltype(make_format_args(args...))
{
  return make_format_args(args...);
}
}    // namespace fmt
#endif

#endif

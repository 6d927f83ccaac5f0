"""The ctypes mirror of the C ABI (snnp.kernel) matches Sources/CSNNPKernel/include/snnp_kernel.h:
the same ABI version and snnp_compute_args with the same fields in the same order with
the same types, and, where a C compiler is at hand, the same offsets and size."""

import ctypes
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from snnp import kernel

HEADER = Path(__file__).resolve().parents[2] / "Sources" / "CSNNPKernel" / "include" / "snnp_kernel.h"

C_TYPES = {
    "size_t": ctypes.c_size_t,
    "int": ctypes.c_int,
    "double": ctypes.c_double,
    "int*": ctypes.POINTER(ctypes.c_int),
    "double*": ctypes.POINTER(ctypes.c_double),
}


def header_text():
    # comments out, so that a field's doc comment cannot look like a field
    return re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)


def header_fields():
    """(name, C type) of every field of snnp_compute_args, in order; const dropped."""
    body = re.search(r"typedef\s+struct\s+snnp_compute_args\s*\{(.*?)\}\s*snnp_compute_args\s*;",
                     header_text(), flags=re.S)
    assert body, f"{HEADER}: no typedef struct snnp_compute_args {{ ... }} snnp_compute_args;"
    fields = []
    for declaration in body.group(1).split(";"):
        declaration = declaration.strip()
        if not declaration:
            continue
        m = re.fullmatch(r"(?:const\s+)?(\w+)\s*(\*?)\s*(\w+)", declaration)
        assert m, f"{HEADER}: field '{declaration}' is not 'type [*]name' (extend this test)"
        fields.append((m.group(3), m.group(1) + m.group(2)))
    return fields


def test_abi_version_matches_header():
    m = re.search(r"#define\s+SNNP_ABI_VERSION\s+(\d+)", header_text())
    assert m and int(m.group(1)) == kernel.ABI_VERSION, \
        f"snnp_kernel.h has SNNP_ABI_VERSION {m and m.group(1)}, python/snnp/kernel.py ABI_VERSION {kernel.ABI_VERSION}"


def test_compute_args_fields_match_header():
    expected = header_fields()
    actual = [(name, ctype) for name, ctype in kernel.ComputeArgs._fields_]
    assert [n for n, _ in actual] == [n for n, _ in expected], \
        "field names or order of snnp.kernel.ComputeArgs differ from snnp_compute_args in snnp_kernel.h"
    for (name, ctype), (_, c_type) in zip(actual, expected):
        assert c_type in C_TYPES, f"field {name}: C type {c_type} has no ctypes mapping in this test"
        assert ctype == C_TYPES[c_type], f"field {name}: header {c_type}, ctypes {ctype.__name__}"


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler (cc)")
def test_compute_args_offsets_match_c_compiler(tmp_path):
    names = [n for n, _ in kernel.ComputeArgs._fields_]
    source = tmp_path / "layout.c"
    source.write_text('#include <stdio.h>\n#include <stddef.h>\n#include "snnp_kernel.h"\nint main(void) {\n'
                      '  printf("size %zu\\n", sizeof(snnp_compute_args));\n'
                      + "".join(f'  printf("{n} %zu\\n", offsetof(snnp_compute_args, {n}));\n' for n in names)
                      + "  return 0;\n}\n")
    binary = tmp_path / "layout"
    subprocess.run(["cc", "-std=c99", "-Wall", "-Werror", "-I", str(HEADER.parent), str(source), "-o", str(binary)],
                   check=True)
    layout = dict(line.split() for line in subprocess.run([str(binary)], capture_output=True, text=True,
                                                          check=True).stdout.splitlines())
    assert int(layout["size"]) == ctypes.sizeof(kernel.ComputeArgs)
    for n in names:
        assert int(layout[n]) == getattr(kernel.ComputeArgs, n).offset, f"offset of {n}"

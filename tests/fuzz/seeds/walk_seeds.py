#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpus of tests/fuzz/fuzz_walk.c: one input per x86
paging mode (no paging, legacy 4 KiB and 4 MiB, PAE 4 KiB and 2 MiB,
4-level 4 KiB and 1 GiB, 5-level, XD without EFER.NXE), each a page-table
set in the harness's 8-page RAM that maps its addresses, so that the
fuzzer starts from walks that reach the leaf instead of guessing tables.
Input layout (fuzz_walk.c take_case): cr0 u64, cr3 addr, cr4 u64,
efer u64, mode u8, 3 x (gva addr, len u16), gpa addr, [page_gpa u64 unless
mode & 8], then RAM bytes; an addr is a selector byte and a u32 (kept
modulo RAM + 0x100) or, with selector 0, a u64.  Run: python3 tests/fuzz/seeds/walk_seeds.py"""
import os
import struct

RAM = 8 * 4096
P, RW, US, PS = 1, 2, 4, 0x80
XD = 1 << 63
PE, PG, WP = 1, 1 << 31, 1 << 16
PSE, PAE, LA57 = 1 << 4, 1 << 5, 1 << 12
LME, LMA, NXE = 1 << 8, 1 << 10, 1 << 11


def addr(v):
    # selector 1: u32 % (RAM + 0x100); selector 0: any u64
    if v < RAM + 0x100:
        return struct.pack("<BI", 1, v)
    return struct.pack("<BQ", 0, v)


def seed(cr0, cr3, cr4, efer, gvas, entries, mode=8):
    ram = bytearray(RAM)
    for at, size, val in entries:
        ram[at:at + size] = val.to_bytes(size, "little")
    out = struct.pack("<Q", cr0) + addr(cr3) + struct.pack("<QQB", cr4, efer, mode)
    for g in gvas:
        out += addr(g) + struct.pack("<H", 0x20)
    # the harness zero-fills RAM past the input: trailing zeros need not
    # be there, which keeps each seed under make fuzz's -max_len
    out += addr(0x6000) + bytes(ram).rstrip(b"\0")
    return out


def seeds():
    # legacy: PD 0x1000, PT 0x2000; gva 0x400000 -> 0x6000, PD[2] 4 MiB
    legacy = [(0x1000 + 4, 4, 0x2000 | P | RW | US), (0x2000, 4, 0x6000 | P | RW | US),
              (0x2000 + 4, 4, 0x7000 | P), (0x1000 + 8, 4, 0 | P | RW | PS)]
    yield "legacy_4k", seed(PE | PG, 0x1000, 0, 0, [0x400000, 0x400ff8, 0x401000], legacy)
    yield "legacy_4m", seed(PE | PG | WP, 0x1000, PSE, 0, [0x806000, 0x400000, 0x807ff0], legacy)
    # PAE: PDPT 0x1000, PD 0x2000, PT 0x3000; PD[3] 2 MiB
    pae = [(0x1000, 8, 0x2000 | P), (0x2000 + 16, 8, 0x3000 | P | RW),
           (0x3000, 8, 0x6000 | P | RW), (0x3000 + 8, 8, 0x7000 | P | XD),
           (0x2000 + 24, 8, 0 | P | RW | PS)]
    yield "pae_4k", seed(PE | PG, 0x1000, PAE, NXE, [0x400000, 0x400ff0, 0x401000], pae)
    yield "pae_2m", seed(PE | PG, 0x1000, PAE, NXE, [0x606000, 0x607ff8, 0x400000], pae)
    # 4-level: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000; PDPT[1] 1 GiB
    lm = [(0x1000, 8, 0x2000 | P | RW | US), (0x2000, 8, 0x3000 | P | RW | US),
          (0x3000 + 16, 8, 0x4000 | P | RW | US), (0x4000, 8, 0x6000 | P | RW | US),
          (0x4000 + 8, 8, 0x7000 | P | RW | XD), (0x2000 + 8, 8, 0 | P | RW | PS)]
    yield "long_4k", seed(PE | PG | WP, 0x1000, PAE, LME | LMA | NXE,
                          [0x400000, 0x400ff8, 0x401000], lm)
    yield "long_1g", seed(PE | PG, 0x1000, PAE, LMA | NXE,
                          [0x40006000, 0x40007ff8, 0x400000], lm)
    yield "long_xd_no_nxe", seed(PE | PG, 0x1000, PAE, LME | LMA,
                                 [0x401000, 0x400000, 0x401ff8], lm)
    # 5-level: PML5 at 0 -> the same PML4
    yield "la57_4k", seed(PE | PG, 0, PAE | LA57, LME | LMA | NXE,
                          [0x400000, 0x400ff8, 0xff00000000400000],
                          lm + [(0, 8, 0x1000 | P | RW | US)])
    yield "no_paging", seed(PE, 0, 0, 0, [0x6000, 0x7ff8, 0x100000000], [])


def main():
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz_walk")
    os.makedirs(d, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

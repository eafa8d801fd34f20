#!/usr/bin/python3
"""Hostile TrueType fonts, each made from a shipped font by breaking one thing in it.

    hostile_fonts.py SOURCE.ttf OUT_DIR [KIND...]     writes OUT_DIR/KIND.ttf for each kind

Imported by test_fonts.py.  Every font is the source font with one defect, so that whatever
refuses it can only be refusing that defect; `KINDS` names each one and says what it breaks.
The table directory's checksums are left as they were: no reader of ours or libharu's checks
them, and a test of a defect should not also carry another."""
import os
import struct
import sys


def tables(data):
    """{tag: (record_offset, table_offset, length)} of the table directory."""
    n = struct.unpack_from('>H', data, 4)[0]
    out = {}
    for i in range(n):
        rec = 12 + 16 * i
        tag, _sum, off, length = struct.unpack_from('>4sIII', data, rec)
        out[tag.decode('latin-1')] = (rec, off, length)
    return out


def table(data, tag):
    _rec, off, length = tables(data)[tag]
    return off, length


def put16(data, at, value):
    struct.pack_into('>H', data, at, value & 0xFFFF)


def put32(data, at, value):
    struct.pack_into('>I', data, at, value & 0xFFFFFFFF)


def get16(data, at):
    return struct.unpack_from('>H', data, at)[0]


def num_glyphs(data):
    off, _ = table(data, 'maxp')
    return get16(data, off + 4)


# ---- The defects -----------------------------------------------------------------------------

def hhea_metrics(d):
    """hhea claims 65,535 long metrics, more than the font has glyphs (the heap overflow)."""
    off, _ = table(d, 'hhea')
    put16(d, off + 34, 0xFFFF)


def truncated(d):
    """The file stops in the middle of its glyph outlines."""
    off, length = table(d, 'glyf')
    del d[off + length // 2:]


def table_past_eof(d):
    """A table (post) that the directory places past the end of the file."""
    rec, _off, length = tables(d)['post']
    put32(d, rec + 8, len(d) + 4096)


def table_overflow(d):
    """A table whose offset plus length wraps around 2^32."""
    rec, _off, _length = tables(d)['post']
    put32(d, rec + 8, 0xFFFFFF00)
    put32(d, rec + 12, 0x200)


def bad_loca(d):
    """A loca entry that goes backwards (a glyph of negative length)."""
    off, _ = table(d, 'loca')
    head, _ = table(d, 'head')
    short = get16(d, head + 50) == 0
    i = 10
    if short:
        put16(d, off + 2 * i, get16(d, off + 2 * (i + 1)) + 40)
    else:
        put32(d, off + 4 * i, struct.unpack_from('>I', d, off + 4 * (i + 1))[0] + 80)


def loca_past_glyf(d):
    """The last loca entry points past the end of the glyf table."""
    off, _ = table(d, 'loca')
    head, _ = table(d, 'head')
    n = num_glyphs(d)
    _g, glyf_len = table(d, 'glyf')
    if get16(d, head + 50) == 0:
        put16(d, off + 2 * n, min(0xFFFF, glyf_len // 2 + 1000))
    else:
        put32(d, off + 4 * n, glyf_len + 2000)


def bad_loca_format(d):
    """head's indexToLocFormat is neither 0 (short) nor 1 (long)."""
    off, _ = table(d, 'head')
    put16(d, off + 50, 7)


def bad_name(d):
    """A name record whose string lies far past the name table and the file."""
    off, _ = table(d, 'name')
    count = get16(d, off + 2)
    for i in range(count):
        rec = off + 6 + 12 * i
        if get16(d, rec + 6) == 6:  # the PostScript name, which libharu reads
            put16(d, rec + 10, 0xFFF0)
            put16(d, rec + 8, 0x0FFF)


def name_count(d):
    """name claims far more records than the table holds."""
    off, _ = table(d, 'name')
    put16(d, off + 2, 0xFFFF)


def units_per_em_16(d):
    """unitsPerEm 16 (the least the spec allows) with advances made for 2048: each glyph
    becomes over 40 em wide, past the 16-bit widths libharu computes."""
    off, _ = table(d, 'head')
    put16(d, off + 18, 16)


def units_per_em_0(d):
    """unitsPerEm 0, a division by zero in every width."""
    off, _ = table(d, 'head')
    put16(d, off + 18, 0)


def no_glyphs(d):
    """maxp says the font has no glyphs."""
    off, _ = table(d, 'maxp')
    put16(d, off + 4, 0)


def hmtx_short(d):
    """hmtx shorter than its long metrics and left side bearings."""
    rec, _off, length = tables(d)['hmtx']
    put32(d, rec + 12, length // 2)


def missing_os2(d):
    """No OS/2 table (libharu requires it): its tag renamed."""
    rec, _off, _length = tables(d)['OS/2']
    d[rec:rec + 4] = b'OS/3'


def cmap_outside(d):
    """A cmap subtable whose offset lies past the cmap table."""
    off, length = table(d, 'cmap')
    n = get16(d, off + 2)
    for i in range(n):
        rec = off + 4 + 8 * i
        put32(d, rec + 4, length + 100)


def cmap_no_end(d):
    """The Windows Unicode cmap's last segment ends at U+FFFE, not U+FFFF: libharu's search for
    U+FFFF finds no segment and reads past its arrays."""
    off, _ = table(d, 'cmap')
    n = get16(d, off + 2)
    for i in range(n):
        rec = off + 4 + 8 * i
        if get16(d, rec) == 3 and get16(d, rec + 2) == 1:
            sub = off + struct.unpack_from('>I', d, rec + 4)[0]
            segx2 = get16(d, sub + 6)
            end = sub + 14 + segx2 - 2
            start = end + 2 + segx2
            delta = start + segx2
            put16(d, end, 0xFFFE)
            put16(d, start, 0xFFFE)
            put16(d, delta, 2)  # U+FFFE to glyph 0, as U+FFFF was


def cmap_glyph_range(d):
    """The Windows Unicode cmap maps a letter to a glyph id past the font's glyphs."""
    off, _ = table(d, 'cmap')
    n = get16(d, off + 2)
    glyphs = num_glyphs(d)
    for i in range(n):
        rec = off + 4 + 8 * i
        if get16(d, rec) == 3 and get16(d, rec + 2) == 1:
            sub = off + struct.unpack_from('>I', d, rec + 4)[0]
            segs = get16(d, sub + 6) // 2
            ends = sub + 14
            starts = ends + 2 * segs + 2
            deltas = starts + 2 * segs
            ranges = deltas + 2 * segs
            for s in range(segs):
                if get16(d, starts + 2 * s) <= ord('H') <= get16(d, ends + 2 * s):
                    if get16(d, ranges + 2 * s) == 0:
                        put16(d, deltas + 2 * s, glyphs + 1 - ord('H'))
                    else:
                        at = ranges + 2 * s + get16(d, ranges + 2 * s) + \
                            2 * (ord('H') - get16(d, starts + 2 * s))
                        put16(d, at, glyphs + 1)
                    return
    raise SystemExit('no segment for H')


def no_embedding(d):
    """OS/2 fsType says the font may not be embedded (restricted licence)."""
    off, _ = table(d, 'OS/2')
    put16(d, off + 8, 0x0002)


def too_many_tables(d):
    """numTables larger than the file's directory can hold."""
    put16(d, 4, 0xFFFF)


def not_truetype(d):
    """An OpenType font with CFF outlines ('OTTO'), which libharu cannot embed."""
    d[0:4] = b'OTTO'


KINDS = {f.__name__: f for f in (
    hhea_metrics, truncated, table_past_eof, table_overflow, bad_loca, loca_past_glyf,
    bad_loca_format, bad_name, name_count, units_per_em_16, units_per_em_0, no_glyphs,
    hmtx_short, missing_os2, cmap_outside, cmap_no_end, cmap_glyph_range, no_embedding,
    too_many_tables, not_truetype)}


def make(source_bytes, kind):
    d = bytearray(source_bytes)
    KINDS[kind](d)
    return bytes(d)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    src = open(sys.argv[1], 'rb').read()
    kinds = sys.argv[3:] or sorted(KINDS)
    os.makedirs(sys.argv[2], exist_ok=True)
    for k in kinds:
        with open(os.path.join(sys.argv[2], k + '.ttf'), 'wb') as f:
            f.write(make(src, k))


if __name__ == '__main__':
    main()

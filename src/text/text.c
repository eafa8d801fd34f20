/* The text engine: runs -> characters -> lines -> segments, and blocks -> a flow.
 *
 * A paragraph is first turned into one array of characters (decoded, upper-cased when the
 * style asks, each with its face, the font that draws it and its advance), with the UAX #14
 * break opportunities from libunibreak, less those that typography forbids (typeset: inside a
 * number, before its unit, after a word-initial hyphen).  Lines are filled first-fit in whole
 * 1/1000 em units, the same integers libharu writes to /W, so a line we measure as fitting also
 * fits in the PDF.  A word wider than its column is broken at a space that typography kept,
 * else hyphenated by the language (at a compound's seam first), else broken after a hyphen or
 * a slash, else anywhere between two grapheme clusters.  The lines, segments and nodes are built
 * in scratch arrays that the engine keeps between calls and then copied, sized exactly, into the
 * caller's arena. */
#include <linebreak.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "text/hyphenate.h"
#include "text/text.h"
#include "core/buf.h"
#include "core/locale.h"
#include "core/utf8.h"

/* Code points below this get their advance and font cached per face: every Latin, Greek,
 * Cyrillic and punctuation character the documents use. */
enum { TS_CACHE_SIZE = 0x3000 };

enum ch_kind {
    CH_NORMAL,
    CH_SPACE,   /* a breaking space: not drawn at a line end, never counted there */
    CH_NEWLINE, /* a mandatory break character: drawn as a space at the line end */
    CH_ZW,      /* zero width (ZWSP, ZWJ, BOM...): never drawn */
    CH_SHY,     /* soft hyphen: a "-" at a line end, nothing elsewhere */
};

typedef struct tch {
    uint32_t cp; /* the text's character (upper-cased if asked) */
    uint32_t run;
    int32_t adv; /* 1/1000 em, of what is drawn */
    uint8_t face;
    uint8_t fallback; /* drawn with the fallback font */
    uint8_t missing;  /* no font has cp: a replacement is drawn */
    uint8_t kind;
    uint8_t brk; /* LINEBREAK_* after this character */
} tch;

typedef struct glyph_info {
    int16_t adv;
    uint8_t fallback;
    uint8_t state; /* 0: not looked up yet; 1: present; 2: missing */
} glyph_info;

typedef struct warned {
    ts_pos pos;
    uint32_t cp;
} warned;

typedef struct line_range {
    size_t start, end;
    bool hyphen; /* a "-" is added at the end */
} line_range;

/* A line while a flow is being built: segments and node by index into the scratch arrays. */
typedef struct pending_line {
    ts_line line;
    size_t first_seg, n_segs;
    size_t node;
} pending_line;

typedef struct pending_node {
    ts_node node;
    size_t parent; /* SIZE_MAX for none */
} pending_node;

struct ts_text_engine {
    ts_fonts fonts;
    ts_lang lang;
    char *file;
    ts_diags *diags;
    ts_hyphenator *hyph;
    glyph_info *cache[TS_FACE_COUNT];
    /* What a missing character is drawn as, per face. */
    uint32_t repl_cp[TS_FACE_COUNT];
    glyph_info repl[TS_FACE_COUNT];

    warned *warned;
    size_t n_warned, cap_warned;

    /* Scratch reused by every call. */
    tch *ch;
    size_t cap_ch;
    utf32_t *breaking; /* what libunibreak is given: breaking_cp of each character */
    size_t cap_breaking;
    char *brks;
    size_t cap_brks;
    line_range *ranges;
    size_t n_ranges, cap_ranges;
    ts_seg *segs;
    size_t n_segs, cap_segs;
    pending_line *lines;
    size_t n_lines, cap_lines;
    pending_node *nodes;
    size_t n_nodes, cap_nodes;
    uint32_t *word;
    size_t cap_word;
    bool oom;
};

#define GROW(e, arr, cap, need)                                                                    \
    (ts_grow((void **)&(e)->arr, &(e)->cap, (need), sizeof *(e)->arr) || ((e)->oom = true, false))

/* ---- Characters ------------------------------------------------------------------------ */

/* Capitals for the Latin, Greek and Cyrillic letters the documents can hold; anything else
 * (ß, CJK, symbols) stays as it is. */
static uint32_t to_upper(uint32_t cp)
{
    if (cp >= 'a' && cp <= 'z')
        return cp - 0x20;
    if (cp < 0xB5)
        return cp;
    if (cp == 0xB5)
        return 0x39C;
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
        return cp - 0x20;
    if (cp == 0xFF)
        return 0x178;
    if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
        return cp & ~1u;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return (cp & 1u) ? cp : cp - 1;
    if (cp >= 0x3B1 && cp <= 0x3CB && cp != 0x3C2)
        return cp - 0x20;
    if (cp == 0x3C2)
        return 0x3A3;
    if (cp >= 0x430 && cp <= 0x44F)
        return cp - 0x20;
    if (cp >= 0x450 && cp <= 0x45F)
        return cp - 0x50;
    return cp;
}

static enum ch_kind kind_of(uint32_t cp)
{
    switch (cp) {
    case ' ':
    case '\t':
        return CH_SPACE;
    case '\n':
    case '\r':
    case 0x0B:
    case 0x0C:
    case 0x85:
    case 0x2028:
    case 0x2029:
        return CH_NEWLINE;
    case 0xAD:
        return CH_SHY;
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
        return CH_ZW;
    default:
        return CH_NORMAL;
    }
}

/* A character that belongs to the cluster of the one before it: a break never goes before it. */
static bool is_extend(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x483 && cp <= 0x489) ||
           (cp >= 0x591 && cp <= 0x5BD) || (cp >= 0x610 && cp <= 0x61A) ||
           (cp >= 0x64B && cp <= 0x65F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || cp == 0x200C || cp == 0x200D ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
           (cp >= 0xE0100 && cp <= 0xE01EF);
}

static bool is_letter(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x370 && cp <= 0x52F) || (cp >= 0x1E00 && cp <= 0x1EFF) || is_extend(cp);
}

/* ---- Fonts ----------------------------------------------------------------------------- */

static glyph_info look_up(const ts_text_engine *e, ts_face face, uint32_t cp)
{
    /* libharu 2.3.0 reads only a font's BMP cmap (format 4) and its UTF-8 encoder stops at
     * U+FFFF: a character beyond the BMP would be drawn as .notdef even where the font has it.
     * It counts as missing, so it gets the visible replacement and its /ActualText. */
    if (cp > 0xFFFF)
        return (glyph_info){0, 0, 2};
    const ts_font_metrics *main = e->fonts.face[face], *fb = e->fonts.fallback[face];
    unsigned g = ts_fm_glyph(main, cp);
    if (g != 0)
        return (glyph_info){(int16_t)ts_fm_advance(main, g), 0, 1};
    g = ts_fm_glyph(fb, cp);
    if (g != 0)
        return (glyph_info){(int16_t)ts_fm_advance(fb, g), 1, 1};
    return (glyph_info){0, 0, 2};
}

static glyph_info glyph(ts_text_engine *e, ts_face face, uint32_t cp)
{
    if (cp < TS_CACHE_SIZE && e->cache[face] != NULL) {
        glyph_info *gi = &e->cache[face][cp];
        if (gi->state == 0)
            *gi = look_up(e, face, cp);
        return *gi;
    }
    return look_up(e, face, cp);
}

ts_font_pick ts_text_pick(const ts_text_engine *e, ts_face face, uint32_t cp)
{
    if (e == NULL || (unsigned)face >= TS_FACE_COUNT)
        return TS_PICK_MISSING;
    glyph_info gi = look_up(e, face, cp);
    if (gi.state == 2)
        return TS_PICK_MISSING;
    return gi.fallback ? TS_PICK_FALLBACK : TS_PICK_MAIN;
}

static void warn_missing(ts_text_engine *e, ts_pos pos, uint32_t cp)
{
    for (size_t i = 0; i < e->n_warned; i++) {
        const warned *w = &e->warned[i];
        if (w->cp == cp && w->pos.line == pos.line && w->pos.col == pos.col)
            return;
    }
    if (!GROW(e, warned, cap_warned, e->n_warned + 1))
        return;
    e->warned[e->n_warned++] = (warned){pos, cp};
    if (e->diags == NULL)
        return;
    char c[5] = {0};
    if (cp >= 0x20 && !(cp >= 0x7F && cp < 0xA0))
        ts_utf8_put(c, cp);
    ts_diag_add(e->diags, e->file, pos, TS_WARNING, "no font has the character U+%04X '%s'",
                (unsigned)cp, c);
}

/* ---- The engine ------------------------------------------------------------------------ */

/* libunibreak 1.1 keeps one global table, filled by init_linebreak() with values that depend
 * on nothing but its own data.  Filling it while another thread breaks lines would race, so it
 * is filled exactly once per process; afterwards it is only read. */
static once_flag linebreak_once = ONCE_FLAG_INIT;

/* Latin letters, all of line-breaking class AL (the text engine's test checks each against
 * '#').  libunibreak 1.1 finds a character's class by a linear search of its table, some fifty
 * steps for "ä" and nine for '#', so each such letter is given to it as '#': the same breaks at
 * a third of the cost, which was the largest part of laying out a pack's text. */
bool ts_text_plain_letter(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

/* What libunibreak is given for a character.  Besides the letters above: libunibreak 1.1
 * asserts on a regional indicator (the letters of flag emoji, U+1F1E6..U+1F1FF), as its pair
 * table stops at JT and the fix came only in a later release; such a character stands in as an
 * ideograph (U+20000), which breaks as a flag may: around it, not inside a letter pair only in
 * that UAX #14 would keep pairs. */
static bool simple_class(utf32_t c)
{
    return c == '#' || (c >= '0' && c <= '9') || c == ' ' || c == '.' || c == ',';
}

bool ts_text_simple_breaks(const utf32_t *s, size_t n, char *brks)
{
    for (size_t i = 0; i < n; i++)
        if (!simple_class(s[i]))
            return false;
    /* A space that starts the text is taken by libunibreak 1.1 as a word joiner, no space:
     * never a break after it. */
    for (size_t i = 0; i < n; i++) {
        bool before_word = i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '.' && s[i + 1] != ',';
        brks[i] = i > 0 && s[i] == ' ' && before_word ? LINEBREAK_ALLOWBREAK : LINEBREAK_NOBREAK;
    }
    if (n > 0)
        brks[n - 1] = LINEBREAK_MUSTBREAK;
    return true;
}

static utf32_t breaking_cp(uint32_t cp)
{
    if (ts_text_plain_letter(cp))
        return '#';
    return cp >= 0x1F1E6 && cp <= 0x1F1FF ? 0x20000 : cp;
}

static void init_linebreak_once(void)
{
    init_linebreak();
}

ts_text_engine *ts_text_engine_new(const ts_fonts *fonts, ts_lang lang, const char *hyphen_dir,
                                   const char *file, ts_diags *diags)
{
    call_once(&linebreak_once, init_linebreak_once);
    ts_text_engine *e = calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->lang = lang;
    e->diags = diags;
    if (fonts != NULL)
        e->fonts = *fonts;
    /* A face the layout left out is drawn with the regular one. */
    for (int f = 1; f < TS_FACE_COUNT; f++) {
        if (e->fonts.face[f] == NULL)
            e->fonts.face[f] = e->fonts.face[TS_FACE_REGULAR];
        if (e->fonts.fallback[f] == NULL)
            e->fonts.fallback[f] = e->fonts.fallback[TS_FACE_REGULAR];
    }
    if (file != NULL) {
        e->file = malloc(strlen(file) + 1);
        if (e->file == NULL)
            goto fail;
        strcpy(e->file, file);
    }
    e->hyph = ts_hyph_new(lang, hyphen_dir);
    if (e->hyph == NULL)
        goto fail;
    for (int f = 0; f < TS_FACE_COUNT; f++) {
        e->cache[f] = calloc(TS_CACHE_SIZE, sizeof **e->cache);
        if (e->cache[f] == NULL)
            goto fail;
        /* U+FFFD where a font has it (the reader sees that something is missing), else "?". */
        glyph_info gi = look_up(e, (ts_face)f, 0xFFFD);
        e->repl_cp[f] = 0xFFFD;
        if (gi.state != 1) {
            gi = look_up(e, (ts_face)f, '?');
            e->repl_cp[f] = '?';
            if (gi.state != 1)
                gi = (glyph_info){0, 0, 1};
        }
        e->repl[f] = gi;
    }
    return e;
fail:
    ts_text_engine_free(e);
    return NULL;
}

void ts_text_engine_free(ts_text_engine *e)
{
    if (e == NULL)
        return;
    ts_hyph_free(e->hyph);
    for (int f = 0; f < TS_FACE_COUNT; f++)
        free(e->cache[f]);
    free(e->file);
    free(e->warned);
    free(e->ch);
    free(e->breaking);
    free(e->brks);
    free(e->ranges);
    free(e->segs);
    free(e->lines);
    free(e->nodes);
    free(e->word);
    free(e);
}

static ts_face face_of(const ts_text_style *style, unsigned run_style)
{
    bool bold = style->bold || (run_style & TS_RUN_BOLD);
    bool italic = style->italic || (run_style & TS_RUN_ITALIC);
    return bold ? (italic ? TS_FACE_BOLD_ITALIC : TS_FACE_BOLD)
                : (italic ? TS_FACE_ITALIC : TS_FACE_REGULAR);
}

/* ---- Numbers --------------------------------------------------------------------------- */

static bool is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* A space that may stand between a number's groups or before its unit: the space bar's, or a
 * thin space. */
static bool is_number_space(uint32_t cp)
{
    return cp == ' ' || cp == 0x2009;
}

/* Units and symbols that stay on the line of the number before them ("12 000 €", "9,5 %",
 * "20 kpl", "5 km/h"): SI units and symbols, currencies, and the abbreviations Finnish, Swedish
 * and English reports write after a number.  Each matches as a whole token, so "5 minuuttia"
 * or "3 kg:n" are told apart ("min" is a unit, "minuuttia" a word that may go to the next
 * line; "kg" is followed by a colon, not a letter).  Only abbreviations: a number and the
 * noun it counts ("1 130 hakemusta") may be broken apart like any two words. */
static const char *const number_units[] = {
    "%", "\u2030", "\u2031", "\u20ac", "$", "\u00a3", "\u00a5", "\u00b0", "\u2103",
    /* counts */
    "kpl", "st", "pcs", "krt", "ggr", "hl\u00f6", "htv", "pers.",
    /* money */
    "t\u20ac", "k\u20ac", "M\u20ac", "milj.", "mrd.", "mn", "mdr", "kr", "tkr", "Mkr", "mnkr",
    "EUR", "bn",
    /* length, area, volume, mass */
    "mm", "cm", "dm", "m", "km", "m\u00b2", "km\u00b2", "m\u00b3", "ha", "l", "dl", "cl", "ml",
    "mg", "g", "kg", "t",
    /* time */
    "s", "ms", "min", "h", "vrk", "pv", "kk", "v", "tim",
    /* energy and power */
    "W", "kW", "MW", "GW", "Wh", "kWh", "MWh", "GWh", "TWh", "V", "kV", "Hz", "dB"};

/* Whether a unit of the list starts at ch[i] and ends a token there (what follows it is no
 * letter or digit).  upper: the text is in capitals, and so are the units. */
static bool unit_at(const tch *ch, size_t i, size_t n, bool upper)
{
    for (size_t u = 0; u < sizeof number_units / sizeof *number_units; u++) {
        const unsigned char *p = (const unsigned char *)number_units[u];
        size_t len = strlen(number_units[u]), at = 0, k = i;
        bool same = true;
        while (same && at < len) {
            uint32_t want = ts_utf8_next(p, len, &at);
            same = k < n && ch[k].cp == (upper ? to_upper(want) : want);
            k++;
        }
        if (same && (k == n || !(is_letter(ch[k].cp) || is_digit(ch[k].cp))))
            return true;
    }
    return false;
}

static void keep_with_next(tch *c)
{
    if (c->brk == LINEBREAK_ALLOWBREAK)
        c->brk = LINEBREAK_NOBREAK;
}

/* After the start of the text, a space, a line break or a no-break space. */
static bool after_space(const tch *ch, size_t i)
{
    if (i == 0)
        return true;
    uint32_t p = ch[i - 1].cp;
    return ch[i - 1].kind == CH_SPACE || ch[i - 1].kind == CH_NEWLINE || ch[i - 1].kind == CH_ZW ||
           p == 0xA0 || p == 0x202F || p == 0x2009;
}

/* After an opening bracket or quotation mark. */
static bool after_opener(const tch *ch, size_t i)
{
    uint32_t p = i > 0 ? ch[i - 1].cp : 0;
    return p == '(' || p == '[' || p == '{' || p == '"' || p == '\'' || p == 0xAB || p == 0xBB ||
           (p >= 0x2018 && p <= 0x201F);
}

/* The end of the number whose digits start at i: a run of one to three digits that starts a
 * number takes every following group of exactly three digits after a space (grouping them
 * when group is set), then a decimal fraction. */
static size_t number_end(tch *ch, size_t i, size_t n, bool group)
{
    size_t end = i;
    while (end < n && is_digit(ch[end].cp))
        end++;
    /* Not a number's start after a letter, a slash, a full stop, a comma or a colon, nor after
     * a hyphen that joins it to a word ("COVID-19 130", "1.6.2020 100", "kello 10:30 100"). */
    uint32_t b = i > 0 ? ch[i - 1].cp : ' ';
    bool joined = b == '-' && i >= 2 && (is_letter(ch[i - 2].cp) || is_digit(ch[i - 2].cp));
    bool starts = !(is_letter(b) || b == '/' || b == '.' || b == ',' || b == ':' || joined);
    if (starts && end - i <= 3)
        while (end + 3 < n && is_number_space(ch[end].cp) && is_digit(ch[end + 1].cp) &&
               is_digit(ch[end + 2].cp) && is_digit(ch[end + 3].cp) &&
               (end + 4 == n || !is_digit(ch[end + 4].cp))) {
            if (group)
                keep_with_next(&ch[end]);
            end += 4;
        }
    if (end + 1 < n && (ch[end].cp == ',' || ch[end].cp == '.') && is_digit(ch[end + 1].cp))
        for (end++; end < n && is_digit(ch[end].cp);)
            end++;
    return end;
}

/* Finnish and Swedish write a negative number with the minus sign (U+2212), which a keyboard
 * does not have: the hyphen-minus at i, which starts a word (after a space, an opening bracket
 * or quotation mark, or at the start of the text) right before a number, is taken for one where
 * nothing else can be meant: when no letter follows the number ("-9,5 %", "(-12)"; not "-3D").
 * After a digit and a space ("2020 -2021", "10 -5") it is left alone: a range or a sum typed
 * with spaces reads no better with a minus.  A font without U+2212 keeps the hyphen.  UAX #14
 * breaks around the two alike here (never before the digit, as after a space or a bracket). */
static void minus_sign(ts_text_engine *e, size_t i, size_t n)
{
    tch *ch = e->ch;
    bool spaced = after_space(ch, i);
    if (!(spaced || after_opener(ch, i)) || (spaced && i >= 2 && is_digit(ch[i - 2].cp)))
        return;
    size_t end = number_end(ch, i + 1, n, false);
    if (end < n && is_letter(ch[end].cp))
        return;
    glyph_info gi = glyph(e, (ts_face)ch[i].face, 0x2212);
    if (gi.state != 1)
        return;
    ch[i].cp = 0x2212;
    ch[i].adv = gi.adv;
    ch[i].fallback = gi.fallback;
}

/* The typographer's pass over a paragraph after the line breaker (either of them, the fast
 * path included): the breaks UAX #14 allows but typography does not, and the minus sign.
 *
 * - A number's groups of digits ("1 130", "12 000 000") and the space before its unit ("12 000
 *   €", "9,5 %") do not break; a year before a count ("2020 130 hakemusta") is no group.
 * - A hyphen that starts a word and stands for a part left out ("ja -seloste", "esi- ja
 *   -kasvatus") stays with that word: UAX #14 allows a break after it, which its later versions
 *   (rule LB20a, Unicode 15.1) no longer do; libunibreak 1.1 predates that.
 * - fi, sv: a hyphen-minus that stands for a minus sign is drawn as one (minus_sign). */
static void typeset(ts_text_engine *e, size_t n, bool upper)
{
    tch *ch = e->ch;
    for (size_t i = 0; i < n;) {
        uint32_t c = ch[i].cp;
        /* Most characters are neither a digit nor a hyphen: passed with two comparisons. */
        if (c > '9' ? c != 0x2010 : c < '-') {
            i++;
            continue;
        }
        if (is_digit(c)) {
            size_t end = number_end(ch, i, n, true);
            if (end + 1 < n && is_number_space(ch[end].cp) && unit_at(ch, end + 1, n, upper))
                keep_with_next(&ch[end]);
            i = end;
            continue;
        }
        if ((c == '-' || c == 0x2010) && i + 1 < n) {
            if (is_letter(ch[i + 1].cp) && after_space(ch, i))
                keep_with_next(&ch[i]);
            else if (c == '-' && is_digit(ch[i + 1].cp) && ts_locale_of(e->lang)->minus_sign)
                minus_sign(e, i, n);
        }
        i++;
    }
}

/* Turns runs into e->ch[0..n) with faces, advances and break opportunities; returns n. */
static size_t prepare(ts_text_engine *e, const ts_run *runs, size_t n_runs,
                      const ts_text_style *style)
{
    size_t bytes = 0;
    for (size_t r = 0; r < n_runs; r++)
        bytes += runs[r].len;
    /* Never more characters than bytes; a re-encoded character takes at most 4 bytes (an
     * invalid byte becomes a 3-byte U+FFFD). */
    if (!GROW(e, ch, cap_ch, bytes + 1) || !GROW(e, breaking, cap_breaking, bytes + 1) ||
        !GROW(e, brks, cap_brks, bytes + 1))
        return 0;
    size_t n = 0;
    for (size_t r = 0; r < n_runs; r++) {
        const unsigned char *s = (const unsigned char *)runs[r].text;
        size_t len = runs[r].text ? runs[r].len : 0;
        ts_face face = face_of(style, runs[r].style);
        for (size_t i = 0; i < len;) {
            uint32_t cp = ts_utf8_next(s, len, &i);
            if (cp == 0)
                cp = 0xFFFD;
            if (style->upper)
                cp = to_upper(cp);
            tch *c = &e->ch[n++];
            c->cp = cp;
            c->run = (uint32_t)r;
            c->face = (uint8_t)face;
            c->kind = (uint8_t)kind_of(cp);
            c->missing = 0;
            c->fallback = 0;
            c->adv = 0;
            if (c->kind == CH_NORMAL || c->kind == CH_SPACE) {
                glyph_info gi = glyph(e, face, cp == '\t' ? ' ' : cp);
                if (gi.state == 2) {
                    c->missing = 1;
                    gi = e->repl[face];
                    warn_missing(e, runs[r].pos, cp);
                }
                c->adv = gi.adv;
                c->fallback = gi.fallback;
            }
            e->breaking[n - 1] = breaking_cp(cp);
        }
    }
    if (n == 0)
        return 0;
    if (!ts_text_simple_breaks(e->breaking, n, e->brks))
        set_linebreaks_utf32(e->breaking, n, ts_lang_name(e->lang), e->brks);
    for (size_t i = 0; i < n; i++)
        e->ch[i].brk = (uint8_t)e->brks[i];
    typeset(e, n, style->upper);
    e->ch[n - 1].brk = LINEBREAK_MUSTBREAK;
    return n;
}

/* ---- Line filling ---------------------------------------------------------------------- */

typedef struct filler {
    ts_text_engine *e;
    size_t n;
    double limit; /* 1/1000 em */
    /* The hyphenation points of the last word asked about, kept for its next lines. */
    size_t hy_start, hy_end, n_points;
    ts_hyph_point points[64];
} filler;

/* The hyphen a line break adds (after a hyphenation point, or where the text has a soft hyphen)
 * must read as nothing: the word is read whole.  ISO 32000-1 (14.8.2.2.3) has such a hyphen
 * stand as U+00AD in the text a reader extracts, so it is drawn as the font's soft hyphen where
 * that looks like its hyphen (the same font and advance: in most fonts the same outline).  A
 * font whose soft hyphen is blank or missing draws "-", and the reader gets U+00AD from an
 * /ActualText. */
typedef struct break_hyphen {
    uint32_t cp; /* what is drawn: U+00AD, '-', or the replacement mark */
    glyph_info gi;
    bool actual; /* the drawn character is not U+00AD: give it U+00AD as /ActualText */
} break_hyphen;

static break_hyphen break_hyphen_of(ts_text_engine *e, ts_face face)
{
    glyph_info hy = glyph(e, face, '-'), shy = glyph(e, face, 0xAD);
    if (hy.state != 1)
        return (break_hyphen){e->repl_cp[face], e->repl[face], true};
    if (shy.state == 1 && shy.fallback == hy.fallback && shy.adv == hy.adv)
        return (break_hyphen){0xAD, shy, false};
    return (break_hyphen){'-', hy, true};
}

static int32_t hyphen_adv(ts_text_engine *e, ts_face face)
{
    return break_hyphen_of(e, face).gi.adv;
}

static bool fits(const filler *f, int64_t units)
{
    return (double)units <= f->limit + 1e-6;
}

static bool push_range(ts_text_engine *e, size_t start, size_t end, bool hyphen)
{
    if (!GROW(e, ranges, cap_ranges, e->n_ranges + 1))
        return false;
    e->ranges[e->n_ranges++] = (line_range){start, end, hyphen};
    return true;
}

static bool is_break_after_char(uint32_t cp)
{
    return cp == '-' || cp == '/' || cp == 0x2010 || cp == 0x2013 || cp == 0x2014;
}

/* The first word of [s, we) does not fit: where to end the line, and whether to add "-". */
static size_t split_word(filler *f, size_t s, size_t we, bool *hyphen)
{
    ts_text_engine *e = f->e;
    const tch *ch = e->ch;
    size_t ce = we;
    while (ce > s + 1 && ch[ce - 1].kind != CH_NORMAL)
        ce--;
    *hyphen = false;

    /* A space that typography alone keeps, between a number's groups or before its unit (or a
     * no-break space), gives way first: "120 000" over "kävijää" reads better than a word
     * hyphenated or broken anywhere. */
    int64_t sw = 0;
    size_t after_space = s;
    for (size_t k = s; k < ce && fits(f, sw); k++) {
        uint32_t cp = ch[k].cp;
        bool kept = ch[k].kind == CH_SPACE || cp == 0xA0 || cp == 0x202F || cp == 0x2009;
        if (kept && k > s && fits(f, sw + (ch[k].kind == CH_SPACE ? 0 : ch[k].adv)))
            after_space = k + 1;
        sw += ch[k].adv;
    }
    if (after_space > s)
        return after_space;

    /* The letters of the word, without the punctuation around it. */
    size_t ls = s, le = ce;
    while (ls > 0 && is_letter(ch[ls - 1].cp) && ch[ls - 1].brk == LINEBREAK_NOBREAK)
        ls--; /* the word began on an earlier line (split there already) */
    while (ls < le && !is_letter(ch[ls].cp))
        ls++;
    while (le > ls && !is_letter(ch[le - 1].cp))
        le--;
    if (le - ls >= 4 && e->lang != TS_LANG_EN) {
        if (f->hy_start != ls || f->hy_end != le) {
            f->n_points = 0;
            f->hy_start = ls;
            f->hy_end = le;
            if (GROW(e, word, cap_word, le - ls)) {
                for (size_t i = ls; i < le; i++)
                    e->word[i - ls] = ch[i].cp;
                f->n_points = ts_hyph_points(e->hyph, e->word, le - ls, f->points, 64);
            }
        }
        size_t best = 0, seam = 0;
        bool best_hyphen = false, seam_hyphen = false;
        int64_t w = 0, seam_w = 0;
        size_t k = s, p = 0;
        /* Walk the word once, checking each point after s in order; keep the last that fits,
         * and the last seam of a compound that fits. */
        while (p < f->n_points && ls + f->points[p].index <= s)
            p++;
        for (; p < f->n_points; p++) {
            size_t at = ls + f->points[p].index;
            while (k < at) {
                w += ch[k].adv;
                k++;
            }
            bool add = f->points[p].add_hyphen;
            int64_t need = w + (add ? hyphen_adv(e, (ts_face)ch[at - 1].face) : 0);
            if (!fits(f, need))
                break;
            if (!is_extend(ch[at].cp)) {
                best = at;
                best_hyphen = add;
                if (f->points[p].seam) {
                    seam = at;
                    seam_hyphen = add;
                    seam_w = need;
                }
            }
        }
        /* A compound breaks between its parts ("kaupunki-strategian", not "kaupunkistra-
         * tegian") unless that leaves the line less than half full. */
        if (seam > s && (double)seam_w * 2 >= f->limit) {
            *hyphen = seam_hyphen;
            return seam;
        }
        if (best > s) {
            *hyphen = best_hyphen;
            return best;
        }
    }

    /* After a hyphen or slash that UAX #14 does not break after (before a digit, say). */
    int64_t w = 0;
    size_t last_fit = s, after_hyphen = s;
    for (size_t k = s; k < ce; k++) {
        w += ch[k].adv;
        if (!fits(f, w))
            break;
        if (k + 1 < ce && !is_extend(ch[k + 1].cp) && ch[k].cp != 0x200D) {
            last_fit = k + 1;
            if (is_break_after_char(ch[k].cp) && k > s)
                after_hyphen = k + 1;
        }
    }
    if (after_hyphen > s)
        return after_hyphen;
    if (last_fit > s)
        return last_fit;
    /* Not even one cluster fits: it goes alone on its line. */
    size_t k = s + 1;
    while (k < we && is_extend(ch[k].cp))
        k++;
    return k;
}

/* The width of [a, b) without what is invisible at its end. */
static int64_t visible_width(const tch *ch, size_t a, size_t b)
{
    int64_t w = 0, wvis = 0;
    for (size_t i = a; i < b; i++) {
        w += ch[i].adv;
        if (ch[i].kind == CH_NORMAL)
            wvis = w;
    }
    return wvis;
}

/* A last line holding one short word alone reads badly: the word before it moves down when
 * both then fit and the line above stays at least half full. */
static void avoid_runt(filler *f)
{
    ts_text_engine *e = f->e;
    if (e->n_ranges < 2)
        return;
    line_range *prev = &e->ranges[e->n_ranges - 2], *last = &e->ranges[e->n_ranges - 1];
    const tch *ch = e->ch;
    if (prev->hyphen || ch[prev->end - 1].brk != LINEBREAK_ALLOWBREAK ||
        ch[prev->end - 1].kind == CH_SHY)
        return;
    for (size_t i = last->start; i + 1 < last->end; i++)
        if (ch[i].brk != LINEBREAK_NOBREAK)
            return; /* more than one word */
    if ((double)visible_width(ch, last->start, last->end) * 3 >= f->limit)
        return;
    size_t b = prev->end - 1;
    while (b > prev->start && ch[b - 1].brk != LINEBREAK_ALLOWBREAK)
        b--;
    if (b <= prev->start || ch[b - 1].kind == CH_SHY)
        return;
    if (!fits(f, visible_width(ch, b, last->end)) ||
        (double)visible_width(ch, prev->start, b) * 2 < f->limit)
        return;
    prev->end = b;
    last->start = b;
}

/* Fills e->ranges with the lines of e->ch[0..n). */
static bool fill_lines(ts_text_engine *e, size_t n, double width, double size)
{
    e->n_ranges = 0;
    filler f = {.e = e,
                .n = n,
                .limit = size > 0 ? width * 1000.0 / size : 0,
                .hy_start = SIZE_MAX,
                .hy_end = SIZE_MAX};
    const tch *ch = e->ch;
    size_t s = 0;
    while (s < n) {
        int64_t w = 0, wvis = 0;
        size_t best = s, i;
        for (i = s; i < n; i++) {
            w += ch[i].adv;
            if (ch[i].kind == CH_NORMAL)
                wvis = w;
            if (!fits(&f, wvis))
                break;
            if (ch[i].brk == LINEBREAK_MUSTBREAK) {
                best = i + 1;
                break;
            }
            if (ch[i].brk == LINEBREAK_ALLOWBREAK) {
                if (ch[i].kind == CH_SHY && !fits(&f, wvis + hyphen_adv(e, ch[i].face)))
                    continue;
                best = i + 1;
            }
        }
        if (best > s) {
            if (!push_range(e, s, best, false))
                return false;
            s = best;
            continue;
        }
        size_t we = s;
        while (we < n && ch[we].brk != LINEBREAK_ALLOWBREAK && ch[we].brk != LINEBREAK_MUSTBREAK)
            we++;
        we = we < n ? we + 1 : n;
        bool hyphen;
        size_t end = split_word(&f, s, we, &hyphen);
        if (!push_range(e, s, end, hyphen))
            return false;
        s = end;
    }
    avoid_runt(&f);
    return true;
}

/* ---- Segments -------------------------------------------------------------------------- */

static uint32_t drawn_cp(const ts_text_engine *e, const tch *c)
{
    if (c->missing)
        return e->repl_cp[c->face];
    return c->cp == '\t' ? ' ' : c->cp;
}

/* Starts a segment like `like` at x (1/1000 em) in e->segs, its text at buf + *used; the
 * text of prev, the segment before it, ends there with a NUL.  NULL when out of memory. */
static ts_seg *new_seg(ts_text_engine *e, ts_seg *prev, char *buf, size_t *used, int64_t x,
                       double size, ts_seg like)
{
    if (prev != NULL)
        buf[(*used)++] = '\0';
    if (!GROW(e, segs, cap_segs, e->n_segs + 1))
        return NULL;
    ts_seg *seg = &e->segs[e->n_segs++];
    like.text = buf + *used;
    like.x = (double)x * size / 1000.0;
    like.size = size;
    *seg = like;
    return seg;
}

/* Whether ch[i] is the first character of its run that a line draws (none before it in the
 * run but a zero-width character, a line break or a soft hyphen, which are not drawn). */
static bool first_drawn_of_run(const tch *ch, size_t i)
{
    for (size_t k = i; k-- > 0 && ch[k].run == ch[i].run;)
        if (ch[k].kind != CH_ZW && ch[k].kind != CH_NEWLINE && ch[k].kind != CH_SHY)
            return false;
    return true;
}

/* Builds the segments of line r into e->segs from index e->n_segs; returns the line's width in
 * 1/1000 em, or -1 when out of memory.  read_as is NULL, or for each run NULL or what a reader
 * gets for it instead of what is drawn (ts_layout_inline_read). */
static int64_t build_segs(ts_text_engine *e, ts_arena *a, const ts_run *runs,
                          const char *const *read_as, const line_range *r, double size)
{
    const tch *ch = e->ch;
    size_t ve = r->end;
    while (ve > r->start && ch[ve - 1].kind != CH_NORMAL && ch[ve - 1].kind != CH_SHY)
        ve--;
    bool shy_end = ve > r->start && ch[ve - 1].kind == CH_SHY && ve == r->end;
    if (ve > r->start && ch[ve - 1].kind == CH_SHY && !shy_end)
        ve--; /* a soft hyphen followed by spaces is just invisible */
    size_t cap = (r->end - r->start) * 4 + (r->end - r->start) + 16;
    char *buf = ts_arena_alloc(a, cap);
    if (buf == NULL)
        return -1;
    size_t used = 0;
    int64_t x = 0;
    ts_seg *seg = NULL;
    int64_t seg_x0 = 0;
    bool seg_read = false; /* seg is of a run read as something else ... */
    uint32_t seg_run = 0;  /* ... this one */
    for (size_t i = r->start; i < ve; i++) {
        const tch *c = &ch[i];
        int32_t adv = c->adv;
        uint8_t face = c->face, fb = c->fallback, missing = c->missing;
        if (c->kind == CH_ZW || c->kind == CH_NEWLINE || c->kind == CH_SHY)
            continue; /* a soft hyphen at the line end is drawn below */
        uint32_t cp = drawn_cp(e, c);
        const char *href = runs[c->run].href;
        /* A run read as something else is a segment of its own on each line it stands on; its
         * first carries the reading, the rest read as nothing, so that it is read once. */
        const char *reads = read_as != NULL ? read_as[c->run] : NULL;
        bool same = seg != NULL && seg->face == (ts_face)face && seg->fallback == (fb != 0) &&
                    seg->href == href &&
                    (reads != NULL || seg_read ? reads != NULL && seg_read && seg_run == c->run
                                               : (seg->actual != NULL) == (missing != 0));
        if (!same) {
            const char *actual = missing ? "" : NULL;
            if (reads != NULL)
                actual = first_drawn_of_run(ch, i) ? reads : "";
            seg = new_seg(e, seg, buf, &used, x, size,
                          (ts_seg){.face = (ts_face)face,
                                   .fallback = fb != 0,
                                   .href = href,
                                   .pos = runs[c->run].pos,
                                   .actual = actual,
                                   .actual_len = reads != NULL ? strlen(actual) : 0});
            if (seg == NULL)
                return -1;
            seg_x0 = x;
            seg_read = reads != NULL;
            seg_run = c->run;
        }
        used += ts_utf8_put(buf + used, cp);
        seg->len = (size_t)(buf + used - seg->text);
        x += adv;
        seg->width = (double)(x - seg_x0) * size / 1000.0;
        if (missing && !seg_read) {
            /* The original characters, for /ActualText. */
            char orig[4];
            size_t ol = ts_utf8_put(orig, c->cp);
            char *na = ts_arena_alloc(a, seg->actual_len + ol + 1);
            if (na == NULL)
                return -1;
            memcpy(na, seg->actual, seg->actual_len);
            memcpy(na + seg->actual_len, orig, ol);
            seg->actual_len += ol;
            na[seg->actual_len] = '\0';
            seg->actual = na;
        }
    }
    if (r->hyphen || shy_end) {
        const tch *c = &ch[ve > r->start ? ve - 1 : r->start];
        break_hyphen h = break_hyphen_of(e, (ts_face)c->face);
        /* The hyphen of a run read as something else is part of what the reading replaces. */
        bool read = read_as != NULL && read_as[c->run] != NULL;
        const char *actual = read ? "" : h.actual ? "\xC2\xAD" : NULL;
        bool same = actual == NULL && seg != NULL && seg->face == (ts_face)c->face &&
                    seg->fallback == (h.gi.fallback != 0) && seg->actual == NULL &&
                    seg->href == runs[c->run].href;
        if (!same) {
            seg = new_seg(e, seg, buf, &used, x, size,
                          (ts_seg){.face = (ts_face)c->face,
                                   .fallback = h.gi.fallback != 0,
                                   .href = runs[c->run].href,
                                   .pos = runs[c->run].pos,
                                   .actual = actual,
                                   .actual_len = actual ? strlen(actual) : 0});
            if (seg == NULL)
                return -1;
            seg_x0 = x;
        }
        used += ts_utf8_put(buf + used, h.cp);
        seg->len = (size_t)(buf + used - seg->text);
        x += h.gi.adv;
        seg->width = (double)(x - seg_x0) * size / 1000.0;
    }
    /* The space (or line break) the line was broken at stays at the end of the text, so that the
     * lines read right when a reader joins them; it is not drawn visibly nor measured. */
    size_t trailing = 0;
    for (size_t i = ve; i < r->end; i++)
        if (ch[i].kind == CH_SPACE || ch[i].kind == CH_NEWLINE)
            trailing++;
    if (trailing > 0) {
        if (seg == NULL) {
            const tch *c = &ch[r->start];
            seg = new_seg(e, NULL, buf, &used, 0, size,
                          (ts_seg){.face = (ts_face)c->face,
                                   .fallback = c->fallback != 0,
                                   .href = runs[c->run].href,
                                   .pos = runs[c->run].pos});
            if (seg == NULL)
                return -1;
        }
        buf[used++] = ' ';
        seg->len = (size_t)(buf + used - seg->text);
        if (seg->actual != NULL) {
            char *na = ts_arena_alloc(a, seg->actual_len + 2);
            if (na == NULL)
                return -1;
            memcpy(na, seg->actual, seg->actual_len);
            na[seg->actual_len++] = ' ';
            na[seg->actual_len] = '\0';
            seg->actual = na;
        }
    }
    if (seg != NULL)
        buf[used++] = '\0';
    return x;
}

/* ---- Flows ----------------------------------------------------------------------------- */

typedef struct builder {
    ts_text_engine *e;
    ts_arena *a;
    const char *const *read_as; /* NULL, or the readings of the runs (ts_layout_inline_read) */
    const ts_text_style *style;
    double width;
    double leading, baseline_offset;
    double y; /* top of the next line */
} builder;

static void builder_init(builder *b, ts_text_engine *e, ts_arena *a, const ts_text_style *style,
                         double width)
{
    *b = (builder){.e = e, .a = a, .style = style, .width = width};
    e->n_segs = e->n_lines = e->n_nodes = 0;
    e->oom = false;
    double size = style->size;
    b->leading = style->leading > 0 ? style->leading : size * 1.2;
    const ts_font_metrics *fm = e->fonts.face[face_of(style, 0)];
    double asc = fm ? ts_fm_ascent(fm) : 800, desc = fm ? ts_fm_descent(fm) : -200;
    double content = (asc - desc) * size / 1000.0;
    /* The font's ascent-to-descent box centred in the leading, as CSS places a line box. */
    b->baseline_offset = (b->leading - content) / 2 + asc * size / 1000.0;
}

/* Before a block or item: the gap after the line above it. */
static void builder_gap(builder *b, double gap)
{
    if (b->e->n_lines == 0)
        return;
    ts_line *last = &b->e->lines[b->e->n_lines - 1].line;
    last->space_after = gap;
    b->y = last->top + last->height + gap;
}

static size_t add_node(builder *b, ts_node_kind kind, size_t parent, ts_pos pos)
{
    ts_text_engine *e = b->e;
    if (!GROW(e, nodes, cap_nodes, e->n_nodes + 1))
        return SIZE_MAX;
    pending_node *n = &e->nodes[e->n_nodes];
    *n = (pending_node){.node = {.kind = kind, .id = e->n_nodes, .pos = pos}, .parent = parent};
    return e->n_nodes++;
}

/* Lays out runs as the lines of one node, at x (pt) in width - x. */
static bool add_text(builder *b, const ts_run *runs, size_t n_runs, size_t node, double x,
                     double label_x)
{
    ts_text_engine *e = b->e;
    size_t n = prepare(e, runs, n_runs, b->style);
    if (e->oom)
        return false;
    if (n == 0)
        return true;
    if (!fill_lines(e, n, b->width - x, b->style->size))
        return false;
    for (size_t i = 0; i < e->n_ranges; i++) {
        size_t first_seg = e->n_segs;
        int64_t units = build_segs(e, b->a, runs, b->read_as, &e->ranges[i], b->style->size);
        if (units < 0 || !GROW(e, lines, cap_lines, e->n_lines + 1)) {
            e->oom = true;
            return false;
        }
        if (i > 0)
            builder_gap(b, 0);
        pending_line *pl = &e->lines[e->n_lines++];
        pl->first_seg = first_seg;
        pl->n_segs = e->n_segs - first_seg;
        pl->node = node;
        pl->line = (ts_line){.first_of_node = i == 0,
                             .x = x,
                             .label_x = label_x,
                             .width = (double)units * b->style->size / 1000.0,
                             .top = b->y,
                             .baseline = b->y + b->baseline_offset,
                             .height = b->leading};
    }
    e->lines[e->n_lines - 1].line.last_of_node = true;
    return true;
}

/* A line that only carries an item's label (an item with no text of its own but a sublist). */
static bool add_label_line(builder *b, size_t node, double x, double label_x)
{
    ts_text_engine *e = b->e;
    if (!GROW(e, lines, cap_lines, e->n_lines + 1))
        return false;
    pending_line *pl = &e->lines[e->n_lines++];
    *pl = (pending_line){.first_seg = e->n_segs, .node = node};
    pl->line = (ts_line){.first_of_node = true,
                         .last_of_node = true,
                         .x = x,
                         .label_x = label_x,
                         .top = b->y,
                         .baseline = b->y + b->baseline_offset,
                         .height = b->leading};
    return true;
}

static const ts_flow *finish(builder *b)
{
    ts_text_engine *e = b->e;
    if (e->oom)
        return NULL;
    ts_flow *f = ts_arena_calloc(b->a, 1, sizeof *f);
    ts_node *nodes = e->n_nodes ? ts_arena_calloc(b->a, e->n_nodes, sizeof *nodes) : NULL;
    ts_line *lines = e->n_lines ? ts_arena_calloc(b->a, e->n_lines, sizeof *lines) : NULL;
    ts_seg *segs = e->n_segs ? ts_arena_calloc(b->a, e->n_segs, sizeof *segs) : NULL;
    if (f == NULL || (e->n_nodes && !nodes) || (e->n_lines && !lines) || (e->n_segs && !segs))
        return NULL;
    if (e->n_segs)
        memcpy(segs, e->segs, e->n_segs * sizeof *segs);
    for (size_t i = 0; i < e->n_nodes; i++) {
        nodes[i] = e->nodes[i].node;
        nodes[i].parent = e->nodes[i].parent == SIZE_MAX ? NULL : &nodes[e->nodes[i].parent];
    }
    for (size_t i = 0; i < e->n_lines; i++) {
        lines[i] = e->lines[i].line;
        lines[i].segs = e->lines[i].n_segs ? segs + e->lines[i].first_seg : NULL;
        lines[i].n_segs = e->lines[i].n_segs;
        lines[i].node = &nodes[e->lines[i].node];
    }
    if (e->n_lines > 0) {
        lines[e->n_lines - 1].space_after = b->style->space_after;
        f->height = lines[e->n_lines - 1].top + lines[e->n_lines - 1].height;
    }
    f->lines = lines;
    f->n_lines = e->n_lines;
    f->nodes = nodes;
    f->n_nodes = e->n_nodes;
    f->width = b->width;
    f->style = b->style;
    return f;
}

static bool inline_empty(const ts_inline *t)
{
    for (size_t i = 0; i < t->n_runs; i++)
        if (t->runs[i].text != NULL && t->runs[i].len > 0)
            return false;
    return true;
}

static bool add_paragraph(builder *b, const ts_inline *text, ts_pos pos, double gap)
{
    if (inline_empty(text))
        return true;
    builder_gap(b, gap);
    size_t node = add_node(b, TS_NODE_P, SIZE_MAX, pos);
    if (node == SIZE_MAX)
        return false;
    return add_text(b, text->runs, text->n_runs, node, 0, 0);
}

const ts_flow *ts_layout_inline(ts_text_engine *e, ts_arena *a, const ts_inline *text,
                                const ts_text_style *style, double width)
{
    return ts_layout_inline_read(e, a, text, NULL, style, width);
}

const ts_flow *ts_layout_inline_read(ts_text_engine *e, ts_arena *a, const ts_inline *text,
                                     const char *const *read_as, const ts_text_style *style,
                                     double width)
{
    builder b;
    builder_init(&b, e, a, style, width);
    b.read_as = read_as;
    if (text != NULL && !add_paragraph(&b, text, text->pos, 0))
        e->oom = true;
    return finish(&b);
}

const ts_flow *ts_layout_plain(ts_text_engine *e, ts_arena *a, const char *text,
                               const ts_text_style *style, double width)
{
    ts_run run = {.text = text ? text : "", .len = text ? strlen(text) : 0};
    ts_inline in = {.runs = &run, .n_runs = 1};
    return ts_layout_inline(e, a, &in, style, width);
}

double ts_measure_plain(ts_text_engine *e, const char *text, const ts_text_style *style)
{
    if (text == NULL)
        return 0;
    ts_run run = {.text = text, .len = strlen(text)};
    size_t n = prepare(e, &run, 1, style);
    int64_t w = 0, wvis = 0, widest = 0;
    for (size_t i = 0; i < n; i++) {
        w += e->ch[i].adv;
        if (e->ch[i].kind == CH_NORMAL)
            wvis = w;
        if (e->ch[i].kind == CH_NEWLINE && e->ch[i].brk == LINEBREAK_MUSTBREAK) {
            widest = wvis > widest ? wvis : widest;
            w = wvis = 0;
        }
    }
    widest = wvis > widest ? wvis : widest;
    return (double)widest * style->size / 1000.0;
}

/* ---- Lists ----------------------------------------------------------------------------- */

static bool item_empty(const ts_list_item *it)
{
    return inline_empty(&it->text) && (it->sublist == NULL || it->sublist->n_items == 0);
}

static const char *bullet(ts_text_engine *e, const ts_text_style *style, int level)
{
    if (level <= 1)
        return "\xE2\x80\xA2"; /* • */
    if (level == 2)
        return "\xE2\x80\x93";                                                         /* – */
    return ts_text_pick(e, face_of(style, 0), 0x25E6) == TS_PICK_MAIN ? "\xE2\x97\xA6" /* ◦ */
                                                                      : "\xE2\x80\x93";
}

static bool add_list(builder *b, const ts_block *list, size_t parent, int level, double label_x,
                     double gap)
{
    ts_text_engine *e = b->e;
    const ts_text_style *st = b->style;
    bool ordered = list->kind == TS_BLOCK_OL;
    size_t n_items = 0;
    for (size_t i = 0; i < list->n_items; i++)
        n_items += !item_empty(&list->items[i]);
    if (n_items == 0)
        return true;

    /* The label column: the style's indent, widened when a label ("12.") needs more. */
    const char *bul = bullet(e, st, level);
    double widest = 0;
    if (ordered) {
        char num[24];
        for (size_t k = 1; k <= n_items; k++) {
            snprintf(num, sizeof num, "%zu.", k);
            double w = ts_measure_plain(e, num, st);
            widest = w > widest ? w : widest;
        }
    } else {
        widest = ts_measure_plain(e, bul, st);
    }
    double gap_w = ts_measure_plain(e, "\xC2\xA0", st);
    double column = widest + (gap_w > 0 ? gap_w : st->size * 0.25);
    if (st->indent > column)
        column = st->indent;
    double text_x = label_x + column;

    builder_gap(b, gap);
    size_t lnode = add_node(b, TS_NODE_L, parent, list->pos);
    if (lnode == SIZE_MAX)
        return false;
    e->nodes[lnode].node.ordered = ordered;
    size_t number = 0;
    for (size_t i = 0; i < list->n_items; i++) {
        const ts_list_item *it = &list->items[i];
        if (item_empty(it))
            continue;
        number++;
        if (number > 1)
            builder_gap(b, st->item_space);
        size_t inode = add_node(b, TS_NODE_LI, lnode, it->pos);
        if (inode == SIZE_MAX)
            return false;
        const char *label = ordered ? ts_arena_printf(b->a, "%zu.", number) : bul;
        if (label == NULL)
            return false;
        e->nodes[inode].node.label = label;
        if (!inline_empty(&it->text)) {
            if (!add_text(b, it->text.runs, it->text.n_runs, inode, text_x, label_x))
                return false;
        } else if (!add_label_line(b, inode, text_x, label_x)) {
            return false;
        }
        if (it->sublist != NULL &&
            !add_list(b, it->sublist, inode, level + 1, text_x, st->item_space))
            return false;
    }
    return true;
}

const ts_flow *ts_layout_blocks(ts_text_engine *e, ts_arena *a, const ts_blocks *blocks,
                                const ts_text_style *style, double width)
{
    builder b;
    builder_init(&b, e, a, style, width);
    double gap =
        style->space_after > style->space_before ? style->space_after : style->space_before;
    for (size_t i = 0; blocks != NULL && i < blocks->n && !e->oom; i++) {
        const ts_block *bl = &blocks->blocks[i];
        bool ok = bl->kind == TS_BLOCK_P ? add_paragraph(&b, &bl->text, bl->pos, gap)
                                         : add_list(&b, bl, SIZE_MAX, 1, 0, gap);
        if (!ok)
            e->oom = true;
    }
    return finish(&b);
}

/* ---- Frames ---------------------------------------------------------------------------- */

double ts_flow_span_height(const ts_flow *f, size_t first, size_t end)
{
    if (f == NULL || end > f->n_lines)
        end = f ? f->n_lines : 0;
    if (first >= end)
        return 0;
    return f->lines[end - 1].top + f->lines[end - 1].height - f->lines[first].top;
}

size_t ts_flow_fit(const ts_flow *f, size_t first, double height)
{
    if (f == NULL || first >= f->n_lines)
        return 0;
    size_t end = first + 1;
    while (end < f->n_lines && ts_flow_span_height(f, first, end + 1) <= height + 1e-6)
        end++;
    return end - first;
}

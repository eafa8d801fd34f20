/* The table import (import_table.h): a division's strategy-measure table -> a new round.
 *
 * The work goes in three passes over the table's sheet: the head row is found and its columns
 * known; the rows under it are cut into measures (a row continued in the rows below is one
 * measure) and each measure's cells are read into records, the themes, goals and programmes
 * made as they are first named; then the round is put together from the records, with what
 * the options and the table say of the round itself, and the XML comments that say what was
 * inferred.  How a cell's text is read into the model is import_text.h's. */
#define _GNU_SOURCE /* getrandom */
#include "book/import_table.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "book/import_text.h"
#include "book/internal.h"
#include "round/roundwrite.h"
#include "core/utf8.h"

/* The head row is looked for in the first this many rows of a sheet (workbook-form.md §2). */
enum { HEAD_ROWS = 20 };

/* A measure's name made from the words of its text: at most this many words and bytes.  A name
 * is a deck's title, read at a glance. */
enum { NAME_WORDS = 5, NAME_BYTES = 60 };

/* An id made from a name: at most this many bytes, cut between words. */
enum { ID_BYTES = 32 };

/* ---- The columns ------------------------------------------------------------------------- */

typedef enum colkind {
    COL_THEME,
    COL_GOAL,
    COL_MEASURE,
    COL_RECOVERY,
    COL_FORECAST, /* one column per round */
    COL_COMMENT,
    COL_VALUE,
    COL_LINKS,
    COL_RISKS,
    COL_KINDS
} colkind;

static const char *const col_keys[COL_KINDS] = {
    "col.theme",   "col.goal",  "col.measure", "col.recovery", "col.forecast",
    "col.comment", "col.value", "col.links",   "slide.risks",
};

/* Heads that real tables use besides our own workbook's (the label files'): the seeds' own
 * spellings and the short forms a person types.  By language (fi, sv, en); written as a person
 * writes them, compared as the heads are (without case, spaces or line breaks).  A head that
 * ends in "*" is matched by its beginning ("Kytkeytyminen …"). */
typedef struct head_word {
    colkind kind;
    ts_lang lang;
    const char *text;
} head_word;

static const head_word extra_heads[] = {
    {COL_THEME, TS_LANG_FI, "Teema"},
    {COL_THEME, TS_LANG_SV, "Tema"},
    {COL_THEME, TS_LANG_EN, "Theme"},
    {COL_GOAL, TS_LANG_FI, "Sitova tavoite"},
    {COL_GOAL, TS_LANG_SV, "Bindande mål"},
    {COL_GOAL, TS_LANG_EN, "Binding goal"},
    {COL_MEASURE, TS_LANG_FI, "Sitovan toiminnan tavoitteen mittari"},
    {COL_MEASURE, TS_LANG_SV, "Mätare för bindande verksamhetsmål"},
    {COL_MEASURE, TS_LANG_EN, "Measure of the binding operational goal"},
    {COL_RECOVERY, TS_LANG_FI, "Palautusmittari"}, /* seed 003 */
    {COL_COMMENT, TS_LANG_FI, "Kommentti"},
    {COL_COMMENT, TS_LANG_SV, "Kommentar"},
    {COL_COMMENT, TS_LANG_EN, "Comment"},
    {COL_VALUE, TS_LANG_FI, "Numeerinen ennuste"},
    {COL_VALUE, TS_LANG_SV, "Numerisk prognos"},
    {COL_VALUE, TS_LANG_EN, "Numeric forecast"},
    {COL_LINKS, TS_LANG_FI, "Kytkeytyminen*"},
    {COL_LINKS, TS_LANG_SV, "Koppling*"},
    {COL_LINKS, TS_LANG_EN, "Links*"},
    {COL_RISKS, TS_LANG_FI, "Riskit"},
    {COL_RISKS, TS_LANG_SV, "Risker"},
    {COL_RISKS, TS_LANG_EN, "Risks"},
};

/* ---- Words in cells ---------------------------------------------------------------------- */

/* The words a forecast cell starts with, besides the label files' status words: the seeds'
 * phrasings and the round file's own values. */
typedef struct status_word {
    ts_status status;
    const char *text;
} status_word;

static const status_word start_words[] = {
    {TS_STATUS_ACHIEVED, "tavoite saavutettu"},
    {TS_STATUS_ACHIEVED, "tavoite on saavutettu"},
    {TS_STATUS_ACHIEVED, "saavutettu"},
    {TS_STATUS_ON_TRACK, "on toteutumassa"},
    {TS_STATUS_ON_TRACK, "toteutumassa"},
    {TS_STATUS_AT_RISK, "toteutuminen on epävarma"},
    {TS_STATUS_AT_RISK, "pienellä varauksella"},
    {TS_STATUS_OFF_TRACK, "tavoite ei toteudu"},
    {TS_STATUS_ON_TRACK, "on-track"},
    {TS_STATUS_ACHIEVED, "achieved"},
    {TS_STATUS_AT_RISK, "at-risk"},
    {TS_STATUS_OFF_TRACK, "off-track"},
};

/* What a forecast told in words says of its status (the 2020 tables, seed 002: "Ennusteen
 * mukaan tavoite on toteutumassa."), found anywhere in its text.  When a text says several, the
 * worst is taken: a forecast that names a risk is at risk. */
static const status_word narrative_words[] = {
    {TS_STATUS_OFF_TRACK, "ei toteudu"},
    {TS_STATUS_OFF_TRACK, "ei ole toteutumassa"},
    {TS_STATUS_OFF_TRACK, "ei tulla saavuttamaan"},
    {TS_STATUS_OFF_TRACK, "ei tule toteutumaan"},
    {TS_STATUS_OFF_TRACK, "ei saavuteta"},
    {TS_STATUS_OFF_TRACK, "uppnås inte"},
    {TS_STATUS_OFF_TRACK, "not met"},
    {TS_STATUS_OFF_TRACK, "will not be met"},
    {TS_STATUS_AT_RISK, "epävarma"},
    {TS_STATUS_AT_RISK, "pienellä varauksella"},
    {TS_STATUS_AT_RISK, "osäkert"},
    {TS_STATUS_AT_RISK, "at risk"},
    {TS_STATUS_ON_TRACK, "on toteutumassa"},
    {TS_STATUS_ON_TRACK, "toteutuu"},
    {TS_STATUS_ON_TRACK, "toteutumaan"},
    {TS_STATUS_ON_TRACK, "tullaan saavuttamaan"},
    {TS_STATUS_ON_TRACK, "saavutetaan"},
    {TS_STATUS_ON_TRACK, "ennustetaan toteutuvan"},
    {TS_STATUS_ON_TRACK, "uppnås"},
    {TS_STATUS_ON_TRACK, "on track"},
    {TS_STATUS_ACHIEVED, "saavutettu"},
    {TS_STATUS_ACHIEVED, "saavutettiin"},
    {TS_STATUS_ACHIEVED, "toteutunut"},
    {TS_STATUS_ACHIEVED, "uppnått"},
    {TS_STATUS_ACHIEVED, "achieved"},
};

/* How bad a status is, for "the worst is taken". */
static int badness(ts_status s)
{
    switch (s) {
    case TS_STATUS_OFF_TRACK:
        return 4;
    case TS_STATUS_AT_RISK:
        return 3;
    case TS_STATUS_ON_TRACK:
        return 2;
    case TS_STATUS_ACHIEVED:
        return 1;
    default:
        return 0;
    }
}

/* Names that are no measure's name although a colon follows them ("Mittari: …"). */
static const char *const generic_names[] = {"mittari",   "mittarit", "mätare", "measure",
                                            "indicator", "tavoite",  "mål",    "goal",
                                            "huom",      "obs",      "note",   "riskit"};

/* The words of the round that the table cannot give, when no option does: stated in a warning
 * and an XML comment, for a person to replace. */
static const char *const default_city[3] = {"Kaupunki", "Staden", "City"};
static const char *const default_division[3] = {"Toimiala", "Sektorn", "Division"};
static const char *const default_theme[3] = {"Nimeämätön teema", "Namnlöst tema", "Unnamed theme"};
static const char *const default_goal[3] = {"Nimeämätön tavoite", "Namnlöst mål", "Unnamed goal"};

/* ---- The records ------------------------------------------------------------------------- */

typedef struct theme_rec {
    ts_inline name;
    const char *id;
    uint32_t row, col;
} theme_rec;

typedef struct goal_rec {
    size_t theme;
    ts_inline statement;
    ts_blocks description;
    const char *id;
    const char *how; /* how the statement was found, for its XML comment; NULL: bold words */
    uint32_t row, col;
    size_t n_measures;
} goal_rec;

typedef struct prog_rec {
    ts_inline name;
    const char *id;
    ts_programme_kind kind;
    bool kind_known; /* from a summary sheet; else made a joint theme, with a warning */
    uint32_t row, col;
} prog_rec;

typedef struct fc_rec {
    bool present;  /* a forecast of this round */
    bool reported; /* the cell holds a forecast, read or not (for the round's number) */
    ts_status status;
    ts_blocks text;
    const char *phrase;  /* the words the status was read from, when inferred; NULL: its word */
    const char *unknown; /* the text of a cell whose status could not be read */
    bool not_reported;   /* ... or that says "not reported" before it */
    uint32_t row, col;
} fc_rec;

typedef struct meas_rec {
    size_t goal;
    const char *id;
    uint32_t first, last; /* its rows */
    ts_inline name;
    const char *name_how; /* how the name was found, for its XML comment; NULL: bold words */
    ts_blocks text;
    bool recovery;
    fc_rec fc[4];
    ts_blocks comment, risks;
    bool has_value, has_level;
    double value, level;
    const char *unit;
    const char *value_text; /* the value cell as written, for the comments */
    const char *value_lost; /* a value left out, and why, for the measure's comment */
    uint32_t value_row, value_col;
    size_t *links; /* programme indices */
    size_t n_links;
} meas_rec;

/* ---- The import's state ------------------------------------------------------------------ */

/* A head the import knows, as it is compared (head_key). */
typedef struct known_head {
    colkind kind;
    int lang;
    const char *key;
    bool prefix; /* matched by its beginning */
} known_head;

enum { N_KNOWN_HEADS = 3 * COL_KINDS + sizeof extra_heads / sizeof extra_heads[0] };

/* No head is longer than this: a longer cell is read as no head without being compared. */
enum { MAX_HEAD_BYTES = 400 };

typedef struct imp {
    ti_ctx x; /* the round's arena, the import's scratch, and whether memory ran out */
    const ts_wbr_book *wb;
    const ts_labels *const *labels;
    const ts_table_options *opt;
    ts_diags *diags;
    uint64_t key[2];

    known_head heads[N_KNOWN_HEADS]; /* the label files' heads, then extra_heads */
    size_t n_heads;
    const char *status_low[3][5]; /* [lang][ts_status]: the status words in lower case */

    ts_sheet_ref *refs; /* a place's sheet, one per sheet of the workbook, in the round's arena */

    const ts_wbr_sheet *sheet;
    uint32_t head_row;
    int col[COL_KINDS]; /* the column of each kind, -1 when the table has none */
    int fcol[4];        /* [round]: the column of Ennuste round/year, -1 */
    int fyear[4];       /* [round]: the year its head names */
    int lang;           /* the heads' language */

    ts_vec themes, goals, measures, programmes; /* of theme_rec, goal_rec, meas_rec, prog_rec */
    wbr_map theme_by_name, goal_by_key, prog_by_name, ids, kind_by_name;
    size_t cur_theme, cur_goal; /* (size_t)-1: none yet */
    ti_rich cur_goal_rich;      /* the goal cell the current goal was read from */
    bool default_theme_said, default_goal_said;
    size_t inferred_statuses, unknown_statuses, names_made;
} imp;

#define NONE ((size_t)-1)

static void oom(imp *t)
{
    t->x.oom = true;
}

/* Where a cell of a sheet is, as messages and the model's positions say it: FILE:SHEET!B7 (row
 * UINT32_MAX: the sheet; col UINT32_MAX: the row, at its first column). */
static ts_pos cell_pos(const imp *t, const ts_wbr_sheet *sheet, uint32_t row, uint32_t col)
{
    if (sheet == NULL || t->refs == NULL)
        return (ts_pos){0, 0, NULL};
    const ts_sheet_ref *ref = &t->refs[sheet - t->wb->sheets];
    if (row == UINT32_MAX)
        return (ts_pos){0, 0, ref};
    return (ts_pos){row + 1, col == UINT32_MAX ? 1 : col + 1, ref};
}

/* A message at a cell of a sheet (see cell_pos), or at the workbook (sheet NULL). */
__attribute__((format(printf, 6, 7))) static void say(imp *t, ts_severity sev,
                                                      const ts_wbr_sheet *sheet, uint32_t row,
                                                      uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(t->diags, t->wb->file ? t->wb->file : "workbook", cell_pos(t, sheet, row, col),
                 sev, fmt, ap);
    va_end(ap);
}

static char *ref_of(uint32_t row, uint32_t col, char buf[TS_WBR_REF_SIZE])
{
    return ts_wbr_ref(row, col, buf);
}

/* ---- Heads ------------------------------------------------------------------------------- */

/* A head as it is compared: lower case, without white space (the no-break and zero-width ones
 * too), soft hyphens, or a hyphen at the end of a line ("Palautumis-\nmittari").  In `a`. */
static char *head_key(ts_arena *a, const char *s, size_t n)
{
    char *out = ts_arena_alloc(a, n + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (ti_space((char)c)) {
            i++;
            continue;
        }
        if (c == 0xC2 && i + 1 < n &&
            ((unsigned char)s[i + 1] == 0xA0 ||
             (unsigned char)s[i + 1] == 0xAD)) { /* NBSP, soft hyphen */
            i += 2;
            continue;
        }
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0xAF ||
             ((unsigned char)s[i + 2] >= 0x8B && (unsigned char)s[i + 2] <= 0x8D))) {
            i += 3; /* the narrow no-break space, zero-width spaces and joiners */
            continue;
        }
        if (c == '-') {
            size_t k = i + 1;
            bool line_end = false;
            while (k < n && ti_space(s[k]))
                line_end |= s[k++] == '\n';
            if (line_end) {
                i = k;
                continue;
            }
        }
        out[o++] = (char)c;
        i++;
    }
    out[o] = '\0';
    ti_lower(out, o);
    return out;
}

/* Whether key (a head_key) matches the pattern (a head_key of a label with {round} and
 * {year}): {round} one digit 1-3, {year} four digits. */
static bool forecast_head_matches(const char *key, const char *pattern, int *round, int *year)
{
    *round = *year = -1;
    const char *k = key;
    for (const char *p = pattern; *p;) {
        if (strncmp(p, "{round}", 7) == 0) {
            if (*k < '1' || *k > '3')
                return false;
            *round = *k++ - '0';
            p += 7;
        } else if (strncmp(p, "{year}", 6) == 0) {
            int y = 0;
            for (int d = 0; d < 4; d++, k++) {
                if (*k < '0' || *k > '9')
                    return false;
                y = y * 10 + (*k - '0');
            }
            if (*k >= '0' && *k <= '9')
                return false;
            *year = y;
            p += 6;
        } else {
            if (*k != *p)
                return false;
            k++;
            p++;
        }
    }
    return *k == '\0' && *round > 0;
}

/* What a head cell is: its kind (COL_KINDS: none), the round and year of a forecast head, and
 * the languages it is a head of (bits 1 << ts_lang). */
typedef struct head_match {
    colkind kind;
    int round, year;
    unsigned langs;
} head_match;

static head_match match_head(imp *t, const char *text)
{
    head_match m = {COL_KINDS, -1, -1, 0};
    size_t n = strlen(text);
    if (n > MAX_HEAD_BYTES)
        return m; /* a text, not a head */
    char *key = head_key(t->x.tmp, text, n);
    if (key == NULL) {
        oom(t);
        return m;
    }
    if (*key == '\0')
        return m;
    for (size_t i = 0; i < t->n_heads; i++) {
        const known_head *h = &t->heads[i];
        int round = -1, year = -1;
        bool hit = h->kind == COL_FORECAST ? forecast_head_matches(key, h->key, &round, &year)
                   : h->prefix             ? strncmp(key, h->key, strlen(h->key)) == 0
                                           : strcmp(key, h->key) == 0;
        if (!hit || (m.kind != COL_KINDS && m.kind != h->kind))
            continue; /* the first kind found stands */
        m.kind = h->kind;
        m.langs |= 1u << h->lang;
        if (h->kind == COL_FORECAST) {
            m.round = round;
            m.year = year;
        }
    }
    return m;
}

/* The cell at row, col when it shows something of its own: not inside a merged range that
 * starts above or to the left of it, and not blank. */
static const ts_wbr_cell *content_at(const ts_wbr_sheet *s, uint32_t row, uint32_t col)
{
    const ts_wbr_cell *c = ts_wbr_cell_at(s, row, col);
    if (c == NULL || c->type == TS_WBR_EMPTY)
        return NULL;
    if (c->merge) {
        const ts_wbr_merge *m = &s->merges[c->merge - 1];
        if (m->first_row != row || m->first_col != col)
            return NULL;
    }
    if (c->type == TS_WBR_STRING || c->type == TS_WBR_ERROR) {
        for (uint32_t i = 0; i < c->run_count; i++)
            for (size_t k = 0; k < c->runs[i].len; k++)
                if (!ti_space(c->runs[i].text[k]))
                    return c;
        return NULL;
    }
    return c;
}

/* The head row of sheet s: its row, the columns it names and the heads' language.  False when
 * the sheet has none in its first rows: a head row names the measures' column and one other
 * column of the table at least. */
typedef struct head_row {
    uint32_t row;
    int col[COL_KINDS];
    int fcol[4], fyear[4];
    unsigned lang_votes[3];
    size_t known;
} head_row;

static bool find_head(imp *t, const ts_wbr_sheet *s, head_row *out)
{
    uint32_t rows = s->rows < HEAD_ROWS ? s->rows : HEAD_ROWS;
    for (uint32_t r = 0; r < rows && !t->x.oom; r++) {
        head_row h = {.row = r};
        for (int k = 0; k < COL_KINDS; k++)
            h.col[k] = -1;
        for (int k = 0; k < 4; k++)
            h.fcol[k] = h.fyear[k] = -1;
        size_t count;
        const ts_wbr_cell *cells = ts_wbr_row(s, r, &count);
        for (size_t i = 0; i < count; i++) {
            const ts_wbr_cell *c = &cells[i];
            if (c->type != TS_WBR_STRING)
                continue;
            head_match m = match_head(t, ti_cell_plain(&t->x, c));
            if (m.kind == COL_KINDS)
                continue;
            if (m.kind == COL_FORECAST) {
                if (h.fcol[m.round] >= 0)
                    continue;
                h.fcol[m.round] = c->col;
                h.fyear[m.round] = m.year;
                if (h.col[COL_FORECAST] < 0)
                    h.col[COL_FORECAST] = c->col;
            } else if (h.col[m.kind] < 0) {
                h.col[m.kind] = c->col;
            } else {
                continue;
            }
            h.known++;
            for (int l = 0; l < 3; l++)
                h.lang_votes[l] += (m.langs >> l) & 1u;
        }
        if (h.col[COL_MEASURE] >= 0 && h.known >= 2) {
            *out = h;
            return true;
        }
    }
    return false;
}

/* ---- Ids --------------------------------------------------------------------------------- */

/* An id made from a name: its first words in lower-case ASCII joined by "-" ("Maailman
 * toimivin kaupunki" -> "maailman-toimivin-kaupunki"), unique in the round ("-2", "-3" after a
 * taken one), starting with a letter (else after "prefix-"). */
static const char *make_id(imp *t, const char *name, const char *prefix)
{
    char base[ID_BYTES + 1];
    size_t o = 0, last_gap = 0;
    bool gap = false, cut = false;
    for (size_t i = 0; name[i] && !cut;) {
        size_t used;
        uint32_t cp = ts_utf8_get((const unsigned char *)name + i, strlen(name + i), &used);
        i += used;
        char c = 0;
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
            c = (char)cp;
        else if (cp >= 'A' && cp <= 'Z')
            c = (char)(cp + 32);
        else if (cp == 0xE4 || cp == 0xC4 || cp == 0xE5 || cp == 0xC5 || cp == 0xE1 || cp == 0xE0 ||
                 cp == 0xE2 || cp == 0xC1 || cp == 0xC0)
            c = 'a';
        else if (cp == 0xF6 || cp == 0xD6 || cp == 0xF3 || cp == 0xF2 || cp == 0xF4 || cp == 0xF8 ||
                 cp == 0xD8 || cp == 0xD3)
            c = 'o';
        else if (cp == 0xE9 || cp == 0xE8 || cp == 0xEA || cp == 0xEB || cp == 0xC9)
            c = 'e';
        else if (cp == 0xFC || cp == 0xDC || cp == 0xFA)
            c = 'u';
        else if (cp == 0xED || cp == 0xEC || cp == 0xEF)
            c = 'i';
        else if (cp == 0x2019 || cp == '\'')
            continue; /* an apostrophe joins its word */
        if (c == 0) {
            gap = o > 0;
            continue;
        }
        if (gap) {
            last_gap = o;
            if (o + 2 > ID_BYTES) {
                cut = true;
                break;
            }
            base[o++] = '-';
            gap = false;
        }
        if (o == ID_BYTES) {
            /* The id ends between words; a first word longer than an id is cut. */
            if (last_gap > 0)
                o = last_gap;
            cut = true;
            break;
        }
        base[o++] = c;
    }
    /* An id cut short does not end in a little word ("asiakaskokemus-ja"). */
    while (cut) {
        size_t w = o;
        while (w > 0 && base[w - 1] != '-')
            w--;
        if (w == 0 || o - w > 3)
            break;
        o = w - 1;
    }
    base[o] = '\0';
    const char *id = NULL;
    if (o == 0 || (base[0] >= '0' && base[0] <= '9'))
        id = ts_arena_printf(t->x.tmp, "%s%s%s", prefix, o ? "-" : "", base);
    else
        id = ts_arena_strdup(t->x.tmp, base);
    if (id == NULL) {
        oom(t);
        return NULL;
    }
    const char *unique = id;
    for (unsigned k = 2; wbr_map_get(&t->ids, unique, strlen(unique)) != NULL; k++) {
        unique = ts_arena_printf(t->x.tmp, "%s-%u", id, k);
        if (unique == NULL) {
            oom(t);
            return NULL;
        }
    }
    char *kept = ts_arena_strdup(t->x.a, unique);
    if (kept == NULL || !wbr_map_put(&t->ids, kept, strlen(kept), kept)) {
        oom(t);
        return NULL;
    }
    return kept;
}

/* ---- Themes, goals and programmes, made as they are first named --------------------------- */

static size_t index_get(const wbr_map *m, const char *key)
{
    void *v = wbr_map_get(m, key, strlen(key));
    return v ? (size_t)((uintptr_t)v - 1) : NONE;
}

static void index_put(imp *t, wbr_map *m, const char *key, size_t i)
{
    if (!wbr_map_put(m, key, strlen(key), (void *)(uintptr_t)(i + 1)))
        oom(t);
}

/* The theme of that name (one per distinct name, compared without case), made when new. */
static size_t theme_named(imp *t, ts_inline name, uint32_t row, uint32_t col)
{
    const char *plain = ti_inline_plain(&t->x, &name);
    const char *key = ti_name_key(&t->x, plain);
    if (key == NULL)
        return NONE;
    size_t i = index_get(&t->theme_by_name, key);
    if (i != NONE)
        return i;
    theme_rec *th = ts_vec_push(t->x.tmp, &t->themes, sizeof *th);
    if (th == NULL) {
        oom(t);
        return NONE;
    }
    *th = (theme_rec){name, make_id(t, plain, "theme"), row, col};
    index_put(t, &t->theme_by_name, key, t->themes.len - 1);
    return t->themes.len - 1;
}

static size_t theme_of(imp *t, ti_rich r, uint32_t row, uint32_t col)
{
    return theme_named(t, ti_inline(&t->x, r, TI_KEEP_NONE), row, col);
}

/* The theme of a row when neither it nor a row above names one. */
static size_t theme_default(imp *t, uint32_t row)
{
    const char *name = default_theme[t->lang];
    if (!t->default_theme_said) {
        t->default_theme_said = true;
        if (t->col[COL_THEME] < 0)
            say(t, TS_WARNING, t->sheet, t->head_row, UINT32_MAX,
                "the table has no column of themes: its goals are put under a theme named '%s'; "
                "name the city strategy's themes in the round file",
                name);
        else
            say(t, TS_WARNING, t->sheet, row, (uint32_t)t->col[COL_THEME],
                "no theme is named in this row or above it: its goal is put under a theme named "
                "'%s'",
                name);
    }
    ts_run *run = ts_arena_calloc(t->x.a, 1, sizeof *run);
    if (run == NULL) {
        oom(t);
        return NONE;
    }
    *run = (ts_run){name, strlen(name), 0, NULL, {0, 0, NULL}};
    return theme_named(t, (ts_inline){run, 1, {0, 0, NULL}}, row, UINT32_MAX);
}

static bool upper_at(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c == 0xC3 && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9E);
}

/* A goal's statement and description from its cell: the bold words it starts with (on their
 * line), else its bold words anywhere, are the statement and the rest the description; without
 * bold (or all in bold), its first line, else its first sentence.  Sets g->how to the way it
 * was found when not by bold. */
static void read_goal(imp *t, ti_rich r, goal_rec *g)
{
    size_t lead = ti_all(r, TS_RUN_BOLD) ? 0 : ti_leading_bold_end(r);
    if (lead > 0) {
        g->statement = ti_inline(&t->x, ti_slice(&t->x, r, 0, lead), TI_KEEP_ITALIC);
        if (g->statement.n_runs > 0) {
            g->description = ti_blocks(&t->x, ti_slice(&t->x, r, lead, r.len));
            return;
        }
    }
    if (ti_any(r, TS_RUN_BOLD) && !ti_all(r, TS_RUN_BOLD)) {
        ti_run *bold = ts_arena_calloc(t->x.tmp, 2 * r.n + 1, sizeof *bold);
        ti_run *rest = ts_arena_calloc(t->x.tmp, r.n + 1, sizeof *rest);
        if (bold == NULL || rest == NULL) {
            oom(t);
            return;
        }
        size_t nb = 0, nr = 0, lb = 0, lr = 0;
        for (size_t i = 0; i < r.n; i++) {
            if (r.runs[i].style & TS_RUN_BOLD) {
                if (nb > 0)
                    bold[nb++] = (ti_run){" ", 1, 0}, lb++;
                bold[nb++] = r.runs[i], lb += r.runs[i].n;
            } else {
                rest[nr++] = r.runs[i], lr += r.runs[i].n;
            }
        }
        g->statement = ti_inline(&t->x, (ti_rich){bold, nb, lb}, TI_KEEP_ITALIC);
        g->description = ti_blocks(&t->x, (ti_rich){rest, nr, lr});
        return;
    }
    char *s = ti_plain(&t->x, r);
    if (s == NULL)
        return;
    size_t n = r.len, start = 0;
    while (start < n && ti_space(s[start]))
        start++;
    size_t eol = start;
    while (eol < n && s[eol] != '\n')
        eol++;
    size_t more = eol;
    while (more < n && ti_space(s[more]))
        more++;
    size_t cut = n, after = n;
    if (more < n) {
        cut = eol;
        after = more;
        g->how = "the first line";
    } else {
        for (size_t i = start; i + 2 < n; i++) {
            if ((s[i] == '.' || s[i] == '!' || s[i] == '?') && s[i + 1] == ' ') {
                size_t k = i + 1;
                while (k < n && s[k] == ' ')
                    k++;
                if (k < n && upper_at(s, k)) {
                    cut = s[i] == '.' ? i : i + 1; /* a statement has no full stop */
                    after = k;
                    g->how = "the first sentence";
                    break;
                }
            }
        }
    }
    g->statement = ti_inline(&t->x, ti_slice(&t->x, r, 0, cut), TI_KEEP_ITALIC);
    g->description = ti_blocks(&t->x, ti_slice(&t->x, r, after, n));
}

/* The goal of that cell under that theme (one per theme and text), made when new. */
static size_t goal_of(imp *t, size_t theme, ti_rich r, uint32_t row, uint32_t col)
{
    const char *plain = ti_plain(&t->x, r);
    const char *folded = plain ? ti_name_key(&t->x, plain) : NULL;
    const char *key = folded ? ts_arena_printf(t->x.tmp, "%zu\x1f%s", theme, folded) : NULL;
    if (key == NULL) {
        oom(t);
        return NONE;
    }
    size_t i = index_get(&t->goal_by_key, key);
    if (i != NONE)
        return i;
    goal_rec *g = ts_vec_push(t->x.tmp, &t->goals, sizeof *g);
    if (g == NULL) {
        oom(t);
        return NONE;
    }
    *g = (goal_rec){.theme = theme, .row = row, .col = col};
    read_goal(t, r, g);
    if (g->statement.n_runs == 0) {
        /* Only a list, say, and nothing before it: its first item is the statement. */
        g->statement = ti_inline(&t->x, r, TI_KEEP_ITALIC);
        g->description = (ts_blocks){0};
        g->how = "the whole cell";
    }
    g->id = make_id(t, ti_inline_plain(&t->x, &g->statement), "goal");
    index_put(t, &t->goal_by_key, key, t->goals.len - 1);
    return t->goals.len - 1;
}

/* ---- The cells of one measure ------------------------------------------------------------ */

/* Between two pieces of one text cut into cells one under another: a line break, unless the
 * text was cut inside a sentence (the later piece starts with a small letter and the earlier
 * does not end one). */
static const char *piece_separator(imp *t, ti_rich before, ti_rich after)
{
    char *a = ti_plain(&t->x, before), *b = ti_plain(&t->x, after);
    if (a == NULL || b == NULL)
        return "\n";
    size_t n = strlen(a);
    while (n > 0 && ti_space(a[n - 1]))
        n--;
    size_t k = 0;
    while (b[k] && ti_space(b[k]))
        k++;
    if (n == 0 || strchr(".!?:;", a[n - 1]) != NULL)
        return "\n";
    unsigned char c = (unsigned char)b[k];
    bool lower = (c >= 'a' && c <= 'z') ||
                 (c == 0xC3 && (unsigned char)b[k + 1] >= 0xA0 && (unsigned char)b[k + 1] <= 0xBF);
    return lower ? " " : "\n";
}

/* The text of column col over rows [first, last], its pieces joined; *at is set to the row of
 * its first piece (UINT32_MAX when there is none). */
static ti_rich pieces(imp *t, int col, uint32_t first, uint32_t last, uint32_t *at)
{
    ti_rich r = {0};
    *at = UINT32_MAX;
    if (col < 0)
        return r;
    for (uint32_t row = first; row <= last && !t->x.oom; row++) {
        const ts_wbr_cell *c = content_at(t->sheet, row, (uint32_t)col);
        if (c == NULL)
            continue;
        ti_rich p = ti_rich_of_cell(&t->x, c);
        if (*at == UINT32_MAX) {
            *at = row;
            r = p;
        } else {
            r = ti_join(&t->x, r, p, piece_separator(t, r, p));
        }
    }
    return r;
}

static const ts_wbr_cell *first_content(imp *t, int col, uint32_t first, uint32_t last)
{
    if (col < 0)
        return NULL;
    for (uint32_t row = first; row <= last; row++) {
        const ts_wbr_cell *c = content_at(t->sheet, row, (uint32_t)col);
        if (c != NULL)
            return c;
    }
    return NULL;
}

static bool generic_name(imp *t, const char *s, size_t n)
{
    char *k = ti_lower_copy(t->x.tmp, s, n);
    if (k == NULL) {
        oom(t);
        return false;
    }
    for (size_t i = 0; i < sizeof generic_names / sizeof generic_names[0]; i++)
        if (strcmp(k, generic_names[i]) == 0)
            return true;
    return false;
}

/* A measure's name and text from its cell: the bold words it starts with (our own workbook),
 * else the few words before its first colon ("Digitalisaatio: …"), else its first words (with
 * a warning). */
static void read_measure_text(imp *t, ti_rich r, meas_rec *m, uint32_t row, uint32_t col)
{
    char *s = ti_plain(&t->x, r);
    if (s == NULL)
        return;
    size_t n = r.len;
    /* The bold words it starts with, on their line: also when the whole cell is bold, if that
     * line is a short one (our own workbook, for a text all in bold or a measure without a
     * text). */
    size_t lead = ti_leading_bold_end(r);
    if (lead > 0 && ti_all(r, TS_RUN_BOLD) && lead > NAME_BYTES)
        lead = 0;
    if (lead > 0) {
        size_t name_end = lead;
        while (name_end > 0 && (ti_space(s[name_end - 1]) || s[name_end - 1] == ':'))
            name_end--;
        m->name = ti_inline(&t->x, ti_slice(&t->x, r, 0, name_end), TI_KEEP_ITALIC);
        if (m->name.n_runs > 0) {
            m->text = ti_blocks(&t->x, ti_slice(&t->x, r, lead, n));
            return;
        }
    }
    size_t start = 0;
    while (start < n && ti_space(s[start]))
        start++;
    size_t colon = start;
    while (colon < n && s[colon] != ':' && s[colon] != '\n')
        colon++;
    if (colon < n && s[colon] == ':' && colon - start <= NAME_BYTES) {
        size_t words = 0;
        for (size_t i = start; i < colon; i++)
            if (!ti_space(s[i]) && (i == start || ti_space(s[i - 1])))
                words++;
        size_t e = colon;
        while (e > start && ti_space(s[e - 1]))
            e--;
        if (words >= 1 && words <= NAME_WORDS && !generic_name(t, s + start, e - start)) {
            m->name = ti_inline(&t->x, ti_slice(&t->x, r, start, e), TI_KEEP_ITALIC);
            m->text = ti_blocks(&t->x, ti_slice(&t->x, r, colon + 1, n));
            m->name_how = "the words before the colon in";
            return;
        }
    }
    /* Its first words, up to a punctuation mark that ends a clause. */
    size_t i = start, words = 0, end = start;
    while (i < n && words < NAME_WORDS) {
        size_t w = i;
        while (w < n && !ti_space(s[w]))
            w++;
        if (w - start > NAME_BYTES && words > 0)
            break;
        end = w;
        words++;
        char last = s[w - 1];
        if (strchr(".,;:!?", last) != NULL)
            break;
        i = w;
        while (i < n && ti_space(s[i]))
            i++;
    }
    while (end > start && strchr(".,;:!?", s[end - 1]) != NULL)
        end--;
    if (end - start > NAME_BYTES) {
        end = start + NAME_BYTES;
        while (end > start && ((unsigned char)s[end] & 0xC0) == 0x80)
            end--; /* not inside a character */
    }
    m->name = ti_inline(&t->x, ti_slice(&t->x, r, start, end), TI_KEEP_ITALIC);
    m->text = ti_blocks(&t->x, r);
    m->name_how = "made of the first words of";
    if (m->name.n_runs == 0) {
        /* A cell of punctuation alone, say: the measure is named by its row. */
        const char *word = ts_label(t->labels[t->lang], "overview.measure");
        const char *name = ts_arena_printf(t->x.tmp, "%s %u", word ? word : "", row + 1);
        m->name = ti_inline(&t->x, ti_rich_of_text(&t->x, name ? name : ""), TI_KEEP_NONE);
        m->name_how = "made of its row, for want of words in";
    }
    t->names_made++;
    say(t, TS_WARNING, t->sheet, row, col,
        "the measure has no short name of its own (bold words at the start, or a few words "
        "before a colon): it is named '%s' from its first words; write its name (the title of "
        "its deck) in <name>",
        ti_inline_plain(&t->x, &m->name));
}

/* The status word a forecast cell starts with: the label files' words in any language, or the
 * seeds' phrasings.  Returns the end of the word (0: none). */
static size_t status_at_start(imp *t, const char *low, size_t n, ts_status *status, bool *none)
{
    size_t start = 0, best = 0;
    while (start < n && ti_space(low[start]))
        start++;
    static const ts_status statuses[] = {TS_STATUS_NONE, TS_STATUS_ON_TRACK, TS_STATUS_ACHIEVED,
                                         TS_STATUS_AT_RISK, TS_STATUS_OFF_TRACK};
    for (int l = 0; l < 3; l++) {
        for (size_t k = 0; k < 5; k++) {
            size_t end;
            if (ti_phrase_at(low, n, start, t->status_low[l][statuses[k]], &end) && end > best) {
                best = end;
                *status = statuses[k];
                *none = statuses[k] == TS_STATUS_NONE;
            }
        }
    }
    for (size_t k = 0; k < sizeof start_words / sizeof start_words[0]; k++) {
        size_t end;
        if (ti_phrase_at(low, n, start, start_words[k].text, &end) && end > best) {
            best = end;
            *status = start_words[k].status;
            *none = false;
        }
    }
    return best;
}

/* The words the status words of the three languages are, for a message: "Toteutuu, …". */
static const char *status_words_list(imp *t)
{
    static const ts_status st[] = {TS_STATUS_ON_TRACK, TS_STATUS_ACHIEVED, TS_STATUS_AT_RISK,
                                   TS_STATUS_OFF_TRACK, TS_STATUS_NONE};
    const char *list = "";
    for (int l = 0; l < 3 && list; l++) {
        int lang = (t->lang + l) % 3; /* the round's language first */
        for (size_t k = 0; k < 5 && list; k++)
            list = ts_arena_printf(t->x.tmp, "%s%s%s", list, *list ? (k ? ", " : "; ") : "",
                                   ts_label_status(t->labels[lang], st[k]));
    }
    if (list == NULL)
        oom(t);
    return list ? list : "";
}

static void read_forecast(imp *t, ti_rich r, fc_rec *f, int round, uint32_t row, uint32_t col)
{
    *f = (fc_rec){.row = row, .col = col};
    char *s = ti_plain(&t->x, r);
    char *low = s ? ti_lower_copy(t->x.tmp, s, r.len) : NULL;
    if (low == NULL) {
        oom(t);
        return;
    }
    size_t n = r.len;
    ts_status status = TS_STATUS_NONE;
    bool none = false;
    size_t end = status_at_start(t, low, n, &status, &none);
    if (end > 0) {
        /* The rest of the cell after the word and what ends it ("Toteutuu. …", "Toteutuu –"). */
        while (end < n) {
            if (ti_space(s[end]) || strchr(".,:;!-", s[end]) != NULL)
                end++;
            else if ((unsigned char)s[end] == 0xE2 && end + 2 < n &&
                     (unsigned char)s[end + 1] == 0x80 &&
                     ((unsigned char)s[end + 2] == 0x93 || (unsigned char)s[end + 2] == 0x94))
                end += 3;
            else
                break;
        }
        if (none && end < n) {
            say(t, TS_WARNING, t->sheet, row, col,
                "the forecast is not reported, and the text after it is left out (it is kept in "
                "an XML comment at the measure)");
            f->unknown = s;
            f->not_reported = true;
        }
        if (none)
            return;
        f->present = f->reported = true;
        f->status = status;
        f->text = ti_blocks(&t->x, ti_slice(&t->x, r, end, n));
        f->text.present = true;
        return;
    }
    f->reported = true;
    /* A forecast told in words: the worst status its words say. */
    int worst = 0;
    size_t at = 0, at_end = 0;
    for (size_t k = 0; k < sizeof narrative_words / sizeof narrative_words[0]; k++) {
        const char *w = narrative_words[k].text;
        for (const char *p = strstr(low, w); p != NULL; p = strstr(p + 1, w)) {
            size_t e;
            if (!ti_phrase_at(low, n, (size_t)(p - low), w, &e))
                continue;
            int b = badness(narrative_words[k].status);
            if (b > worst) {
                worst = b;
                status = narrative_words[k].status;
                at = (size_t)(p - low);
                at_end = e;
            }
            break;
        }
    }
    if (worst > 0) {
        f->present = true;
        f->status = status;
        f->text = ti_blocks(&t->x, r);
        f->text.present = true;
        f->phrase = ts_arena_strndup(t->x.tmp, s + at, at_end - at);
        if (f->phrase == NULL)
            oom(t);
        t->inferred_statuses++;
        return;
    }
    f->unknown = s;
    t->unknown_statuses++;
    say(t, TS_WARNING, t->sheet, row, col,
        "the forecast %d/%d names no status: it is left out (its text is kept in an XML "
        "comment at the measure); start the cell with a status word: %s",
        round, t->fyear[round], status_words_list(t));
}

/* Kyllä / Ei, Ja / Nej, Yes / No (and the round file's true / false, or a number). */
static bool read_recovery(imp *t, const ts_wbr_cell *c, uint32_t row, uint32_t col)
{
    if (c->type == TS_WBR_NUMBER || c->type == TS_WBR_BOOLEAN)
        return c->number != 0;
    const char *s = ti_cell_plain(&t->x, c);
    const char *key = ti_name_key(&t->x, s);
    if (key == NULL)
        return false;
    for (int l = 0; l < 3; l++)
        for (int b = 0; b < 2; b++) {
            const char *w = ts_label_bool(t->labels[l], b);
            const char *wk = w ? ti_name_key(&t->x, w) : NULL;
            if (wk != NULL && strcmp(wk, key) == 0)
                return b;
        }
    if (strcmp(key, "true") == 0 || strcmp(key, "false") == 0)
        return key[0] == 't';
    say(t, TS_WARNING, t->sheet, row, col,
        "'%s' is not a word of the recovery column: the measure is taken as no recovery measure; "
        "write %s / %s (or %s / %s, %s / %s)",
        s, ts_label_bool(t->labels[t->lang], true), ts_label_bool(t->labels[t->lang], false),
        ts_label_bool(t->labels[(t->lang + 1) % 3], true),
        ts_label_bool(t->labels[(t->lang + 1) % 3], false),
        ts_label_bool(t->labels[(t->lang + 2) % 3], true),
        ts_label_bool(t->labels[(t->lang + 2) % 3], false));
    return false;
}

/* A number as people write it: a sign ("-", "−"), digits in groups of three after spaces
 * ("1 130"), a decimal comma or point. */
static bool read_amount(const char *s, size_t n, size_t *i, double *v)
{
    size_t k = *i;
    bool minus = false;
    if (k < n && s[k] == '-')
        minus = true, k++;
    else if (k + 2 < n && memcmp(s + k, "\xE2\x88\x92", 3) == 0)
        minus = true, k += 3;
    char digits[64];
    size_t d = 0;
    size_t begin = k;
    for (;;) {
        while (k < n && s[k] >= '0' && s[k] <= '9' && d < sizeof digits - 2)
            digits[d++] = s[k++];
        /* a group of three digits after a space, a no-break space or a narrow one */
        size_t sp = k < n && s[k] == ' '                                 ? 1
                    : k + 1 < n && memcmp(s + k, "\xC2\xA0", 2) == 0     ? 2
                    : k + 2 < n && memcmp(s + k, "\xE2\x80\xAF", 3) == 0 ? 3
                                                                         : 0;
        if (sp && d > 0 && k + sp + 3 <= n && s[k + sp] >= '0' && s[k + sp] <= '9' &&
            s[k + sp + 1] >= '0' && s[k + sp + 1] <= '9' && s[k + sp + 2] >= '0' &&
            s[k + sp + 2] <= '9' &&
            (k + sp + 3 == n || s[k + sp + 3] < '0' || s[k + sp + 3] > '9')) {
            k += sp;
            continue;
        }
        break;
    }
    if (k == begin || d == 0)
        return false;
    if (k + 1 < n && (s[k] == ',' || s[k] == '.') && s[k + 1] >= '0' && s[k + 1] <= '9') {
        digits[d++] = '.';
        k++;
        while (k < n && s[k] >= '0' && s[k] <= '9' && d < sizeof digits - 1)
            digits[d++] = s[k++];
    }
    digits[d] = '\0';
    *v = strtod(digits, NULL) * (minus ? -1 : 1);
    *i = k;
    return isfinite(*v);
}

/* A numeric forecast written as text: "100 %", "20 kpl", "72,5 %", "14 / 20 kpl" (a value
 * and the level). */
static bool read_value_text(imp *t, const char *s, meas_rec *m)
{
    size_t n = strlen(s), i = 0;
    while (i < n && ti_space(s[i]))
        i++;
    double v, level = 0;
    bool has_level = false;
    if (!read_amount(s, n, &i, &v))
        return false;
    size_t k = i;
    while (k < n && ti_space(s[k]))
        k++;
    if (k < n && s[k] == '/') {
        k++;
        while (k < n && ti_space(s[k]))
            k++;
        if (!read_amount(s, n, &k, &level))
            return false;
        has_level = true;
        i = k;
    }
    while (i < n && ti_space(s[i]))
        i++;
    size_t e = n;
    while (e > i && ti_space(s[e - 1]))
        e--;
    const char *unit = NULL;
    if (e > i) {
        if (e - i > 20)
            return false; /* a sentence, not a unit */
        for (size_t q = i; q < e; q++)
            if ((s[q] >= '0' && s[q] <= '9') || s[q] == '\n')
                return false;
        unit = ti_clean(t->x.a, s + i, e - i);
        if (unit == NULL) {
            oom(t);
            return false;
        }
    }
    m->has_value = true;
    m->value = v;
    m->unit = unit;
    m->has_level = has_level;
    m->level = level;
    return true;
}

static void read_value(imp *t, const ts_wbr_cell *c, meas_rec *m, uint32_t row, uint32_t col)
{
    m->value_row = row;
    m->value_col = col;
    const char *text = ti_cell_plain(&t->x, c);
    m->value_text = text;
    if (c->type == TS_WBR_NUMBER) {
        const ts_wbr_numfmt *f = c->format;
        ts_wbr_numkind kind = f ? f->kind : TS_WBR_FMT_GENERAL;
        if (kind == TS_WBR_FMT_DATE || kind == TS_WBR_FMT_TIME || kind == TS_WBR_FMT_DATETIME) {
            m->value_lost = "it is a date or a time, not a number";
        } else {
            m->has_value = true;
            m->value = c->number;
            if (kind == TS_WBR_FMT_PERCENT) {
                /* 1 shown as 100 %: the round file says 100 with the unit "%" (and 0.7 * 100
                 * is 70, not 70.00000000000001). */
                m->value = round(c->number * 100 * 1e9) / 1e9;
                m->unit = "%";
            } else if (kind == TS_WBR_FMT_CURRENCY && f->currency) {
                m->unit = ti_clean(t->x.a, f->currency, strlen(f->currency));
            } else if (f && f->suffix) {
                const char *u = f->suffix;
                while (*u == ' ' || *u == '"')
                    u++;
                size_t len = strlen(u);
                while (len > 0 && (u[len - 1] == ' ' || u[len - 1] == '"'))
                    len--;
                if (len > 0 && len <= 20)
                    m->unit = ti_clean(t->x.a, u, len);
            }
            char shown[64];
            snprintf(shown, sizeof shown, "%.15g%s%s", m->value, m->unit ? " " : "",
                     m->unit ? m->unit : "");
            m->value_text = ts_arena_strdup(t->x.tmp, shown);
            if (m->value_text == NULL)
                oom(t);
        }
    } else if (c->type == TS_WBR_STRING && read_value_text(t, text, m)) {
        return;
    } else {
        m->value_lost = "it is not a number with its unit (\"100 %\", \"20 kpl\")";
    }
    if (m->value_lost != NULL)
        say(t, TS_WARNING, t->sheet, row, col,
            "the numeric forecast '%s' is left out: %s (it is kept in an XML comment at the "
            "measure)",
            text, m->value_lost);
}

/* The programme of that name, made when new: of the kind a summary sheet of the workbook gives
 * it, else a joint-planning theme (with a warning: the table does not say). */
static size_t programme_named(imp *t, const char *name, uint32_t row, uint32_t col)
{
    const char *key = ti_name_key(&t->x, name);
    if (key == NULL)
        return NONE;
    size_t i = index_get(&t->prog_by_name, key);
    if (i != NONE)
        return i;
    prog_rec *p = ts_vec_push(t->x.tmp, &t->programmes, sizeof *p);
    if (p == NULL) {
        oom(t);
        return NONE;
    }
    size_t kind = index_get(&t->kind_by_name, key);
    *p = (prog_rec){.name = ti_inline(&t->x, ti_rich_of_text(&t->x, name), TI_KEEP_NONE),
                    .id = make_id(t, name, "programme"),
                    .kind = kind != NONE ? (ts_programme_kind)kind : TS_PROGRAMME_JOINT_THEME,
                    .kind_known = kind != NONE,
                    .row = row,
                    .col = col};
    if (kind == NONE)
        say(t, TS_WARNING, t->sheet, row, col,
            "the table does not say what '%s' is: it is made a joint-planning theme (kind "
            "joint-theme); in the round file's <programmes>, make a city-wide project "
            "city-project and a separate programme separate-programme",
            name);
    index_put(t, &t->prog_by_name, key, t->programmes.len - 1);
    return t->programmes.len - 1;
}

/* Links: a programme a line ("• " and "- " before it, and "," or ";" after it, left out). */
static void read_links(imp *t, ti_rich r, meas_rec *m, uint32_t row, uint32_t col)
{
    char *s = ti_plain(&t->x, r);
    if (s == NULL)
        return;
    ts_vec links = {0};
    for (char *line = s; line != NULL && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        ti_line l = {.from = 0, .to = strlen(line)};
        ti_read_line(line, &l);
        char *name = line + (l.kind == TS_BLOCK_UL ? l.body : 0);
        size_t n = strlen(name);
        while (n > 0 && (ti_space(name[n - 1]) || name[n - 1] == ',' || name[n - 1] == ';'))
            name[--n] = '\0';
        while (*name && ti_space(*name))
            name++;
        name = ti_clean(t->x.tmp, name, strlen(name));
        if (name == NULL) {
            oom(t);
            return;
        }
        if (*name) {
            size_t p = programme_named(t, name, row, col);
            bool dup = false;
            for (size_t k = 0; k < links.len; k++)
                dup |= ((size_t *)links.items)[k] == p;
            size_t *slot = p == NONE || dup ? NULL : ts_vec_push(t->x.tmp, &links, sizeof *slot);
            if (slot != NULL)
                *slot = p;
            else if (p != NONE && !dup)
                oom(t);
        }
        line = nl ? nl + 1 : NULL;
    }
    m->links = links.items;
    m->n_links = links.len;
}

/* ---- The rows ---------------------------------------------------------------------------- */

/* The columns that belong to one measure (its own cells, not the theme's or the goal's). */
static size_t measure_columns(const imp *t, int cols[COL_KINDS + 3])
{
    size_t n = 0;
    for (int k = 0; k < COL_KINDS; k++)
        if (k != COL_THEME && k != COL_GOAL && k != COL_FORECAST && t->col[k] >= 0)
            cols[n++] = t->col[k];
    for (int r = 1; r <= 3; r++)
        if (t->fcol[r] >= 0)
            cols[n++] = t->fcol[r];
    return n;
}

/* The theme and the goal of rows [first, last]: those they name, else those of the rows
 * above. */
static size_t group_goal(imp *t, uint32_t first, uint32_t last, bool measure)
{
    uint32_t at;
    ti_rich th = pieces(t, t->col[COL_THEME], first, last, &at);
    size_t theme;
    if (th.n > 0)
        theme = t->cur_theme = theme_of(t, th, at, (uint32_t)t->col[COL_THEME]);
    else if (t->cur_theme != NONE)
        theme = t->cur_theme;
    else
        theme = t->cur_theme = theme_default(t, first);
    if (theme == NONE)
        return NONE;

    ti_rich gr = pieces(t, t->col[COL_GOAL], first, last, &at);
    size_t goal = NONE;
    if (gr.n == 0 && !measure)
        return NONE; /* a theme on a row of its own, over the goals below it */
    if (gr.n > 0) {
        goal = goal_of(t, theme, gr, at, (uint32_t)t->col[COL_GOAL]);
        t->cur_goal_rich = gr;
    } else if (t->cur_goal != NONE &&
               ((const goal_rec *)t->goals.items)[t->cur_goal].theme == theme) {
        goal = t->cur_goal;
    } else if (t->cur_goal != NONE) {
        /* A theme named anew under a goal cell merged over it: the goal stands under both. */
        const goal_rec *above = &((const goal_rec *)t->goals.items)[t->cur_goal];
        goal = goal_of(t, theme, t->cur_goal_rich, above->row, above->col);
        say(t, TS_WARNING, t->sheet, first, (uint32_t)t->col[COL_THEME],
            "this row names another theme than its goal's (the goal of the row above): the goal "
            "is repeated under this theme");
    } else {
        goal = goal_of(t, theme, ti_rich_of_text(&t->x, default_goal[t->lang]), first, UINT32_MAX);
        if (goal != NONE)
            ((goal_rec *)t->goals.items)[goal].how = "";
        if (!t->default_goal_said) {
            t->default_goal_said = true;
            if (t->col[COL_GOAL] < 0)
                say(t, TS_WARNING, t->sheet, t->head_row, UINT32_MAX,
                    "the table has no column of binding goals: its measures are put under a goal "
                    "named '%s'; write the goals in the round file",
                    default_goal[t->lang]);
            else
                say(t, TS_WARNING, t->sheet, first, (uint32_t)t->col[COL_GOAL],
                    "no goal is named in this row or above it: its measure is put under a goal "
                    "named '%s'",
                    default_goal[t->lang]);
        }
    }
    t->cur_goal = goal;
    return goal;
}

/* One measure: rows [first, last] (a row and the rows that continue it). */
static void read_measure(imp *t, uint32_t first, uint32_t last)
{
    size_t goal = group_goal(t, first, last, true);
    if (goal == NONE || t->x.oom)
        return;
    meas_rec *m = ts_vec_push(t->x.tmp, &t->measures, sizeof *m);
    if (m == NULL) {
        oom(t);
        return;
    }
    *m = (meas_rec){.goal = goal, .first = first, .last = last};
    uint32_t at;
    uint32_t mcol = (uint32_t)t->col[COL_MEASURE];
    ti_rich mr = pieces(t, t->col[COL_MEASURE], first, last, &at);
    read_measure_text(t, mr, m, at, mcol);
    /* Its id now, before the programmes its links make: a measure's id is the one people use. */
    m->id = make_id(t, ti_inline_plain(&t->x, &m->name), "measure");

    const ts_wbr_cell *c = first_content(t, t->col[COL_RECOVERY], first, last);
    if (c != NULL)
        m->recovery = read_recovery(t, c, c->row, c->col);
    for (int round = 1; round <= 3; round++) {
        ti_rich fr = pieces(t, t->fcol[round], first, last, &at);
        if (fr.n > 0)
            read_forecast(t, fr, &m->fc[round], round, at, (uint32_t)t->fcol[round]);
    }
    m->comment = ti_blocks(&t->x, pieces(t, t->col[COL_COMMENT], first, last, &at));
    m->risks = ti_blocks(&t->x, pieces(t, t->col[COL_RISKS], first, last, &at));
    c = first_content(t, t->col[COL_VALUE], first, last);
    if (c != NULL)
        read_value(t, c, m, c->row, c->col);
    ti_rich lr = pieces(t, t->col[COL_LINKS], first, last, &at);
    if (lr.n > 0)
        read_links(t, lr, m, at, (uint32_t)t->col[COL_LINKS]);
    ((goal_rec *)t->goals.items)[goal].n_measures++;
}

/* A row that repeats the head (a table printed with its head on every page). */
static bool repeated_head(imp *t, uint32_t row)
{
    const ts_wbr_cell *c = content_at(t->sheet, row, (uint32_t)t->col[COL_MEASURE]);
    return c != NULL && c->type == TS_WBR_STRING &&
           match_head(t, ti_cell_plain(&t->x, c)).kind == COL_MEASURE;
}

static void read_rows(imp *t)
{
    const ts_wbr_sheet *s = t->sheet;
    int cols[COL_KINDS + 3];
    size_t nc = measure_columns(t, cols);
    uint32_t mcol = (uint32_t)t->col[COL_MEASURE];
    uint32_t first = UINT32_MAX, last = 0;
    for (uint32_t r = t->head_row + 1; r < s->rows && !t->x.oom; r++) {
        if (repeated_head(t, r)) {
            if (first != UINT32_MAX)
                read_measure(t, first, last);
            first = UINT32_MAX;
            continue;
        }
        /* A row under a measure's row, with one of the measure's cells merged down over it, is
         * that measure's too: our own workbook cuts a long text into rows so (outputs.md §2,
         * "Printed whole"), and a division's table may merge a measure's cells. */
        bool merged = false;
        for (size_t k = 0; k < nc && first != UINT32_MAX && !merged; k++) {
            const ts_wbr_merge *mg = ts_wbr_merge_at(s, r, (uint32_t)cols[k]);
            merged = mg != NULL && mg->first_row < r && mg->first_row >= first;
        }
        if (merged) {
            last = r;
            continue;
        }
        if (content_at(s, r, mcol) != NULL) {
            if (first != UINT32_MAX)
                read_measure(t, first, last);
            first = last = r;
            continue;
        }
        bool named = (t->col[COL_THEME] >= 0 && content_at(s, r, (uint32_t)t->col[COL_THEME])) ||
                     (t->col[COL_GOAL] >= 0 && content_at(s, r, (uint32_t)t->col[COL_GOAL]));
        bool other = false;
        for (size_t k = 0; k < nc && !other; k++)
            other = content_at(s, r, (uint32_t)cols[k]) != NULL;
        if (!named && !other)
            continue; /* an empty row */
        if (!other) {
            /* A theme or a goal on a row of its own, over the measures below it. */
            if (first != UINT32_MAX)
                read_measure(t, first, last);
            first = UINT32_MAX;
            group_goal(t, r, r, false);
            continue;
        }
        if (!named && first != UINT32_MAX) {
            char above[TS_WBR_REF_SIZE];
            say(t, TS_WARNING, s, r, mcol,
                "this row has no measure of its own: its cells are taken as the rest of the "
                "measure above (%s)",
                ts_wbr_ref(first, mcol, above));
            last = r;
            continue;
        }
        say(t, TS_WARNING, s, r, mcol,
            "this row has no measure (its measure cell is empty): it is skipped");
    }
    if (first != UINT32_MAX)
        read_measure(t, first, last);
}

/* ---- What the rest of the workbook says -------------------------------------------------- */

/* The programmes a summary sheet lists under its heads (our own workbook's "Tiivistelmä": a
 * head "Kaupunkiyhteiset hankkeet" and the names under it), by kind. */
static void read_kinds(imp *t)
{
    static const char *const keys[3] = {"summary.city-project", "summary.separate-programme",
                                        "summary.joint-theme"};
    static const ts_programme_kind kinds[3] = {TS_PROGRAMME_CITY_PROJECT, TS_PROGRAMME_SEPARATE,
                                               TS_PROGRAMME_JOINT_THEME};
    const char *heads[9];
    for (int l = 0; l < 3; l++)
        for (int k = 0; k < 3; k++) {
            const char *label = ts_label(t->labels[l], keys[k]);
            heads[l * 3 + k] = label ? head_key(t->x.tmp, label, strlen(label)) : NULL;
            if (heads[l * 3 + k] == NULL) {
                oom(t);
                return;
            }
        }
    for (size_t si = 0; si < t->wb->sheet_count && !t->x.oom; si++) {
        const ts_wbr_sheet *s = &t->wb->sheets[si];
        if (s == t->sheet)
            continue;
        for (size_t i = 0; i < s->cell_count && !t->x.oom; i++) {
            const ts_wbr_cell *c = &s->cells[i];
            if (c->type != TS_WBR_STRING)
                continue;
            const char *text = ti_cell_plain(&t->x, c);
            const char *key = head_key(t->x.tmp, text, strlen(text));
            if (key == NULL) {
                oom(t);
                return;
            }
            int kind = -1;
            for (int h = 0; h < 9 && kind < 0; h++)
                if (strcmp(key, heads[h]) == 0)
                    kind = h % 3;
            if (kind < 0)
                continue;
            for (uint32_t r = c->row + 1; r < s->rows; r++) {
                const ts_wbr_cell *name = content_at(s, r, c->col);
                if (name == NULL)
                    break;
                const char *nk = ti_name_key(&t->x, ti_cell_plain(&t->x, name));
                if (nk != NULL && index_get(&t->kind_by_name, nk) == NONE)
                    index_put(t, &t->kind_by_name, nk, (size_t)kinds[kind]);
            }
        }
    }
}

/* What a title over the head says: a year ("… 2021") and the division ("Kulttuurin ja
 * vapaa-ajan toimialan sitovat tavoitteet" -> "Kulttuurin ja vapaa-ajan toimiala"). */
typedef struct title_facts {
    int year;
    uint32_t year_row, year_col;
    const char *division;
    uint32_t division_row, division_col;
} title_facts;

static void title_division(imp *t, const char *line, const ts_wbr_cell *c, title_facts *f)
{
    size_t n = strlen(line);
    char *low = ti_lower_copy(t->x.tmp, line, n);
    if (low == NULL) {
        oom(t);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (ti_space(low[i]) || (i > 0 && !ti_space(low[i - 1])))
            continue;
        size_t e = i;
        while (e < n && !ti_space(low[e]) && low[e] != ',' && low[e] != ':')
            e++;
        size_t wl = e - i;
        const char *w = low + i;
        bool fi = wl >= 8 && memmem(w, wl, "toimiala", 8) != NULL;
        bool sv = (wl >= 7 && memcmp(w + wl - 7, "sektorn", 7) == 0) ||
                  (wl >= 6 && memcmp(w + wl - 6, "sektor", 6) == 0);
        bool en = wl == 8 && memcmp(w, "division", 8) == 0;
        if (!fi && !sv && !en)
            continue;
        /* The name runs from the last separator before the word to the word. */
        size_t from = 0;
        for (size_t k = 0; k < i; k++)
            if (strchr(",:|/(", line[k]) != NULL ||
                (k + 2 < i && line[k] == ' ' && (line[k + 1] == '-') && line[k + 2] == ' '))
                from = k + 1;
            else if (k + 4 < i && memcmp(line + k, " \xE2\x80\x93 ", 5) == 0)
                from = k + 5;
        while (from < i && ti_space(line[from]))
            from++;
        size_t end = e;
        if (fi && end >= 1 && low[end - 1] == 'n' && memmem(w, wl, "toimialan", 9) != NULL)
            end--; /* "toimialan …" -> "toimiala" */
        /* A name is two words or more ("toimialan" alone names none), and no sentence. */
        size_t words = 1;
        for (size_t k = from; k < end; k++)
            words += line[k] == ' ';
        if (words < 2 || words > 8)
            continue;
        f->division = ti_clean(t->x.tmp, line + from, end - from);
        if (f->division == NULL)
            oom(t);
        f->division_row = c->row;
        f->division_col = c->col;
        return;
    }
}

static void read_title(imp *t, title_facts *f)
{
    *f = (title_facts){.year = -1};
    for (uint32_t r = 0; r < t->head_row && !t->x.oom; r++) {
        size_t count;
        const ts_wbr_cell *cells = ts_wbr_row(t->sheet, r, &count);
        for (size_t i = 0; i < count; i++) {
            if (cells[i].type != TS_WBR_STRING)
                continue;
            const char *text = ti_cell_plain(&t->x, &cells[i]);
            size_t n = strlen(text);
            for (size_t k = 0; f->year < 0 && k + 4 <= n; k++) {
                if ((k > 0 && ti_word_byte((unsigned char)text[k - 1])) ||
                    (k + 4 < n && ti_word_byte((unsigned char)text[k + 4])))
                    continue;
                int y = 0;
                size_t d = 0;
                for (; d < 4 && text[k + d] >= '0' && text[k + d] <= '9'; d++)
                    y = y * 10 + (text[k + d] - '0');
                if (d == 4 && y >= 2000 && y <= 2100) {
                    f->year = y;
                    f->year_row = r;
                    f->year_col = cells[i].col;
                }
            }
            char *copy = ts_arena_strdup(t->x.tmp, text);
            if (copy == NULL) {
                oom(t);
                return;
            }
            for (char *line = copy; line && !f->division;) {
                char *nl = strchr(line, '\n');
                if (nl)
                    *nl = '\0';
                title_division(t, line, &cells[i], f);
                line = nl ? nl + 1 : NULL;
            }
        }
    }
}

/* ---- The round --------------------------------------------------------------------------- */

/* A comment's text wrapped at spaces to lines of about this many characters: comments are read
 * in an editor. */
enum { COMMENT_WIDTH = 90 };

/* s wrapped at spaces (its own line breaks kept), in tmp. */
static const char *wrapped(imp *t, const char *s)
{
    size_t n = strlen(s);
    char *w = ts_arena_strdup(t->x.tmp, s);
    if (w == NULL) {
        oom(t);
        return "";
    }
    size_t col = 0, last_space = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '\n') {
            col = 0;
            last_space = SIZE_MAX;
            continue;
        }
        if (w[i] == ' ')
            last_space = i;
        if (((unsigned char)w[i] & 0xC0) != 0x80)
            col++;
        if (col > COMMENT_WIDTH && last_space != SIZE_MAX) {
            w[last_space] = '\n';
            col = 0;
            for (size_t k = last_space + 1; k <= i; k++)
                col += ((unsigned char)w[k] & 0xC0) != 0x80;
            last_space = SIZE_MAX;
        }
    }
    return w;
}

/* A comment's lines, gathered; "" when none. */
typedef struct lines {
    imp *t;
    const char *text;
    size_t count;
} lines;

__attribute__((format(printf, 2, 3))) static void add_line(lines *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *one = n >= 0 ? ts_arena_alloc(l->t->x.tmp, (size_t)n + 1) : NULL;
    if (one == NULL) {
        oom(l->t);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(one, (size_t)n + 1, fmt, ap);
    va_end(ap);
    /* A cell's words quoted in a comment keep their lines, not what XML forbids. */
    size_t o = 0;
    for (size_t i = 0; i < (size_t)n; i++) {
        size_t bad = ti_forbidden_at(one, (size_t)n, i);
        if (bad)
            i += bad - 1;
        else
            one[o++] = one[i] == '\r' ? '\n' : one[i];
    }
    one[o] = '\0';
    const char *joined = ts_arena_printf(l->t->x.tmp, "%s%s%s", l->text ? l->text : "",
                                         l->text ? "\n" : "", wrapped(l->t, one));
    if (joined == NULL) {
        oom(l->t);
        return;
    }
    l->text = joined;
    l->count++;
}

static void comment(imp *t, ts_vec *list, const void *element, ts_comment_place place,
                    const lines *l)
{
    if (l->text == NULL)
        return;
    /* Two lines or more stand as a block under "<!--"; one stays on the line. */
    if (!ts_comment_add(t->x.a, list, element, place, "%s%s", strchr(l->text, '\n') ? "\n" : "",
                        l->text))
        oom(t);
}

/* The text of the head over column col, folded to one line, in tmp. */
static const char *head_text(imp *t, uint32_t col)
{
    const ts_wbr_cell *c = content_at(t->sheet, t->head_row, col);
    const char *k = c ? ti_name_key(&t->x, ti_cell_plain(&t->x, c)) : NULL;
    if (k == NULL)
        return "";
    /* ti_name_key lowered it: the head as written, its white space folded. */
    const char *s = ti_cell_plain(&t->x, c);
    char *out = ts_arena_alloc(t->x.tmp, strlen(s) + 1);
    if (out == NULL) {
        oom(t);
        return "";
    }
    size_t o = 0;
    bool gap = false;
    for (; *s; s++) {
        if (ti_space(*s)) {
            gap = o > 0;
            continue;
        }
        if (gap)
            out[o++] = ' ';
        gap = false;
        out[o++] = *s;
    }
    out[o] = '\0';
    return out;
}

static const char *cell_name(imp *t, uint32_t row, uint32_t col)
{
    char ref[TS_WBR_REF_SIZE];
    const char *s = ts_arena_strdup(t->x.tmp, ref_of(row, col, ref));
    if (s == NULL)
        oom(t);
    return s ? s : "";
}

static const char *lang_names[3] = {"Finnish", "Swedish", "English"};

/* The file's name without its folders: the round file says where it came from wherever the
 * table lay when it was imported. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The round from the records, with the options and what the table says of the round. */
static ts_round *assemble(imp *t, const title_facts *title)
{
    const ts_table_options *o = t->opt;
    const char *file = t->wb->file ? t->wb->file : "workbook";
    size_t nm = t->measures.len, ng = t->goals.len;
    meas_rec *recs = t->measures.items;
    goal_rec *grecs = t->goals.items;
    if (nm == 0) {
        say(t, TS_ERROR, t->sheet, t->head_row, (uint32_t)t->col[COL_MEASURE],
            "the table has no measure: no row under its head has a text in this column");
        return NULL;
    }

    /* The year: the option's, else the newest year of the forecast heads, else a title's. */
    int table_year = -1;
    for (int r = 1; r <= 3; r++)
        if (t->fcol[r] >= 0 && t->fyear[r] > table_year)
            table_year = t->fyear[r];
    int year = o->year >= 2000 ? o->year : table_year > 0 ? table_year : title->year;
    const char *year_from = o->year >= 2000   ? "the year option"
                            : table_year > 0  ? "the forecast heads"
                            : title->year > 0 ? "the title over the table"
                                              : NULL;
    if (year < 2000 || year > 2100) {
        say(t, TS_ERROR, t->sheet, t->head_row, UINT32_MAX,
            "the table does not say its year: no forecast head (\"%s\") and no title over the "
            "head names one; give the round's year with --year",
            ts_label_fmt(t->labels[t->lang], t->x.tmp, "col.forecast", 2021, 1, -1));
        return NULL;
    }
    /* Forecasts of another year (last year's table, imported to start a new one) are no
     * forecasts of this round's; nor are the comments and values written beside them. */
    bool stale = table_year > 0 && table_year != year;
    for (int r = 1; r <= 3; r++) {
        if (t->fcol[r] < 0 || t->fyear[r] == year)
            continue;
        say(t, TS_WARNING, t->sheet, t->head_row, (uint32_t)t->fcol[r],
            "'%s' is a forecast of %d, not of the round's year %d: its cells are left out",
            head_text(t, (uint32_t)t->fcol[r]), t->fyear[r], year);
        for (size_t i = 0; i < nm; i++)
            recs[i].fc[r] = (fc_rec){0};
        t->fcol[r] = -1;
    }

    /* The number: the option's, else the last round with a forecast. */
    int last_reported = 0;
    for (size_t i = 0; i < nm; i++)
        for (int r = 1; r <= 3; r++)
            if (recs[i].fc[r].reported && r > last_reported)
                last_reported = r;
    int number = o->number >= 1 ? o->number : last_reported > 0 ? last_reported : 1;
    if (o->number < 1 && last_reported == 0)
        say(t, TS_WARNING, NULL, 0, 0,
            "the table holds no forecast of %d: the round is the year's first (1/%d); give "
            "--number to say another",
            year, year);
    for (int r = number + 1; r <= 3; r++) {
        bool any = false;
        for (size_t i = 0; i < nm; i++) {
            any |= recs[i].fc[r].reported;
            recs[i].fc[r] = (fc_rec){0};
        }
        if (any)
            say(t, TS_WARNING, t->sheet, t->head_row, (uint32_t)t->fcol[r],
                "--number %d: the forecasts of round %d in this column are left out (a round "
                "holds the forecasts up to its own)",
                number, r);
    }

    ts_date date = {year, 12, 31};
    if (o->date != NULL && sscanf(o->date, "%d-%d-%d", &date.year, &date.month, &date.day) != 3)
        date = (ts_date){year, 12, 31};
    if (o->date == NULL)
        say(t, TS_WARNING, NULL, 0, 0,
            "the round is dated %04d-12-31, the last day of its year: give its date with --date",
            year);

    ts_round *round = ts_arena_calloc(t->x.a, 1, sizeof *round);
    ts_theme *themes = ts_arena_calloc(t->x.a, t->themes.len + 1, sizeof *themes);
    ts_programme *progs = ts_arena_calloc(t->x.a, t->programmes.len + 1, sizeof *progs);
    size_t *goal_at = ts_arena_calloc(t->x.tmp, ng + 1, sizeof *goal_at);
    if (round == NULL || themes == NULL || progs == NULL || goal_at == NULL) {
        oom(t);
        return NULL;
    }
    ts_vec comments = {0};
    round->file = ts_arena_strdup(t->x.a, file);
    round->format = 1;
    round->year = year;
    round->number = number;
    round->date = date;
    round->lang = (ts_lang)t->lang;
    round->arena = t->x.a;

    /* The organization. */
    lines l = {t, NULL, 0};
    round->city = o->city ? o->city : default_city[t->lang];
    if (o->city == NULL) {
        say(t, TS_WARNING, NULL, 0, 0,
            "a table does not name its city: the round's <city> is '%s'; write the city's name "
            "there",
            round->city);
        add_line(&l, "The table does not name the city: write its name here.");
        comment(t, &comments, &round->city, TS_COMMENT_BEFORE, &l);
    }
    l = (lines){t, NULL, 0};
    if (o->division != NULL) {
        round->division = o->division;
    } else if (title->division != NULL) {
        round->division = title->division;
        add_line(&l, "The division's name is from the title over the table (%s).",
                 cell_name(t, title->division_row, title->division_col));
    } else {
        round->division = default_division[t->lang];
        say(t, TS_WARNING, NULL, 0, 0,
            "the table does not name its division: the round's <division> is '%s'; give its "
            "name with --division",
            round->division);
        add_line(&l, "The table does not name the division: write its name here.");
    }
    round->division_short = o->division_short;
    if (o->division_short == NULL) {
        say(t, TS_WARNING, NULL, 0, 0,
            "the division has no short name: the outputs will be named round-%d-%d.*; give it "
            "with --short (\"Kuva\" names them kuva-%d-%d.*)",
            year, number, year, number);
        add_line(&l,
                 "Its short name (short=\"…\") names the outputs: kuva-%d-%d.pdf for "
                 "short=\"Kuva\".",
                 year, number);
    }
    comment(t, &comments, &round->division, TS_COMMENT_BEFORE, &l);
    round->city = ts_arena_strdup(t->x.a, round->city);
    round->division = ts_arena_strdup(t->x.a, round->division);
    if (round->division_short)
        round->division_short = ts_arena_strdup(t->x.a, round->division_short);
    if (round->city == NULL || round->division == NULL ||
        (o->division_short && round->division_short == NULL)) {
        oom(t);
        return NULL;
    }

    /* Themes and programmes, in the order the table names them. */
    const theme_rec *trecs = t->themes.items;
    for (size_t i = 0; i < t->themes.len; i++)
        themes[i] = (ts_theme){trecs[i].id, trecs[i].name,
                               trecs[i].col == UINT32_MAX
                                   ? (ts_pos){0, 0, NULL}
                                   : cell_pos(t, t->sheet, trecs[i].row, trecs[i].col)};
    round->themes = themes;
    round->n_themes = t->themes.len;
    const prog_rec *precs = t->programmes.items;
    lines unknown_kinds = {t, NULL, 0};
    for (size_t i = 0; i < t->programmes.len; i++) {
        progs[i] = (ts_programme){precs[i].id, precs[i].kind, precs[i].name,
                                  cell_pos(t, t->sheet, precs[i].row, precs[i].col)};
        if (!precs[i].kind_known)
            add_line(&unknown_kinds, "  %s", ti_inline_plain(&t->x, &precs[i].name));
    }
    round->programmes = progs;
    round->n_programmes = t->programmes.len;
    if (unknown_kinds.count > 0) {
        lines pl = {t, NULL, 0};
        add_line(&pl,
                 "The table does not say what %s: %s (joint-theme). Make a city-wide "
                 "project city-project and a separate programme separate-programme:",
                 unknown_kinds.count == 1 ? "this one is" : "these are",
                 unknown_kinds.count == 1 ? "it is made a joint-planning theme"
                                          : "they are made joint-planning themes");
        add_line(&pl, "%s", unknown_kinds.text);
        comment(t, &comments, &round->programmes, TS_COMMENT_INSIDE, &pl);
    }

    /* Goals that have measures, in the order the table names them; their measures in row
     * order. */
    size_t n_goals = 0;
    for (size_t g = 0; g < ng; g++) {
        goal_at[g] = grecs[g].n_measures > 0 ? n_goals++ : NONE;
        if (grecs[g].n_measures == 0)
            say(t, TS_WARNING, t->sheet, grecs[g].row, grecs[g].col,
                "no measure stands under this goal: it is left out (a goal has one measure at "
                "least)");
    }
    ts_goal *goals = ts_arena_calloc(t->x.a, n_goals + 1, sizeof *goals);
    ts_measure *measures = ts_arena_calloc(t->x.a, nm + 1, sizeof *measures);
    size_t *fill = ts_arena_calloc(t->x.tmp, n_goals + 1, sizeof *fill);
    size_t *start = ts_arena_calloc(t->x.tmp, n_goals + 1, sizeof *start);
    if (goals == NULL || measures == NULL || fill == NULL || start == NULL) {
        oom(t);
        return NULL;
    }
    for (size_t g = 0, at = 0; g < ng; g++) {
        if (goal_at[g] == NONE)
            continue;
        start[goal_at[g]] = at;
        at += grecs[g].n_measures;
    }
    for (size_t g = 0; g < ng; g++) {
        if (goal_at[g] == NONE)
            continue;
        const goal_rec *gr = &grecs[g];
        ts_goal *goal = &goals[goal_at[g]];
        *goal = (ts_goal){.id = gr->id,
                          .theme = &themes[gr->theme],
                          .statement = gr->statement,
                          .description = gr->description,
                          .measures = &measures[start[goal_at[g]]],
                          .n_measures = gr->n_measures,
                          .pos = cell_pos(t, t->sheet, gr->row, gr->col)};
        lines gl = {t, NULL, 0};
        if (gr->how != NULL && *gr->how == '\0')
            add_line(&gl, "The table names no goal for these measures: write its statement.");
        else if (gr->how != NULL)
            add_line(&gl, "The statement is %s of %s (the cell has no bold words): check it.",
                     gr->how, cell_name(t, gr->row, gr->col));
        comment(t, &comments, goal, TS_COMMENT_INSIDE, &gl);
    }
    for (size_t i = 0; i < t->themes.len; i++)
        if (trecs[i].col == UINT32_MAX) {
            lines tl = {t, NULL, 0};
            add_line(&tl, "The table names no theme: write the city strategy's theme.");
            comment(t, &comments, &themes[i], TS_COMMENT_INSIDE, &tl);
        }
    round->goals = goals;
    round->n_goals = n_goals;
    round->n_measures = nm;

    size_t index = 0, no_value_current = 0;
    for (size_t g = 0; g < n_goals; g++)
        for (size_t k = 0; k < goals[g].n_measures; k++)
            ((ts_measure *)goals[g].measures)[k].index = 0; /* set below, in file order */
    for (size_t i = 0; i < nm; i++) {
        meas_rec *mr = &recs[i];
        size_t gi = goal_at[mr->goal];
        ts_measure *m = &measures[start[gi] + fill[gi]++];
        m->goal = &goals[gi];
        m->id = mr->id;
        m->recovery = mr->recovery;
        m->name = mr->name;
        m->text = mr->text;
        m->text.present = true;
        m->pos = cell_pos(t, t->sheet, mr->first, (uint32_t)t->col[COL_MEASURE]);
        lines ml = {t, NULL, 0};
        if (mr->first == mr->last)
            add_line(&ml, "Row %u of the sheet \"%s\".", mr->first + 1, t->sheet->name);
        else
            add_line(&ml, "Rows %u-%u of the sheet \"%s\".", mr->first + 1, mr->last + 1,
                     t->sheet->name);
        if (mr->name_how != NULL)
            add_line(&ml, "Its name is %s %s: %s.", mr->name_how,
                     cell_name(t, mr->first, (uint32_t)t->col[COL_MEASURE]),
                     strncmp(mr->name_how, "made", 4) == 0
                         ? "write a short name, the title of its deck"
                         : "check it");

        /* Forecasts, in round order; the value goes to the current one. */
        size_t nf = 0;
        for (int r = 1; r <= number; r++)
            nf += mr->fc[r].present;
        ts_forecast *fc = ts_arena_calloc(t->x.a, nf + 1, sizeof *fc);
        if (fc == NULL) {
            oom(t);
            return NULL;
        }
        size_t k = 0;
        for (int r = 1; r <= 3; r++) {
            const fc_rec *f = &mr->fc[r];
            if (f->unknown != NULL && r <= number)
                add_line(&ml, "%s (%s) was left out: %s. It said: %s",
                         head_text(t, (uint32_t)t->fcol[r]), cell_name(t, f->row, f->col),
                         f->not_reported ? "not reported, with a text after it"
                                         : "it names no status",
                         f->unknown);
            if (!f->present || r > number)
                continue;
            fc[k] = (ts_forecast){.round = r,
                                  .status = f->status,
                                  .text = f->text,
                                  .pos = cell_pos(t, t->sheet, f->row, f->col)};
            m->by_round[r] = &fc[k];
            k++;
        }
        m->forecasts = fc;
        m->n_forecasts = k;
        if (mr->has_value && !stale) {
            ts_forecast *cur = (ts_forecast *)m->by_round[number];
            if (cur != NULL) {
                cur->has_value = true;
                cur->value = mr->value;
                cur->unit = mr->unit;
                if (mr->has_level) {
                    ts_level *lv = ts_arena_calloc(t->x.a, 1, sizeof *lv);
                    if (lv == NULL) {
                        oom(t);
                        return NULL;
                    }
                    *lv = (ts_level){mr->level, mr->unit,
                                     cell_pos(t, t->sheet, mr->value_row, mr->value_col)};
                    m->level = lv;
                }
            } else {
                no_value_current++;
                say(t, TS_WARNING, t->sheet, mr->value_row, mr->value_col,
                    "the numeric forecast '%s' is left out: the measure has no forecast for "
                    "round %d, the current one (it is kept in an XML comment at the measure)",
                    mr->value_text, number);
                mr->value_lost = "the measure has no forecast for the current round";
            }
        }
        if (mr->value_lost != NULL || (stale && mr->value_text != NULL))
            add_line(&ml, "%s (%s) was left out (%s): %s", head_text(t, mr->value_col),
                     cell_name(t, mr->value_row, mr->value_col),
                     mr->value_lost ? mr->value_lost : "a value of another year", mr->value_text);
        if (stale && mr->comment.n > 0) {
            uint32_t at;
            ti_rich cr = pieces(t, t->col[COL_COMMENT], mr->first, mr->last, &at);
            add_line(&ml, "%s of %d (%s): %s", head_text(t, (uint32_t)t->col[COL_COMMENT]),
                     table_year, cell_name(t, at, (uint32_t)t->col[COL_COMMENT]),
                     ti_plain(&t->x, cr));
        } else {
            m->comment = mr->comment;
        }
        m->risks = mr->risks;
        const ts_programme **links = ts_arena_calloc(t->x.a, mr->n_links + 1, sizeof *links);
        if (links == NULL) {
            oom(t);
            return NULL;
        }
        for (size_t q = 0; q < mr->n_links; q++)
            links[q] = &progs[mr->links[q]];
        m->links = links;
        m->n_links = mr->n_links;
        comment(t, &comments, m, TS_COMMENT_INSIDE, &ml);

        for (size_t q = 0; q < m->n_forecasts; q++) {
            const fc_rec *f = &mr->fc[m->forecasts[q].round];
            if (f->phrase == NULL)
                continue;
            lines fl = {t, NULL, 0};
            add_line(&fl, "The status is read from the words \"%s\" in %s: check it.", f->phrase,
                     cell_name(t, f->row, f->col));
            comment(t, &comments, &m->forecasts[q], TS_COMMENT_INSIDE, &fl);
        }
        if (m->level != NULL) {
            lines ll = {t, NULL, 0};
            add_line(&ll, "The level is from \"%s\" in %s.", mr->value_text,
                     cell_name(t, mr->value_row, mr->value_col));
            comment(t, &comments, m->level, TS_COMMENT_INSIDE, &ll);
        }
        lines todo = {t, NULL, 0};
        add_line(&todo, "To add for the pack: its date, <owner>, <manager>, <preparer>, and "
                        "<target>s with their <task>s.");
        comment(t, &comments, &m->date, TS_COMMENT_BEFORE, &todo);
    }
    /* Measures in file order: goal by goal. */
    for (size_t g = 0; g < n_goals; g++)
        for (size_t q = 0; q < goals[g].n_measures; q++)
            ((ts_measure *)goals[g].measures)[q].index = index++;

    /* What the round is and where it came from, at its top. */
    lines rl = {t, NULL, 0};
    add_line(&rl,
             "Imported from the strategy-measure table of %s, sheet \"%s\" (its head in row "
             "%u), by taseuranta import. What the table does not say was inferred; an XML "
             "comment marks each such thing where it stands.",
             base_name(file), t->sheet->name, t->head_row + 1);
    add_line(&rl, "  year %d: %s", year, year_from);
    add_line(&rl, "  round %d: %s", number,
             o->number >= 1      ? "the number option"
             : last_reported > 0 ? "the last round with a forecast in the table"
                                 : "no forecast of the year in the table: its first round");
    if (o->date != NULL)
        add_line(&rl, "  date %s: the date option", o->date);
    else
        add_line(&rl, "  date %04d-12-31: the last day of the year, for want of a date option",
                 year);
    add_line(&rl, "  language %s (%s): %s", ts_lang_name((ts_lang)t->lang), lang_names[t->lang],
             o->lang >= 0 ? "the language option" : "the heads' language");
    if (stale)
        add_line(&rl,
                 "The table is of %d: its forecasts, comments and values are not this "
                 "round's, and were left out (the comments and values are kept in XML "
                 "comments at the measures).",
                 table_year);
    add_line(&rl, "Ids are made from the names. Each measure still needs, for the pack, its "
                  "people, its targets and their tasks.");
    comment(t, &comments, round, TS_COMMENT_INSIDE, &rl);

    round->comments = comments.items;
    round->n_comments = comments.len;

    if (t->inferred_statuses > 0)
        say(t, TS_WARNING, NULL, 0, 0,
            "%zu forecast status%s read from the words of %s text%s (\"on toteutumassa\", "
            "\"pienellä varauksella\", …): check %s; an XML comment marks each",
            t->inferred_statuses, t->inferred_statuses == 1 ? " was" : "es were",
            t->inferred_statuses == 1 ? "its" : "their", t->inferred_statuses == 1 ? "" : "s",
            t->inferred_statuses == 1 ? "it" : "them");
    say(t, TS_WARNING, NULL, 0, 0,
        "a table holds no people, targets or tasks: the round's %zu measure%s still need%s "
        "<owner>s, <target>s and their <task>s for the pack (check lists the measures without "
        "an owner)",
        nm, nm == 1 ? "" : "s", nm == 1 ? "s" : "");
    (void)no_value_current;
    return t->x.oom ? NULL : round;
}

/* ---- The import -------------------------------------------------------------------------- */

void ts_table_options_none(ts_table_options *o)
{
    *o = (ts_table_options){.year = -1, .number = -1, .lang = -1};
}

static bool imp_init(imp *t, const ts_wbr_book *wb, const ts_labels *const labels[3],
                     const ts_table_options *opt, ts_diags *diags)
{
    *t = (imp){.wb = wb, .labels = labels, .opt = opt, .diags = diags};
    t->cur_theme = t->cur_goal = NONE;
    t->x.a = ts_arena_new(opt->fault);
    t->x.tmp = ts_arena_new(opt->fault);
    if (t->x.a == NULL || t->x.tmp == NULL) {
        ts_arena_free(t->x.a);
        ts_arena_free(t->x.tmp);
        return false;
    }
    /* The tables' layout depends on the key, never what is read (see util.c's map). */
    if (getrandom(t->key, sizeof t->key, GRND_NONBLOCK) != (ssize_t)sizeof t->key) {
        t->key[0] = (uint64_t)(uintptr_t)t;
        t->key[1] = (uint64_t)(uintptr_t)wb ^ 0x9e3779b97f4a7c15u;
    }
    wbr_map_init(&t->theme_by_name, t->x.tmp, t->key);
    wbr_map_init(&t->goal_by_key, t->x.tmp, t->key);
    wbr_map_init(&t->prog_by_name, t->x.tmp, t->key);
    wbr_map_init(&t->ids, t->x.tmp, t->key);
    wbr_map_init(&t->kind_by_name, t->x.tmp, t->key);
    /* The words compared in every cell, made once; the sheets' names as places name them. */
    bool ok = (t->refs = ts_arena_calloc(t->x.a, wb->sheet_count + 1, sizeof *t->refs)) != NULL;
    for (size_t i = 0; ok && i < wb->sheet_count; i++) {
        t->refs[i] = (ts_sheet_ref){ts_arena_strdup(t->x.a, wb->sheets[i].name), (uint32_t)i};
        ok &= t->refs[i].name != NULL;
    }
    for (int l = 0; l < 3; l++) {
        for (int k = 0; k < COL_KINDS; k++) {
            const char *label = ts_label(labels[l], col_keys[k]);
            const char *key = label ? head_key(t->x.tmp, label, strlen(label)) : NULL;
            ok &= key != NULL;
            t->heads[t->n_heads++] = (known_head){(colkind)k, l, key ? key : "", false};
        }
        for (int k = 0; k < 5; k++) {
            const char *w = ts_label_status(labels[l], (ts_status)k);
            t->status_low[l][k] = w ? ti_lower_copy(t->x.tmp, w, strlen(w)) : NULL;
            ok &= t->status_low[l][k] != NULL;
        }
    }
    for (size_t i = 0; i < sizeof extra_heads / sizeof extra_heads[0]; i++) {
        const head_word *h = &extra_heads[i];
        size_t n = strlen(h->text);
        bool prefix = h->text[n - 1] == '*';
        const char *key = head_key(t->x.tmp, h->text, prefix ? n - 1 : n);
        ok &= key != NULL;
        t->heads[t->n_heads++] = (known_head){h->kind, (int)h->lang, key ? key : "", prefix};
    }
    if (!ok) {
        ts_arena_free(t->x.a);
        ts_arena_free(t->x.tmp);
        return false;
    }
    return true;
}

/* The first sheet with a head row (a visible one before a hidden one). */
static const ts_wbr_sheet *table_sheet(imp *t, head_row *h)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < t->wb->sheet_count && !t->x.oom; i++) {
            const ts_wbr_sheet *s = &t->wb->sheets[i];
            if (s->hidden != (pass == 1))
                continue;
            if (find_head(t, s, h))
                return s;
        }
    return NULL;
}

bool ts_table_found(const ts_wbr_book *wb, const ts_labels *const labels[3])
{
    imp t;
    ts_table_options none;
    ts_table_options_none(&none);
    if (!imp_init(&t, wb, labels, &none, NULL))
        return false;
    head_row h;
    bool found = table_sheet(&t, &h) != NULL;
    ts_arena_free(t.x.a);
    ts_arena_free(t.x.tmp);
    return found;
}

const char *ts_table_heads_looked_for(const ts_labels *const labels[3], ts_arena *a)
{
    const char *m[3], *f[3];
    for (int l = 0; l < 3; l++) {
        m[l] = ts_label(labels[l], "col.measure");
        f[l] = ts_label_fmt(labels[l], a, "col.forecast", 2021, 1, -1);
    }
    return ts_arena_printf(a,
                           "a head row in the first %d rows of a sheet with the measures' column "
                           "'%s' (sv '%s', en '%s') and another column of the table, such as "
                           "'%s', '%s', '%s' or '%s' (sv '%s', en '%s')",
                           HEAD_ROWS, m[0], m[1], m[2], ts_label(labels[0], "col.theme"),
                           ts_label(labels[0], "col.goal"), ts_label(labels[0], "col.recovery"),
                           f[0], f[1], f[2]);
}

/* The head's cells that are no column of the table, and the columns named twice, said. */
static void check_head(imp *t)
{
    size_t count;
    const ts_wbr_cell *cells = ts_wbr_row(t->sheet, t->head_row, &count);
    for (size_t i = 0; i < count && !t->x.oom; i++) {
        const ts_wbr_cell *c = &cells[i];
        if (content_at(t->sheet, t->head_row, c->col) == NULL)
            continue;
        const char *text = head_text(t, c->col);
        head_match m = c->type == TS_WBR_STRING ? match_head(t, ti_cell_plain(&t->x, c))
                                                : (head_match){COL_KINDS, -1, -1, 0};
        if (m.kind == COL_KINDS) {
            say(t, TS_WARNING, t->sheet, t->head_row, c->col,
                "'%s' is not a column of the strategy-measure table: the column is skipped", text);
            continue;
        }
        int owner = m.kind == COL_FORECAST ? t->fcol[m.round] : t->col[m.kind];
        if (owner != (int)c->col)
            say(t, TS_WARNING, t->sheet, t->head_row, c->col,
                "'%s' names again the column %s: this one is skipped", text,
                cell_name(t, t->head_row, (uint32_t)owner));
    }
}

/* The import's own failure to find memory, said at the workbook. */
static ts_rc out_of_memory(ts_diags *diags, const char *file)
{
    ts_diag_fault(diags, file, (ts_pos){0, 0, NULL}, TS_FAULT_NO_MEMORY,
                  "out of memory while importing the table");
    return TS_SYSTEM_ERROR;
}

ts_rc ts_table_import(const ts_wbr_book *wb, const ts_labels *const labels[3],
                      const ts_table_options *opt, ts_diags *diags, ts_round **out)
{
    *out = NULL;
    imp t;
    if (!imp_init(&t, wb, labels, opt, diags))
        return out_of_memory(diags, wb->file);
    ts_round *round = NULL;
    head_row h;
    t.sheet = table_sheet(&t, &h);
    if (t.sheet == NULL && !t.x.oom) {
        const char *heads = ts_table_heads_looked_for(labels, t.x.tmp);
        ts_diag_add(diags, wb->file, (ts_pos){0, 0, NULL}, TS_ERROR,
                    "no strategy-measure table in this workbook: looked for %s",
                    heads ? heads : "its heads");
    }
    if (t.sheet != NULL && !t.x.oom) {
        t.head_row = h.row;
        memcpy(t.col, h.col, sizeof t.col);
        memcpy(t.fcol, h.fcol, sizeof t.fcol);
        memcpy(t.fyear, h.fyear, sizeof t.fyear);
        t.lang = 0;
        for (int l = 1; l < 3; l++)
            if (h.lang_votes[l] > h.lang_votes[t.lang])
                t.lang = l;
        if (opt->lang >= 0 && opt->lang < 3)
            t.lang = opt->lang;
        for (size_t i = 0; i < wb->sheet_count && !t.x.oom; i++) {
            head_row other;
            const ts_wbr_sheet *s = &wb->sheets[i];
            if (s != t.sheet && find_head(&t, s, &other))
                say(&t, TS_WARNING, s, other.row, (uint32_t)other.col[COL_MEASURE],
                    "this sheet holds a strategy-measure table too: only the sheet \"%s\" is "
                    "imported",
                    t.sheet->name);
        }
        check_head(&t);
        read_kinds(&t);
        title_facts title;
        read_title(&t, &title);
        read_rows(&t);
        if (!t.x.oom)
            round = assemble(&t, &title);
    }
    ts_arena_free(t.x.tmp);
    if (round == NULL)
        ts_arena_free(t.x.a);
    if (t.x.oom)
        return out_of_memory(diags, wb->file);
    *out = round;
    return round != NULL ? TS_OK : TS_INPUT_ERROR;
}

/* The rules of a round whatever it is read from (rules.h). */
#include "round/rules.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

enum { SPREADSHEET_CELL_MAX = 32767 };

struct ts_rule_id {
    const char *id;
    ts_id_kind kind;
    ts_pos pos;
    const void *object;
};

static const char *const kind_names[] = {"theme", "programme", "goal", "measure", "target"};

const char *ts_id_kind_name(ts_id_kind k)
{
    return (unsigned)k < 5 ? kind_names[k] : "?";
}

void ts_rules_init(ts_rules *r, const char *file, ts_diags *diags, ts_arena *scratch,
                   ts_arena *keep, const char *whole, bool lint)
{
    memset(r, 0, sizeof *r);
    r->file = file;
    r->diags = diags;
    r->scratch = scratch;
    r->keep = keep;
    r->whole = whole;
    r->lint = lint;
}

static void error(ts_rules *r, ts_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warning(ts_rules *r, ts_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error(ts_rules *r, ts_pos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(r->diags, r->file, at, TS_ERROR, fmt, ap);
    va_end(ap);
}

static void warning(ts_rules *r, ts_pos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(r->diags, r->file, at, TS_WARNING, fmt, ap);
    va_end(ap);
}

static void oom(ts_rules *r)
{
    if (!r->out_of_memory)
        ts_diag_fault(r->diags, r->file, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
    r->out_of_memory = true;
}

const char *ts_rules_shown(ts_rules *r, const char *s)
{
    size_t n = strlen(s), chars = 0, i = 0;
    for (; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > 60)
            break;
    }
    if (i == n)
        return s;
    const char *cut = ts_arena_printf(r->scratch, "%.*s…", (int)i, s);
    return cut ? cut : "…";
}

static size_t levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *ts_nearest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t d = levenshtein(word, cands[i]);
        size_t len = strlen(cands[i]);
        size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
        if (d <= limit && d < best_d) {
            best = cands[i];
            best_d = d;
        }
    }
    return best;
}

/* ---- Ids --------------------------------------------------------------------------------- */

/* XML 1.0 (fifth edition) NameStartChar and NameChar, without the colon: what an id may be. */
static bool name_start_char(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || c == '_' || (c >= 'a' && c <= 'z') ||
           (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
           (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
           (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
           (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0xEFFFF);
}

static bool name_char(uint32_t c)
{
    return name_start_char(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
           (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

bool ts_is_xml_name(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    if (n == 0)
        return false;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t len = ts_utf8_decode(u + i, n - i, &c);
        if (len == 0 || !(i == 0 ? name_start_char(c) : name_char(c)))
            return false;
        i += len;
    }
    return true;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static ts_rule_id *find(const ts_rules *r, const char *id)
{
    if (r->cap == 0)
        return NULL;
    for (size_t i = hash_str(id) & (r->cap - 1);; i = (i + 1) & (r->cap - 1)) {
        if (r->slots[i].id == NULL)
            return NULL;
        if (strcmp(r->slots[i].id, id) == 0)
            return &r->slots[i];
    }
}

static bool insert(ts_rules *r, const ts_rule_id *e)
{
    if ((r->len + 1) * 2 > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        ts_rule_id *slots = ts_arena_calloc(r->scratch, cap, sizeof *slots);
        if (slots == NULL)
            return false;
        for (size_t i = 0; i < r->cap; i++) {
            if (r->slots[i].id == NULL)
                continue;
            size_t k = hash_str(r->slots[i].id) & (cap - 1);
            while (slots[k].id != NULL)
                k = (k + 1) & (cap - 1);
            slots[k] = r->slots[i];
        }
        r->slots = slots;
        r->cap = cap;
    }
    size_t k = hash_str(e->id) & (r->cap - 1);
    while (r->slots[k].id != NULL)
        k = (k + 1) & (r->cap - 1);
    r->slots[k] = *e;
    r->len++;
    return true;
}

const char *ts_rules_take_id(ts_rules *r, const char *id, ts_id_kind kind, const void *object,
                             ts_pos at)
{
    if (!ts_is_xml_name(id)) {
        error(r, at,
              "id \"%s\" is not an XML name: start with a letter or '_', then use letters, "
              "digits, '-', '_', '.' (no spaces, no ':')",
              ts_rules_shown(r, id));
        return NULL;
    }
    ts_rule_id *old = find(r, id);
    if (old != NULL) {
        char where[200];
        error(r, at, "duplicate id '%s': already used by the %s at %s", ts_rules_shown(r, id),
              ts_id_kind_name(old->kind), ts_pos_text(old->pos, where, sizeof where));
        return NULL;
    }
    const char *copy = ts_arena_strdup(r->keep, id);
    ts_rule_id e = {copy, kind, at, object};
    if (copy == NULL || !insert(r, &e)) {
        oom(r);
        return NULL;
    }
    return copy;
}

const void *ts_rules_lookup(const ts_rules *r, const char *id, ts_id_kind *kind)
{
    const ts_rule_id *e = find(r, id);
    if (e == NULL)
        return NULL;
    *kind = e->kind;
    return e->object;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "'a', 'b', 'c'" */
static const char *join_quoted(ts_rules *r, const char *const *names, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(names[i]) + 4;
    char *s = ts_arena_alloc(r->scratch, len);
    if (s == NULL)
        return "";
    char *w = s;
    for (size_t i = 0; i < n; i++)
        w += sprintf(w, "%s'%s'", i ? ", " : "", names[i]);
    *w = '\0';
    return s;
}

const void *ts_rules_resolve(ts_rules *r, const char *value, ts_id_kind kind, ts_pos at,
                             const char *written)
{
    ts_rule_id *e = find(r, value);
    if (e != NULL && e->kind == kind)
        return e->object;
    /* Which ids of that kind exist: the first few, sorted, and the nearest spelling. */
    size_t n_of_kind = 0;
    for (size_t i = 0; i < r->cap; i++)
        n_of_kind += r->slots[i].id && r->slots[i].kind == kind;
    const char **all = n_of_kind ? ts_arena_calloc(r->scratch, n_of_kind, sizeof *all) : NULL;
    size_t k = 0;
    for (size_t i = 0; all && i < r->cap; i++)
        if (r->slots[i].id && r->slots[i].kind == kind)
            all[k++] = r->slots[i].id;
    if (k > 1)
        qsort(all, k, sizeof *all, cmp_str);
    const char *near = all ? ts_nearest(value, all, k) : NULL;
    size_t show = k > 6 ? 6 : k;
    const char *list = "";
    if (all) {
        for (size_t i = 0; i < show; i++)
            all[i] = ts_rules_shown(r, all[i]);
        list = join_quoted(r, all, show);
    }
    static const char *const plural[] = {"themes", "programmes", "goals", "measures", "targets"};
    const char *what = e != NULL
                           ? ts_arena_printf(r->scratch, "names a %s, not a %s",
                                             ts_id_kind_name(e->kind), ts_id_kind_name(kind))
                           : ts_arena_printf(r->scratch, "names no %s", ts_id_kind_name(kind));
    if (k == 0)
        error(r, at, "%s %s: the %s declares no %s", written, what ? what : "?", r->whole,
              plural[kind]);
    else
        error(r, at, "%s %s; %s in this %s: %s%s%s%s%s", written, what ? what : "?", plural[kind],
              r->whole, list, k > show ? ", …" : "", near ? " (did you mean '" : "",
              near ? near : "", near ? "'?)" : "");
    return NULL;
}

/* ---- Forecasts --------------------------------------------------------------------------- */

bool ts_rules_forecast_round(ts_rules *r, ts_measure *m, const ts_forecast *f, int round,
                             int number, ts_pos at)
{
    if (round > number && number >= 1) {
        error(r, at,
              "a forecast for round %d in round %d: a round carries forecasts only up to its own "
              "number",
              round, number);
        return false;
    }
    if (m->by_round[round] != NULL) {
        char where[200];
        ts_pos first = m->by_round[round]->pos;
        if (first.sheet == NULL)
            snprintf(where, sizeof where, "line %u", first.line);
        else
            ts_pos_text(first, where, sizeof where);
        error(r, at, "a second forecast for round %d in measure '%s': the first is at %s", round,
              m->id ? ts_rules_shown(r, m->id) : "?", where);
        return false;
    }
    m->by_round[round] = f;
    return true;
}

/* ---- Warnings ---------------------------------------------------------------------------- */

static bool same_unit(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* How a warning names a part of the round: as the element in a round file ("<owner>"), as the
 * thing in a form, whose columns say the rest ("owner"). */
static const char *part(const ts_rules *r, const char *element)
{
    bool form = r->whole != NULL && strcmp(r->whole, "form") == 0;
    static const char *const names[][2] = {
        {"<owner>", "owner"}, {"<task>", "task"}, {"<level>", "target level"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i][0], element) == 0)
            return names[i][form];
    return element;
}

/* A level is read against the numeric forecasts of its own unit only: one that no numeric
 * forecast shares is most likely a slip ("kpl" for "%"). */
static void lint_level(ts_rules *r, const ts_measure *m)
{
    const ts_level *l = m->level;
    const char *other = NULL;
    bool any = false, same = false;
    for (size_t i = 0; i < m->n_forecasts; i++) {
        const ts_forecast *f = &m->forecasts[i];
        if (!f->has_value)
            continue;
        any = true;
        if (same_unit(f->unit, l->unit))
            same = true;
        else if (other == NULL)
            other = f->unit ? f->unit : "";
    }
    if (!any || same)
        return;
    const char *id = m->id ? ts_rules_shown(r, m->id) : "?";
    if (l->unit == NULL)
        warning(r, l->pos,
                "the %s has no unit, and no numeric forecast of measure '%s' is without "
                "one (they use \"%s\"): a level is compared only with values in its own unit",
                part(r, "<level>"), id, ts_rules_shown(r, other));
    else if (*other == '\0')
        warning(r, l->pos,
                "the %s's unit \"%s\" is used by no numeric forecast of measure '%s' "
                "(they have no unit): a level is compared only with values in its own unit",
                part(r, "<level>"), ts_rules_shown(r, l->unit), id);
    else
        warning(r, l->pos,
                "the %s's unit \"%s\" is used by no numeric forecast of measure '%s' "
                "(they use \"%s\"): a level is compared only with values in its own unit",
                part(r, "<level>"), ts_rules_shown(r, l->unit), id, ts_rules_shown(r, other));
}

void ts_rules_lint_measure(ts_rules *r, int number, const ts_measure *m)
{
    if (!r->lint)
        return;
    if (number >= 1 && number <= 3 && m->by_round[number] == NULL)
        warning(r, m->pos,
                "measure '%s' has no forecast for round %d, the current round; it is shown as "
                "not reported",
                m->id ? ts_rules_shown(r, m->id) : "?", number);
    if (m->n_owners == 0)
        warning(r, m->pos, "measure '%s' has no %s", m->id ? ts_rules_shown(r, m->id) : "?",
                part(r, "<owner>"));
    if (m->level)
        lint_level(r, m);
}

void ts_rules_lint_target(ts_rules *r, const ts_target *t)
{
    if (r->lint && t->n_tasks == 0)
        warning(r, t->pos, "an empty target: it has no %s", part(r, "<task>"));
}

void ts_rules_lint_percent(ts_rules *r, double value, const char *unit, ts_pos at)
{
    if (r->lint && unit && strcmp(unit, "%") == 0 && value > 100) {
        if (r->whole != NULL && strcmp(r->whole, "form") == 0)
            warning(r, at, "a percentage over 100: %g %%", value);
        else
            warning(r, at, "a percentage over 100: value=\"%g\" unit=\"%%\"", value);
    }
}

void ts_rules_lint_cell(ts_rules *r, size_t chars, ts_pos at, const char *what)
{
    if (r->lint && chars > SPREADSHEET_CELL_MAX)
        warning(r, at,
                "%s is %zu characters long; a spreadsheet cell holds at most %d, so the "
                "workbooks cannot be built",
                what, chars, SPREADSHEET_CELL_MAX);
}

size_t ts_inline_cell_chars(const ts_inline *in)
{
    size_t c = 0;
    for (size_t i = 0; i < in->n_runs; i++)
        c += ts_utf8_count(in->runs[i].text, in->runs[i].len);
    return c;
}

static size_t block_chars(const ts_block *b, unsigned depth)
{
    if (b->kind == TS_BLOCK_P)
        return ts_inline_cell_chars(&b->text);
    size_t c = 0;
    for (size_t i = 0; i < b->n_items; i++) {
        c += (i ? 1 : 0) + 2 * (depth + 1) + ts_inline_cell_chars(&b->items[i].text);
        if (b->items[i].sublist && depth < 64)
            c += 1 + block_chars(b->items[i].sublist, depth + 1);
    }
    return c;
}

size_t ts_blocks_cell_chars(const ts_blocks *bl)
{
    size_t c = 0;
    for (size_t i = 0; i < bl->n; i++)
        c += (i ? 1 : 0) + block_chars(&bl->blocks[i], 0);
    return c;
}

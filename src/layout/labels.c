/* The label files: one XML file per language, every key of labels.h required. */
#include "layout/labels.h"
#include "core/fileio.h"
#include "core/utf8.h"
#include "core/xmlsrc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

enum { MAX_LABEL_FILE = 16 << 20 }; /* no label file is this large */

/* Sorted, so that the loader can find a key by binary search and report the missing ones in a
 * stable order.  Keep in step with the list in labels.h. */
static const char *const required_keys[] = {
    "bool.false",
    "bool.true",
    "change.improved",
    "change.same",
    "change.worsened",
    "col.comment",
    "col.forecast",
    "col.goal",
    "col.links",
    "col.measure",
    "col.recovery",
    "col.theme",
    "col.value",
    "continued",
    "date.day",
    "date.month",
    "deck.kicker",
    "detail.detail",
    "detail.status",
    "detail.task",
    "doc.keywords",
    "doc.subject",
    "forecast.history",
    "forecast.status",
    "forecast.value",
    "form.forecasts.about",
    "form.forecasts.measure",
    "form.forecasts.measure.example",
    "form.forecasts.measure.help",
    "form.forecasts.round",
    "form.forecasts.round.example",
    "form.forecasts.round.help",
    "form.forecasts.status",
    "form.forecasts.status.example",
    "form.forecasts.status.help",
    "form.forecasts.text",
    "form.forecasts.text.example",
    "form.forecasts.text.help",
    "form.forecasts.unit",
    "form.forecasts.unit.example",
    "form.forecasts.unit.help",
    "form.forecasts.value",
    "form.forecasts.value.example",
    "form.forecasts.value.help",
    "form.goals.about",
    "form.goals.description",
    "form.goals.description.example",
    "form.goals.description.help",
    "form.goals.id",
    "form.goals.id.example",
    "form.goals.id.help",
    "form.goals.statement",
    "form.goals.statement.example",
    "form.goals.statement.help",
    "form.goals.theme",
    "form.goals.theme.example",
    "form.goals.theme.help",
    "form.guide.col.column",
    "form.guide.col.example",
    "form.guide.col.help",
    "form.guide.intro.1",
    "form.guide.intro.2",
    "form.guide.intro.3",
    "form.guide.intro.4",
    "form.guide.intro.5",
    "form.guide.intro.6",
    "form.guide.intro.7",
    "form.guide.required",
    "form.guide.sheets",
    "form.guide.text",
    "form.guide.text.dates",
    "form.guide.text.dates.example",
    "form.guide.text.dates.help",
    "form.guide.text.escape",
    "form.guide.text.escape.example",
    "form.guide.text.escape.help",
    "form.guide.text.inline",
    "form.guide.text.inline.example",
    "form.guide.text.inline.help",
    "form.guide.text.link",
    "form.guide.text.link.example",
    "form.guide.text.link.help",
    "form.guide.text.list",
    "form.guide.text.list.example",
    "form.guide.text.list.help",
    "form.guide.text.nested",
    "form.guide.text.nested.example",
    "form.guide.text.nested.help",
    "form.guide.text.paragraph",
    "form.guide.text.paragraph.example",
    "form.guide.text.paragraph.help",
    "form.guide.text.people",
    "form.guide.text.people.example",
    "form.guide.text.people.help",
    "form.guide.text.style",
    "form.guide.text.style.example",
    "form.guide.text.style.help",
    "form.guide.title",
    "form.guide.words",
    "form.kind.city-project",
    "form.kind.joint-theme",
    "form.kind.separate-programme",
    "form.measures.about",
    "form.measures.comment",
    "form.measures.comment.example",
    "form.measures.comment.help",
    "form.measures.date",
    "form.measures.date.example",
    "form.measures.date.help",
    "form.measures.goal",
    "form.measures.goal.example",
    "form.measures.goal.help",
    "form.measures.id",
    "form.measures.id.example",
    "form.measures.id.help",
    "form.measures.level",
    "form.measures.level.example",
    "form.measures.level.help",
    "form.measures.links",
    "form.measures.links.example",
    "form.measures.links.help",
    "form.measures.managers",
    "form.measures.managers.example",
    "form.measures.managers.help",
    "form.measures.name",
    "form.measures.name.example",
    "form.measures.name.help",
    "form.measures.objective",
    "form.measures.objective.example",
    "form.measures.objective.help",
    "form.measures.owners",
    "form.measures.owners.example",
    "form.measures.owners.help",
    "form.measures.preparers",
    "form.measures.preparers.example",
    "form.measures.preparers.help",
    "form.measures.recovery",
    "form.measures.recovery.example",
    "form.measures.recovery.help",
    "form.measures.risks",
    "form.measures.risks.example",
    "form.measures.risks.help",
    "form.measures.text",
    "form.measures.text.example",
    "form.measures.text.help",
    "form.measures.unit",
    "form.measures.unit.example",
    "form.measures.unit.help",
    "form.notes.about",
    "form.notes.measure",
    "form.notes.measure.example",
    "form.notes.measure.help",
    "form.notes.text",
    "form.notes.text.example",
    "form.notes.text.help",
    "form.phases.about",
    "form.phases.at",
    "form.phases.at.example",
    "form.phases.at.help",
    "form.phases.label",
    "form.phases.label.example",
    "form.phases.label.help",
    "form.phases.measure",
    "form.phases.measure.example",
    "form.phases.measure.help",
    "form.phases.target",
    "form.phases.target.example",
    "form.phases.target.help",
    "form.programmes.about",
    "form.programmes.id",
    "form.programmes.id.example",
    "form.programmes.id.help",
    "form.programmes.kind",
    "form.programmes.kind.example",
    "form.programmes.kind.help",
    "form.programmes.name",
    "form.programmes.name.example",
    "form.programmes.name.help",
    "form.round.about",
    "form.round.city",
    "form.round.city.example",
    "form.round.city.help",
    "form.round.date",
    "form.round.date.example",
    "form.round.date.help",
    "form.round.division",
    "form.round.division.example",
    "form.round.division.help",
    "form.round.field",
    "form.round.lang",
    "form.round.lang.example",
    "form.round.lang.help",
    "form.round.number",
    "form.round.number.example",
    "form.round.number.help",
    "form.round.short",
    "form.round.short.example",
    "form.round.short.help",
    "form.round.subtitle",
    "form.round.subtitle.example",
    "form.round.subtitle.help",
    "form.round.title",
    "form.round.title.example",
    "form.round.title.help",
    "form.round.value",
    "form.round.year",
    "form.round.year.example",
    "form.round.year.help",
    "form.sheet.forecasts",
    "form.sheet.goals",
    "form.sheet.guide",
    "form.sheet.measures",
    "form.sheet.notes",
    "form.sheet.phases",
    "form.sheet.programmes",
    "form.sheet.round",
    "form.sheet.summary",
    "form.sheet.targets",
    "form.sheet.tasks",
    "form.sheet.themes",
    "form.summary.about",
    "form.summary.action",
    "form.summary.binding",
    "form.summary.indicator",
    "form.summary.row",
    "form.summary.row.example",
    "form.summary.row.help",
    "form.summary.subject",
    "form.summary.subject.example",
    "form.summary.subject.help",
    "form.summary.text",
    "form.summary.text.example",
    "form.summary.text.help",
    "form.targets.about",
    "form.targets.forecast",
    "form.targets.forecast.example",
    "form.targets.forecast.help",
    "form.targets.from",
    "form.targets.from.example",
    "form.targets.from.help",
    "form.targets.id",
    "form.targets.id.example",
    "form.targets.id.help",
    "form.targets.measure",
    "form.targets.measure.example",
    "form.targets.measure.help",
    "form.targets.number",
    "form.targets.number.example",
    "form.targets.number.help",
    "form.targets.risks",
    "form.targets.risks.example",
    "form.targets.risks.help",
    "form.targets.title",
    "form.targets.title.example",
    "form.targets.title.help",
    "form.targets.to",
    "form.targets.to.example",
    "form.targets.to.help",
    "form.task.doing",
    "form.task.done",
    "form.task.todo",
    "form.tasks.about",
    "form.tasks.detail",
    "form.tasks.detail.example",
    "form.tasks.detail.help",
    "form.tasks.measure",
    "form.tasks.measure.example",
    "form.tasks.measure.help",
    "form.tasks.progress",
    "form.tasks.progress.example",
    "form.tasks.progress.help",
    "form.tasks.status",
    "form.tasks.status.example",
    "form.tasks.status.help",
    "form.tasks.target",
    "form.tasks.target.example",
    "form.tasks.target.help",
    "form.tasks.title",
    "form.tasks.title.example",
    "form.tasks.title.help",
    "form.themes.about",
    "form.themes.id",
    "form.themes.id.example",
    "form.themes.id.help",
    "form.themes.name",
    "form.themes.name.example",
    "form.themes.name.help",
    "link.deck",
    "link.web",
    "month.1",
    "month.10",
    "month.11",
    "month.12",
    "month.2",
    "month.3",
    "month.4",
    "month.5",
    "month.6",
    "month.7",
    "month.8",
    "month.9",
    "overview.measure",
    "overview.round",
    "overview.tasks",
    "overview.value",
    "pack.round.1",
    "pack.round.2",
    "pack.round.3",
    "pack.subtitle",
    "pack.title",
    "page",
    "picture.axis",
    "picture.changes",
    "picture.col.change",
    "picture.col.status",
    "picture.first",
    "picture.no-changes",
    "picture.status",
    "picture.title",
    "picture.total",
    "progress.alt",
    "progress.empty",
    "risks.measure",
    "role.manager.many",
    "role.manager.one",
    "role.owner.many",
    "role.owner.one",
    "role.preparer.many",
    "role.preparer.one",
    "scale.alt",
    "sheet.measures",
    "sheet.picture",
    "sheet.summary",
    "sheet.tasks",
    "sheet.trend",
    "slide.binding-goal",
    "slide.contents",
    "slide.detail",
    "slide.forecast",
    "slide.goal",
    "slide.links",
    "slide.notes",
    "slide.overview",
    "slide.picture",
    "slide.progress",
    "slide.risks",
    "slide.summary",
    "slide.table",
    "status.achieved",
    "status.at-risk",
    "status.none",
    "status.off-track",
    "status.on-track",
    "summary.actions",
    "summary.binding",
    "summary.city-project",
    "summary.indicators",
    "summary.joint-theme",
    "summary.project-actions",
    "summary.separate-programme",
    "summary.theme-actions",
    "summary.theme-actions-short",
    "summary.themes",
    "summary.title",
    "task.doing",
    "task.done",
    "task.todo",
    "tasks.detail",
    "tasks.goal",
    "tasks.measure",
    "tasks.progress",
    "tasks.status",
    "tasks.target",
    "tasks.task",
    "tasks.theme",
    "trend.change",
    "trend.goal",
    "trend.level",
    "trend.measure",
    "trend.round",
    "trend.theme",
    "trend.value",
};

#define N_KEYS (sizeof required_keys / sizeof required_keys[0])

struct ts_labels {
    ts_lang lang;
    const char *texts[N_KEYS]; /* by the index of required_keys */
};

size_t ts_label_key_count(void)
{
    return N_KEYS;
}

const char *ts_label_key_at(size_t i)
{
    return i < N_KEYS ? required_keys[i] : NULL;
}

static int cmp_key(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

static long key_index(const char *key)
{
    const char *const *hit = bsearch(key, required_keys, N_KEYS, sizeof required_keys[0], cmp_key);
    return hit == NULL ? -1 : (long)(hit - required_keys);
}

/* ---- Placeholders ---------------------------------------------------------------------- */

typedef struct ph_values {
    int year, round, n, month, day;
    const char *monthname;
    const char *name;
} ph_values;

static const char *const placeholder_names[] = {"year", "round",     "n",   "month",
                                                "day",  "monthname", "name"};

/* The length of the placeholder name at s (after '{') when it is a known one closed by '}',
 * else 0. */
static size_t placeholder_at(const char *s, size_t *which)
{
    for (size_t i = 0; i < sizeof placeholder_names / sizeof placeholder_names[0]; i++) {
        size_t len = strlen(placeholder_names[i]);
        if (strncmp(s, placeholder_names[i], len) == 0 && s[len] == '}') {
            *which = i;
            return len;
        }
    }
    return 0;
}

static char *fill(ts_arena *a, const char *tmpl, const ph_values *v)
{
    /* Two passes: measure, then write, so that the arena gets one exact block. */
    char *out = NULL;
    for (int pass = 0; pass < 2; pass++) {
        size_t len = 0;
        for (const char *p = tmpl; *p != '\0';) {
            size_t which = 0;
            size_t name_len = *p == '{' ? placeholder_at(p + 1, &which) : 0;
            if (name_len == 0) {
                if (out != NULL)
                    out[len] = *p;
                len++;
                p++;
                continue;
            }
            char num[16] = "";
            const char *val = num;
            int n = -1;
            switch (which) {
            case 0:
                n = v->year;
                break;
            case 1:
                n = v->round;
                break;
            case 2:
                n = v->n;
                break;
            case 3:
                n = v->month;
                break;
            case 4:
                n = v->day;
                break;
            case 5:
                val = v->monthname != NULL ? v->monthname : "";
                break;
            default:
                val = v->name != NULL ? v->name : "";
                break;
            }
            if (which <= 4 && n >= 0)
                snprintf(num, sizeof num, "%d", n);
            size_t vlen = strlen(val);
            if (out != NULL)
                memcpy(out + len, val, vlen);
            len += vlen;
            p += name_len + 2;
        }
        if (out != NULL) {
            out[len] = '\0';
            return out;
        }
        out = ts_arena_alloc(a, len + 1);
        if (out == NULL)
            return NULL;
    }
    return out;
}

/* ---- Loading --------------------------------------------------------------------------- */

/* Caps far above what a label file needs (the shipped ones: about 100 labels, 400 nodes, the
 * longest label 75 characters); docs/layouts.md lists them. */
enum {
    MAX_NODES = 10000,    /* elements, texts, attributes and comments */
    MAX_TEXT_CHARS = 200, /* a title, a heading, an alternative text */
    MAX_WORD_CHARS = 40,  /* a word set on a mark, in a narrow column or after a title */
    MAX_SHEET_CHARS = 31, /* a sheet's name: Excel's limit */
};

/* The labels that stand where only a word fits: on a status mark, in a table cell beside
 * it, after every continued slide's title, as a slide number or a date. */
static bool is_word_key(const char *key)
{
    static const char *const prefixes[] = {"status.", "task.", "bool.", "role.", "month.", "date."};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(key, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return strcmp(key, "continued") == 0 || strcmp(key, "page") == 0;
}

static bool is_sheet_key(const char *key)
{
    return strncmp(key, "sheet.", 6) == 0;
}

typedef struct load_state {
    ts_xml_src src;   /* first: libxml2's handlers find it through ctxt->_private */
    const char *file; /* as named in diagnostics */
    ts_diags *diags;
    bool doctype;
    ts_pos doctype_pos;
    size_t parse_errors;
} load_state;

/* Reports at node (at its attribute attr when given); past the cap on messages the place is
 * not worked out, only the fault counted. */
static void fault(load_state *st, const xmlNode *node, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fault(load_state *st, const xmlNode *node, const char *attr, const char *fmt, ...)
{
    if (ts_diag_full(st->diags, st->file, TS_ERROR)) {
        ts_diag_add(st->diags, st->file, (ts_pos){0, 0}, TS_ERROR, "%s", "");
        return;
    }
    ts_pos pos = node == NULL ? (ts_pos){0, 0}
                 : attr       ? ts_xml_attr_pos(&st->src, node, attr)
                              : ts_xml_node_pos(&st->src, node);
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(st->diags, st->file, pos, TS_ERROR, fmt, ap);
    va_end(ap);
}

/* A value of the file as a message quotes it: at most 60 characters, cut on a character. */
static int shown_len(const char *s)
{
    size_t n = 0, chars = 0;
    for (; s[n] != '\0'; n++)
        if (((unsigned char)s[n] & 0xC0) != 0x80 && ++chars > 60)
            break;
    return (int)n;
}

static void on_xml_error(void *data, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = data;
    load_state *st = ctxt->_private;
    if (err == NULL || err->level == XML_ERR_WARNING || st->doctype)
        return;
    ts_pos pos = {err->line > 0 ? (uint32_t)err->line : 0, err->int2 > 0 ? (uint32_t)err->int2 : 0};
    st->parse_errors++;
    if (err->code == XML_ERR_NO_MEMORY) {
        /* Not a fault of the file: libxml2's own text names only its function. */
        ts_diag_fault(st->diags, st->file, pos, TS_FAULT_NO_MEMORY,
                      "out of memory reading the labels");
        return;
    }
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message != NULL ? err->message : "malformed XML");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    ts_diag_add(st->diags, st->file, pos, TS_ERROR, "%s", msg);
}

/* A DOCTYPE is refused before libxml2 does anything with it: no DTD, no entity is read. */
static void on_internal_subset(void *data, const xmlChar *name, const xmlChar *ext_id,
                               const xmlChar *sys_id)
{
    xmlParserCtxtPtr ctxt = data;
    load_state *st = ctxt->_private;
    st->doctype = true;
    st->doctype_pos.line = (uint32_t)xmlSAX2GetLineNumber(ctxt);
    st->doctype_pos.col = 1;
    xmlStopParser(ctxt);
}

static void on_attr_flood(void *ctx, size_t off, size_t n)
{
    load_state *st = ctx;
    st->parse_errors++;
    if (ts_diag_full(st->diags, st->file, TS_ERROR)) {
        ts_diag_add(st->diags, st->file, (ts_pos){0, 0}, TS_ERROR, "%s", "");
        return;
    }
    const char *d = st->src.data + off + 1;
    int name = 0;
    while (off + 1 + (size_t)name < st->src.len && name < 60 && d[name] != ' ' && d[name] != '\t' &&
           d[name] != '\n' && d[name] != '\r' && d[name] != '>' && d[name] != '/')
        name++;
    ts_diag_add(st->diags, st->file, ts_text_cursor_at(&st->src.cursor, off), TS_ERROR,
                "<%.*s> has %zu attributes; the cap is %d on one element (a label takes one)", name,
                d, n, TS_XML_MAX_ATTRS);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* White space folded as in the round file: trimmed, inner runs become one space. */
static char *fold(ts_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *out = ts_arena_alloc(a, n + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    bool pending = false;
    for (const char *p = s; *p != '\0'; p++) {
        if (is_space(*p)) {
            pending = o > 0;
            continue;
        }
        if (pending)
            out[o++] = ' ';
        pending = false;
        out[o++] = *p;
    }
    out[o] = '\0';
    return out;
}

/* Reports each "{...}" that is not a known placeholder: a typo would otherwise be printed. */
static bool check_placeholders(load_state *st, xmlNodePtr node, const char *key, const char *text)
{
    bool ok = true;
    for (const char *p = strchr(text, '{'); p != NULL; p = strchr(p + 1, '{')) {
        size_t which;
        if (placeholder_at(p + 1, &which) == 0) {
            const char *close = strchr(p, '}');
            int shown = close != NULL && close - p < 40 ? (int)(close - p + 1) : 1;
            fault(st, node, NULL,
                  "label \"%s\" has an unknown placeholder \"%.*s\"; hint: the placeholders "
                  "are {year}, {round}, {n}, {month}, {day}, {monthname} and {name}",
                  key, shown, p);
            ok = false;
        }
    }
    return ok;
}

/* The character at s (advanced past it), with the letters of Finnish, Swedish and English in
 * lower case: enough to compare sheet names as Excel does, without case. */
static uint32_t folded_char(const char **s)
{
    size_t len = strlen(*s), used;
    uint32_t cp = ts_utf8_get((const unsigned char *)*s, len, &used);
    *s += used;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        cp += 0x20;
    return cp;
}

static bool same_without_case(const char *a, const char *b)
{
    while (*a && *b)
        if (folded_char(&a) != folded_char(&b))
            return false;
    return *a == *b;
}

/* A sheet's name as Excel (and LibreOffice) take one: 1 to 31 characters, none of []:*?/\,
 * no apostrophe at either end, not "History" (Excel keeps it), no placeholder (nothing fills
 * one there). */
static bool check_sheet_name(load_state *st, xmlNodePtr node, const char *key, const char *text)
{
    size_t chars = ts_utf8_count(text, strlen(text));
    const char *bad = strpbrk(text, "[]:*?/\\");
    const char *why = NULL;
    char what[96] = "";
    if (chars == 0)
        why = "is empty";
    else if (chars > MAX_SHEET_CHARS)
        snprintf(what, sizeof what, "has %zu characters; a sheet's name has at most %d", chars,
                 MAX_SHEET_CHARS);
    else if (bad != NULL)
        snprintf(what, sizeof what, "holds '%c', which a sheet's name cannot hold", *bad);
    else if (text[0] == '\'' || text[strlen(text) - 1] == '\'')
        why = "begins or ends with an apostrophe, which a sheet's name cannot";
    else if (same_without_case(text, "History"))
        why = "is \"History\", a name Excel keeps for itself";
    else if (strchr(text, '{') != NULL)
        why = "holds a placeholder; a sheet's name is used as written";
    if (why == NULL && what[0] == '\0')
        return true;
    fault(st, node, NULL,
          "label \"%s\" (a sheet's name) %s; hint: 1 to 31 characters, none of []:*?/\\ and no "
          "apostrophe at either end",
          key, why ? why : what);
    return false;
}

/* The name of what `n` holds that a label cannot: an element, or an entity reference. */
static const char *not_plain(const xmlNode *n, char *buf, size_t cap)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            snprintf(buf, cap, "the element <%.*s>", shown_len((const char *)c->name),
                     (const char *)c->name);
            return buf;
        }
        if (c->type == XML_ENTITY_REF_NODE)
            return "an entity reference";
    }
    return NULL;
}

static bool read_labels(load_state *st, xmlNodePtr root, ts_lang lang, struct ts_labels *l,
                        ts_arena *a)
{
    bool ok = true;
    const char *want = ts_lang_name(lang);
    if (root == NULL || root->ns != NULL || xmlStrcmp(root->name, BAD_CAST "labels") != 0) {
        fault(st, root, NULL, "the root element must be <labels>%s",
              root && root->ns ? ", in no namespace" : "");
        return false;
    }
    for (const xmlAttr *at = root->properties; at != NULL; at = at->next)
        if (!(at->ns != NULL && at->ns->prefix != NULL &&
              xmlStrcmp(at->ns->prefix, BAD_CAST "xml") == 0 &&
              xmlStrcmp(at->name, BAD_CAST "lang") == 0)) {
            fault(st, root, (const char *)at->name, "unknown attribute '%.*s' on <labels>",
                  shown_len((const char *)at->name), (const char *)at->name);
            ok = false;
        }
    xmlChar *lang_attr = xmlGetNsProp(root, BAD_CAST "lang", XML_XML_NAMESPACE);
    if (lang_attr == NULL || strcmp((const char *)lang_attr, want) != 0) {
        fault(st, root, NULL, "<labels> has xml:lang=\"%.*s\" but this is the file for \"%s\"",
              lang_attr ? shown_len((const char *)lang_attr) : 0,
              lang_attr ? (const char *)lang_attr : "", want);
        ok = false;
    }
    xmlFree(lang_attr);

    /* Where each key was first given, also when its label was refused: a key given with a
     * fault is not "missing" as well. */
    ts_pos key_pos[N_KEYS] = {{0, 0}};
    const xmlNode *key_node[N_KEYS] = {NULL};
    for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
            continue;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            for (const xmlChar *c = n->content; c != NULL && *c != '\0'; c++) {
                if (!is_space((char)*c)) {
                    fault(st, n, NULL, "text outside a <label> element");
                    ok = false;
                    break;
                }
            }
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || n->ns != NULL ||
            xmlStrcmp(n->name, BAD_CAST "label") != 0) {
            fault(st, n, NULL,
                  "unexpected element <%.*s>; hint: a label file holds only <label key=\"...\">",
                  n->name ? shown_len((const char *)n->name) : 1,
                  n->name ? (const char *)n->name : "?");
            ok = false;
            continue;
        }
        for (const xmlAttr *at = n->properties; at != NULL; at = at->next)
            if (at->ns != NULL || xmlStrcmp(at->name, BAD_CAST "key") != 0) {
                fault(st, n, (const char *)at->name,
                      "unknown attribute '%.*s' on <label>; a label takes only key",
                      shown_len((const char *)at->name), (const char *)at->name);
                ok = false;
            }
        xmlChar *key = xmlGetNoNsProp(n, BAD_CAST "key");
        if (key == NULL && xmlHasNsProp(n, BAD_CAST "key", NULL) != NULL) {
            /* There, but its value could not be copied. */
            ts_diag_fault(st->diags, st->file, ts_xml_node_pos(&st->src, n), TS_FAULT_NO_MEMORY,
                          "out of memory reading the labels");
            ok = false;
            continue;
        }
        if (key == NULL) {
            fault(st, n, NULL, "<label> without a key attribute");
            ok = false;
            continue;
        }
        const char *k = (const char *)key;
        long idx = key_index(k);
        char buf[96];
        const char *inside;
        if (idx < 0) {
            fault(st, n, "key", "unknown label key \"%.*s\"", shown_len(k), k);
            ok = false;
        } else if (key_node[idx] != NULL) {
            fault(st, n, "key", "label \"%s\" is given twice (first at line %u)", k,
                  key_pos[idx].line);
            ok = false;
        } else if ((key_node[idx] = n, key_pos[idx] = ts_xml_attr_pos(&st->src, n, "key"),
                    inside = not_plain(n, buf, sizeof buf)) != NULL) {
            fault(st, n, NULL, "label \"%s\" holds %s: a label is plain text", k, inside);
            ok = false;
        } else {
            xmlChar *content = xmlNodeGetContent(n);
            char *text = fold(a, content ? (const char *)content : "");
            xmlFree(content);
            if (text == NULL) {
                xmlFree(key);
                ts_diag_fault(st->diags, st->file, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                              "out of memory");
                return false;
            }
            size_t chars = ts_utf8_count(text, strlen(text));
            size_t most = is_word_key(k) ? MAX_WORD_CHARS : MAX_TEXT_CHARS;
            if (is_sheet_key(k)) {
                ok = check_sheet_name(st, n, k, text) && ok;
            } else if (chars > most) {
                fault(st, n, NULL, "label \"%s\" has %zu characters; the cap is %zu for %s", k,
                      chars, most, most == MAX_WORD_CHARS ? "a word such as this" : "a label");
                ok = false;
            } else if (!check_placeholders(st, n, k, text)) {
                ok = false;
            }
            l->texts[idx] = text;
        }
        xmlFree(key);
    }
    for (size_t i = 0; i < N_KEYS; i++) {
        if (key_node[i] == NULL) {
            fault(st, root, NULL,
                  "label \"%s\" is missing; hint: every key listed in src/labels.h is required",
                  required_keys[i]);
            ok = false;
        }
    }
    /* Excel refuses two sheets of one name, without case. */
    for (size_t i = 0; i < N_KEYS; i++)
        for (size_t j = i + 1; j < N_KEYS && is_sheet_key(required_keys[i]); j++)
            if (is_sheet_key(required_keys[j]) && l->texts[i] && l->texts[j] && *l->texts[i] &&
                same_without_case(l->texts[i], l->texts[j])) {
                fault(st, key_node[j], NULL,
                      "label \"%s\" names the same sheet as \"%s\" (line %u): \"%s\"",
                      required_keys[j], required_keys[i], key_pos[i].line, l->texts[j]);
                ok = false;
            }
    return ok;
}

/* Reads the labels in buf..len (the file `path`). */
static const ts_labels *load_labels(const char *path, const char *buf, size_t len, ts_lang lang,
                                    ts_arena *a, ts_diags *diags)
{
    load_state st = {.file = path, .diags = diags};
    size_t bad = ts_xml_check_utf8(buf, len);
    if (bad < len) {
        ts_text_cursor cur;
        ts_text_cursor_init(&cur, buf, len);
        ts_diag_add(diags, path, ts_text_cursor_at(&cur, bad), TS_ERROR,
                    "the byte 0x%02X is not UTF-8 text (or is a NUL): a label file is UTF-8",
                    (unsigned char)buf[bad]);
        return NULL;
    }
    if (len > (size_t)INT32_MAX) {
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "the label file is too large");
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        return NULL;
    }
    ts_xml_src_install(&st.src, ctxt, buf, len, MAX_NODES, a);
    if (ts_xml_attr_floods(buf, len, TS_XML_MAX_ATTRS, on_attr_flood, &st) > 0) {
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    ctxt->_private = &st;
    ctxt->sax->serror = on_xml_error;
    ctxt->sax->internalSubset = on_internal_subset;
    /* IGNORE_ENC: the bytes were checked to be UTF-8, and the places are offsets in them. */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, path, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
                                          XML_PARSE_IGNORE_ENC);
    struct ts_labels *l = NULL;
    if (st.doctype) {
        ts_diag_add(diags, path, st.doctype_pos, TS_ERROR,
                    "a DOCTYPE is not allowed in a label file; hint: remove the <!DOCTYPE ...> "
                    "line (no DTD or entity is ever read)");
    } else if (st.src.too_many) {
        ts_diag_add(diags, path, st.src.too_many_pos, TS_ERROR,
                    "the label file holds more than %d elements, texts, attributes and comments, "
                    "the cap (a label file has a few hundred)",
                    MAX_NODES);
    } else if (st.src.out_of_memory) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "out of memory reading the labels");
    } else if (doc == NULL || st.parse_errors > 0 || !ctxt->wellFormed) {
        if (st.parse_errors == 0)
            ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "the label file is not well-formed");
    } else {
        l = ts_arena_calloc(a, 1, sizeof *l);
        if (l == NULL) {
            ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        } else {
            l->lang = lang;
            if (!read_labels(&st, xmlDocGetRootElement(doc), lang, l, a))
                l = NULL;
        }
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return l;
}

const ts_labels *ts_labels_load(const char *dir, ts_lang lang, ts_arena *a, ts_diags *diags)
{
    char *path = ts_arena_printf(a, "%s/%s.xml", dir, ts_lang_name(lang));
    if (path == NULL) {
        ts_diag_fault(diags, dir, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0;
    int err = ts_read_file(path, MAX_LABEL_FILE, NULL, &buf, &len);
    if (err != 0) {
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "cannot read the label file: %s",
                    err == EFBIG ? "larger than 16 MiB" : strerror(err));
        return NULL;
    }
    const ts_labels *l = load_labels(path, buf, len, lang, a, diags);
    free(buf);
    return l;
}

const ts_labels *ts_labels_load_memory(const char *name, const char *data, size_t len, ts_lang lang,
                                       ts_arena *a, ts_diags *diags)
{
    if (len > MAX_LABEL_FILE) {
        ts_diag_add(diags, name, (ts_pos){0, 0}, TS_ERROR, "the label file is larger than 16 MiB");
        return NULL;
    }
    char *path = ts_arena_strdup(a, name);
    if (path == NULL) {
        ts_diag_fault(diags, name, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        return NULL;
    }
    return load_labels(path, data, len, lang, a, diags);
}

/* ---- Lookup ---------------------------------------------------------------------------- */

const char *ts_label(const ts_labels *l, const char *key)
{
    long idx = key_index(key);
    /* A key outside the list is a bug of the caller: show the key rather than nothing. */
    return idx < 0 ? key : l->texts[idx];
}

char *ts_label_fmt(const ts_labels *l, ts_arena *a, const char *key, int year, int round, int n)
{
    ph_values v = {year, round, n, -1, -1, NULL, NULL};
    return fill(a, ts_label(l, key), &v);
}

char *ts_label_fmt_name(const ts_labels *l, ts_arena *a, const char *key, const char *name)
{
    ph_values v = {-1, -1, -1, -1, -1, NULL, name};
    return fill(a, ts_label(l, key), &v);
}

char *ts_label_fill_name(ts_arena *a, const char *text, const char *name)
{
    ph_values v = {-1, -1, -1, -1, -1, NULL, name};
    return fill(a, text, &v);
}

const char *ts_label_status(const ts_labels *l, ts_status s)
{
    static const char *const keys[] = {"status.none", "status.on-track", "status.achieved",
                                       "status.at-risk", "status.off-track"};
    return ts_label(l, (unsigned)s < 5 ? keys[s] : keys[0]);
}

const char *ts_label_task_status(const ts_labels *l, ts_task_status s)
{
    static const char *const keys[] = {"task.todo", "task.doing", "task.done"};
    return ts_label(l, (unsigned)s < 3 ? keys[s] : keys[0]);
}

const char *ts_label_bool(const ts_labels *l, bool b)
{
    return ts_label(l, b ? "bool.true" : "bool.false");
}

const char *ts_label_role(const ts_labels *l, const char *role, size_t count)
{
    char key[64];
    snprintf(key, sizeof key, "role.%s.%s", role, count == 1 ? "one" : "many");
    long idx = key_index(key);
    return idx < 0 ? role : l->texts[idx];
}

char *ts_label_date(const ts_labels *l, ts_arena *a, ts_date d)
{
    char key[16];
    snprintf(key, sizeof key, "month.%d", d.month);
    const char *name = d.month >= 1 && d.month <= 12 ? ts_label(l, key) : "";
    ph_values v = {d.year, -1, -1, d.month, d.day > 0 ? d.day : -1, name, NULL};
    return fill(a, ts_label(l, d.day > 0 ? "date.day" : "date.month"), &v);
}

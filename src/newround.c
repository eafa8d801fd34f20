/* new-round: the next round's file from this one.
 *
 * It edits the document tree of the input, not the model, so that what people wrote stays as
 * they wrote it: indentation, XML comments, the order of elements.  Round n+1 of the same year
 * keeps everything but empties the measures' comments; after round 3 comes round 1 of the next
 * year, whose measures have no forecasts yet.  The result is checked with the parser before it
 * is written, and appears whole or not at all. */
#define _GNU_SOURCE /* localtime_r */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "build.h"
#include "commands.h"
#include "parser.h"

static bool is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static bool is_blank_text(const xmlNode *n)
{
    if (n == NULL || n->type != XML_TEXT_NODE)
        return false;
    for (const xmlChar *p = n->content; p && *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return false;
    return true;
}

/* Removes an element and the indentation before it, so that no blank line is left behind. */
static void remove_element(xmlNode *n)
{
    xmlNode *prev = n->prev;
    if (is_blank_text(prev)) {
        xmlUnlinkNode(prev);
        xmlFreeNode(prev);
    }
    xmlUnlinkNode(n);
    xmlFreeNode(n);
}

static void empty_element(xmlNode *n)
{
    xmlNode *c = n->children;
    while (c != NULL) {
        xmlNode *next = c->next;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
        c = next;
    }
}

static void next_round_measure(xmlNode *measure, bool new_year)
{
    xmlNode *c = measure->children;
    while (c != NULL) {
        xmlNode *next = c->next;
        if (is_element(c, "comment"))
            empty_element(c);
        else if (new_year && is_element(c, "forecast"))
            remove_element(c);
        c = next;
    }
}

static bool parse_date_arg(const char *s, int *y, int *m, int *d)
{
    char tail;
    if (s == NULL || sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3 || strlen(s) != 10)
        return false;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (*y < 2000 || *y > 2100 || *m < 1 || *m > 12 || *d < 1 || *d > days[*m - 1])
        return false;
    bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    return !(*m == 2 && *d == 29 && !leap);
}

static int write_doc(xmlDoc *doc, const char *path, ts_diags *diags)
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp) {
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "output path too long");
        return TS_SYSTEM_ERROR;
    }
    xmlSaveCtxt *save = xmlSaveToFilename(tmp, "UTF-8", 0);
    if (save == NULL || xmlSaveDoc(save, doc) < 0 || xmlSaveClose(save) < 0) {
        int err = errno;
        unlink(tmp);
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "cannot write: %s",
                    err ? strerror(err) : "write failed");
        return TS_SYSTEM_ERROR;
    }
    if (rename(tmp, path) != 0) {
        int err = errno;
        unlink(tmp);
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "cannot write: %s", strerror(err));
        return TS_SYSTEM_ERROR;
    }
    return TS_OK;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int new_round(const ts_new_round_args *a, ts_diags *diags)
{
    int y, m, d;
    if (a->date != NULL) {
        if (!parse_date_arg(a->date, &y, &m, &d)) {
            fprintf(stderr,
                    "taseuranta: error: --date wants an existing date YYYY-MM-DD, not "
                    "'%s'; try 'taseuranta --help'\n",
                    a->date);
            return TS_USAGE_ERROR;
        }
    } else {
        /* The one place where the clock is read: "today" is what a planner means here. */
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        y = tm.tm_year + 1900;
        m = tm.tm_mon + 1;
        d = tm.tm_mday;
    }
    if (same_file(a->input, a->output)) {
        fprintf(stderr, "%s: error: refusing to overwrite the input file; name another with -o\n",
                a->output);
        return TS_USAGE_ERROR;
    }

    /* The input must be a valid round first: its errors are reported as check reports them. */
    ts_parse_options po;
    ts_parse_options_default(&po);
    ts_round *round = ts_parse_file(a->input, NULL, &po, diags);
    if (round == NULL)
        return diags->errors ? TS_INPUT_ERROR : TS_SYSTEM_ERROR;
    int year = round->year, number = round->number;
    ts_round_free(round);

    /* Parsed again as a tree to edit.  The parser above has refused any DOCTYPE, so nothing
     * outside the file can be reached; NONET all the same. */
    xmlDoc *doc = xmlReadFile(a->input, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (doc == NULL) {
        ts_diag_add(diags, a->input, (ts_pos){0, 0}, TS_ERROR, "cannot read the round again");
        return TS_SYSTEM_ERROR;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    bool new_year = number >= 3;
    int next_year = new_year ? year + 1 : year;
    int next_number = new_year ? 1 : number + 1;
    char buf[32];
    snprintf(buf, sizeof buf, "%d", next_year);
    xmlSetProp(root, BAD_CAST "year", BAD_CAST buf);
    snprintf(buf, sizeof buf, "%d", next_number);
    xmlSetProp(root, BAD_CAST "number", BAD_CAST buf);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    xmlSetProp(root, BAD_CAST "date", BAD_CAST buf);
    for (xmlNode *g = root->children; g != NULL; g = g->next) {
        if (!is_element(g, "goal"))
            continue;
        for (xmlNode *ms = g->children; ms != NULL; ms = ms->next)
            if (is_element(ms, "measure"))
                next_round_measure(ms, new_year);
    }

    /* What is written must pass check: parse the result before it replaces anything. */
    xmlChar *mem = NULL;
    int len = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &len, "UTF-8");
    ts_round *next =
        mem ? ts_parse_memory((const char *)mem, (size_t)len, a->output, &po, diags) : NULL;
    xmlFree(mem);
    int rc;
    if (next == NULL) {
        ts_diag_add(diags, a->output, (ts_pos){0, 0}, TS_ERROR,
                    "the next round would not be valid; nothing was written");
        rc = TS_INPUT_ERROR;
    } else {
        ts_round_free(next);
        rc = write_doc(doc, a->output, diags);
    }
    xmlFreeDoc(doc);
    return rc;
}

int ts_cmd_new_round(const ts_new_round_args *a)
{
    ts_diags diags;
    if (!ts_diags_init(&diags, NULL))
        return TS_SYSTEM_ERROR;
    int rc = new_round(a, &diags);
    ts_diags_print(&diags, stderr);
    ts_diags_free(&diags);
    return rc;
}

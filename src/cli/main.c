/* taseuranta: the command line.  Only parses the command and hands over to the modules.
 *
 * One table below says every option: which commands take it, its names, its argument and its
 * help.  The parser and --help both read it, so they cannot disagree. */
#define _POSIX_C_SOURCE 200809L /* PATH_MAX */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "cli/commands.h"
#include "core/diag.h"
#include "core/utf8.h"
#include "layout/labels.h"
#include "round/parser.h"
#include "round/rules.h"
#include "book/form.h"

enum {
    CMD_BUILD = 1u << 0,
    CMD_CHECK = 1u << 1,
    CMD_NEW_ROUND = 1u << 2,
    CMD_GLOBAL = 1u << 3, /* before the command */
    CMD_FORM = 1u << 4,
    CMD_IMPORT = 1u << 5,
    CMD_ANY = CMD_BUILD | CMD_CHECK | CMD_NEW_ROUND | CMD_GLOBAL | CMD_FORM | CMD_IMPORT,
};

typedef enum opt_id {
    OPT_HELP,
    OPT_VERSION,
    OPT_OUT_DIR,
    OPT_OUT_FILE,
    OPT_FORMAT,
    OPT_LAYOUT,
    OPT_PDFA,
    OPT_STRICT,
    OPT_JOBS,
    OPT_QUIET,
    OPT_UNTAGGED,
    OPT_DATE,
    OPT_KEEP_PARSED,
    OPT_FORCE,
    OPT_BLANK,
    OPT_LANG,
    OPT_YEAR,
    OPT_NUMBER,
    OPT_DIVISION,
    OPT_SHORT,
    OPT_CITY,
} opt_id;

typedef struct opt_def {
    unsigned commands;
    const char *long_name;
    char short_name; /* 0: none */
    const char *arg; /* NULL: a flag */
    const char *help;
    opt_id id;
    bool hidden; /* parsed, not listed by --help */
} opt_def;

static const opt_def options[] = {
    {CMD_BUILD, "output", 'o', "DIR", "write the files into DIR (default: the current folder)",
     OPT_OUT_DIR, false},
    {CMD_BUILD, "format", 0, "LIST",
     "which files to write: a comma-separated list of pdf, xlsx, ods (default: all three)",
     OPT_FORMAT, false},
    {CMD_BUILD, "layout", 0, "FILE",
     "the layout file, or a shipped layout by its name (default: helsinki; see below)", OPT_LAYOUT,
     false},
    {CMD_BUILD, "pdfa", 0, NULL, "write PDF/A-2a", OPT_PDFA, false},
    {CMD_BUILD | CMD_CHECK, "strict", 0, NULL, "treat warnings as errors", OPT_STRICT, false},
    {CMD_BUILD, "jobs", 'j', "N", "build N round files at once (default: 1)", OPT_JOBS, false},
    {CMD_BUILD | CMD_CHECK, "quiet", 'q', NULL, "print only problems", OPT_QUIET, false},
    {CMD_BUILD, "untagged", 0, NULL, "benchmark only: a PDF without the structure tree",
     OPT_UNTAGGED, true},
    {CMD_BUILD, "keep-parsed", 0, "MIB",
     "test only: MiB of read rounds a batch keeps for building; the rest is read again",
     OPT_KEEP_PARSED, true},
    {CMD_NEW_ROUND, "output", 'o', "FILE", "the next round's file to write (required)",
     OPT_OUT_FILE, false},
    {CMD_NEW_ROUND, "date", 0, "YYYY-MM-DD",
     "the new round's date (default: today, said in a note)", OPT_DATE, false},
    {CMD_NEW_ROUND, "force", 0, NULL, "replace FILE when it exists (default: refuse)", OPT_FORCE,
     false},
    {CMD_FORM, "output", 'o', "FORM", "the form to write: FORM.xlsx or FORM.ods (required)",
     OPT_OUT_FILE, false},
    {CMD_FORM, "blank", 0, NULL, "an empty form for a new round, instead of ROUND", OPT_BLANK,
     false},
    {CMD_FORM, "lang", 0, "fi|sv|en", "the blank form's language (default: fi)", OPT_LANG, false},
    {CMD_FORM, "force", 0, NULL, "replace FORM when it exists (default: refuse)", OPT_FORCE, false},
    {CMD_IMPORT, "output", 'o', "FILE", "the round file to write (required)", OPT_OUT_FILE, false},
    {CMD_IMPORT, "year", 0, "YYYY", "the round's year, over the form's or the table's", OPT_YEAR,
     false},
    {CMD_IMPORT, "number", 0, "N", "the round's number (1-3), over the form's or the table's",
     OPT_NUMBER, false},
    {CMD_IMPORT, "date", 0, "YYYY-MM-DD", "the round's date, over the form's or the table's",
     OPT_DATE, false},
    {CMD_IMPORT, "division", 0, "NAME", "the division's full name, over the form's or the table's",
     OPT_DIVISION, false},
    {CMD_IMPORT, "short", 0, "S", "the division's short name, over the form's or the table's",
     OPT_SHORT, false},
    {CMD_IMPORT, "lang", 0, "fi|sv|en", "the round's language, over the form's or the table's",
     OPT_LANG, false},
    {CMD_IMPORT, "city", 0, "NAME", "the city's name, over the form's (a table names none)",
     OPT_CITY, false},
    {CMD_IMPORT, "force", 0, NULL, "replace FILE when it exists (default: refuse)", OPT_FORCE,
     false},
    {CMD_ANY, "help", 'h', NULL, "show this help and exit", OPT_HELP, false},
    {CMD_ANY, "version", 0, NULL, "show the version and exit", OPT_VERSION, false},
};
enum { N_OPTIONS = sizeof options / sizeof options[0] };

typedef struct command_def {
    const char *name;
    unsigned bit;
    const char *operands;
    const char *help;
} command_def;

static const command_def commands[] = {
    {"build", CMD_BUILD, "ROUND...", "write the PDF pack and the workbooks of each round"},
    {"check", CMD_CHECK, "ROUND...", "validate and lint rounds without writing"},
    {"new-round", CMD_NEW_ROUND, "ROUND.xml",
     "write the next round's file: dates removed, comments and forecast texts emptied"},
    {"form", CMD_FORM, "ROUND",
     "write the round as an editable workbook (a form) in its language; --blank: an empty one"},
    {"import", CMD_IMPORT, "BOOK",
     "read a form (BOOK.xlsx or BOOK.ods) back into a round file, or make a new round file of a "
     "division's strategy-measure table"},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static void print_help(FILE *out)
{
    fprintf(out, "taseuranta %s: reports of a round of binding budget goals\n\nUsage:\n",
            TASEURANTA_VERSION);
    for (size_t c = 0; c < N_COMMANDS; c++) {
        fprintf(out, "  taseuranta %s %s", commands[c].name, commands[c].operands);
        for (size_t i = 0; i < N_OPTIONS; i++) {
            const opt_def *o = &options[i];
            if (o->hidden || !(o->commands & commands[c].bit) || o->commands == CMD_ANY)
                continue;
            bool required = o->id == OPT_OUT_FILE;
            if (commands[c].bit == CMD_FORM && (o->id == OPT_BLANK || o->id == OPT_LANG))
                continue; /* the blank form's line below */
            if (o->short_name)
                fprintf(out, " %s-%c%s%s%s", required ? "" : "[", o->short_name, o->arg ? " " : "",
                        o->arg ? o->arg : "", required ? "" : "]");
            else
                fprintf(out, " [--%s%s%s]", o->long_name, o->arg ? " " : "", o->arg ? o->arg : "");
        }
        fputc('\n', out);
        if (commands[c].bit == CMD_FORM)
            fprintf(out, "  taseuranta form --blank [--lang fi|sv|en] -o FORM [--force]\n");
    }
    fprintf(out, "  taseuranta --help | --version\n");
    for (size_t c = 0; c < N_COMMANDS; c++) {
        fprintf(out, "\n%s: %s\n", commands[c].name, commands[c].help);
        for (size_t i = 0; i < N_OPTIONS; i++) {
            const opt_def *o = &options[i];
            if (o->hidden || !(o->commands & commands[c].bit) || o->commands == CMD_ANY)
                continue;
            char names[64];
            if (o->short_name)
                snprintf(names, sizeof names, "-%c, --%s%s%s", o->short_name, o->long_name,
                         o->arg ? " " : "", o->arg ? o->arg : "");
            else
                snprintf(names, sizeof names, "    --%s%s%s", o->long_name, o->arg ? " " : "",
                         o->arg ? o->arg : "");
            fprintf(out, "  %-24s %s\n", names, o->help);
        }
    }
    fprintf(out, "\nOptions of every command:\n");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const opt_def *o = &options[i];
        if (o->hidden || o->commands != CMD_ANY)
            continue;
        char names[64];
        if (o->short_name)
            snprintf(names, sizeof names, "-%c, --%s", o->short_name, o->long_name);
        else
            snprintf(names, sizeof names, "    --%s", o->long_name);
        fprintf(out, "  %-24s %s\n", names, o->help);
    }
    char data[PATH_MAX], names[512];
    const char *dir = ts_data_dir(data);
    ts_layout_names(dir, names, sizeof names);
    fprintf(out,
            "\nShipped layouts, for --layout NAME: %s; they are in\n  %s/layouts\n"
            "A layout of your own is named by its path (e.g. ./my-layout.xml).\n",
            *names ? names : "none found", dir);
    fprintf(out, "\nEnvironment: SOURCE_DATE_EPOCH, seconds since 1970 from 0 to 253402300799,\n"
                 "stands for \"now\" in the files (else the round's date); TASEURANTA_DATA is the\n"
                 "folder of layouts/ and fonts/.\n");
    fprintf(out, "\nA ROUND is a round file (.xml) or a form (.xlsx, .ods) that stands for one.\n");
    fprintf(out, "\nExit status: %d %s, %d %s, %d %s, %d %s.\n", TS_OK, ts_rc_name(TS_OK),
            TS_INPUT_ERROR, ts_rc_name(TS_INPUT_ERROR), TS_USAGE_ERROR, ts_rc_name(TS_USAGE_ERROR),
            TS_SYSTEM_ERROR, ts_rc_name(TS_SYSTEM_ERROR));
    fprintf(out, "Problems are printed as FILE:LINE:COLUMN: error|warning: WHAT (a form's as "
                 "FILE:SHEET!CELL).\n");
}

static int usage_error(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "taseuranta: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\ntry 'taseuranta --help'\n");
    return TS_USAGE_ERROR;
}

/* What the command line said, before it is handed to a command. */
typedef struct parsed {
    const command_def *cmd;
    const char **operands;
    size_t n_operands;
    const char *out;
    const char *format;
    const char *layout;
    const char *jobs;
    const char *date;
    const char *keep_parsed;
    const char *lang;
    const char *year, *number, *division, *short_name, *city;
    bool pdfa, strict, quiet, untagged, help, version, force, blank;
    ts_epoch epoch;
} parsed;

static const opt_def *find_long(unsigned cmd, const char *name, size_t len)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if ((options[i].commands & cmd) && strlen(options[i].long_name) == len &&
            strncmp(options[i].long_name, name, len) == 0)
            return &options[i];
    return NULL;
}

static const opt_def *find_short(unsigned cmd, char c)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if ((options[i].commands & cmd) && options[i].short_name == c)
            return &options[i];
    return NULL;
}

static int set_option(parsed *p, const opt_def *o, const char *value)
{
    switch (o->id) {
    case OPT_HELP:
        p->help = true;
        break;
    case OPT_VERSION:
        p->version = true;
        break;
    case OPT_OUT_DIR:
    case OPT_OUT_FILE:
        p->out = value;
        break;
    case OPT_FORMAT:
        p->format = value;
        break;
    case OPT_LAYOUT:
        p->layout = value;
        break;
    case OPT_PDFA:
        p->pdfa = true;
        break;
    case OPT_STRICT:
        p->strict = true;
        break;
    case OPT_JOBS:
        p->jobs = value;
        break;
    case OPT_QUIET:
        p->quiet = true;
        break;
    case OPT_UNTAGGED:
        p->untagged = true;
        break;
    case OPT_DATE:
        p->date = value;
        break;
    case OPT_KEEP_PARSED:
        p->keep_parsed = value;
        break;
    case OPT_FORCE:
        p->force = true;
        break;
    case OPT_BLANK:
        p->blank = true;
        break;
    case OPT_LANG:
        p->lang = value;
        break;
    case OPT_YEAR:
        p->year = value;
        break;
    case OPT_NUMBER:
        p->number = value;
        break;
    case OPT_DIVISION:
        p->division = value;
        break;
    case OPT_SHORT:
        p->short_name = value;
        break;
    case OPT_CITY:
        p->city = value;
        break;
    }
    return 0;
}

/* Parses argv[first..] for the command `cmd` (a bit; CMD_ANY before a command is known). */
static int parse_args(int argc, char **argv, int first, unsigned cmd, parsed *p)
{
    bool only_operands = false;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (only_operands || a[0] != '-' || a[1] == '\0') {
            p->operands[p->n_operands++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = true;
            continue;
        }
        const opt_def *o;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            o = find_long(cmd, name, len);
            if (o == NULL) {
                char opt[80];
                snprintf(opt, sizeof opt, "--%.*s", (int)(len > 60 ? 60 : len), name);
                return usage_error("unknown option '%s'%s", opt, p->cmd ? " for this command" : "");
            }
            if (eq != NULL) {
                if (o->arg == NULL)
                    return usage_error("option '--%s' takes no value%s", o->long_name, "");
                value = eq + 1;
            }
        } else {
            o = find_short(cmd, a[1]);
            if (o == NULL) {
                char opt[3] = {'-', a[1], '\0'};
                return usage_error("unknown option '%s'%s", opt, p->cmd ? " for this command" : "");
            }
            if (a[2] != '\0') {
                if (o->arg == NULL)
                    return usage_error("option '%s' takes no value%s", a, "");
                value = a + 2;
            }
        }
        if (o->arg != NULL && value == NULL) {
            if (i + 1 >= argc)
                return usage_error("option '--%s' needs a value (%s)", o->long_name, o->arg);
            value = argv[++i];
        }
        /* An empty path would otherwise reach the system as one ("Inappropriate ioctl"). */
        if (o->arg != NULL && value[0] == '\0')
            return usage_error(o->id == OPT_OUT_DIR || o->id == OPT_OUT_FILE
                                   ? "the output path given to '--%s' is empty%s"
                                   : "option '--%s' is given an empty value%s",
                               o->long_name, "");
        set_option(p, o, value);
    }
    return 0;
}

static bool valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    int dm = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= dm;
}

/* "5 measures", "1 warning", "no warnings" */
static const char *count(char *buf, size_t len, size_t n, const char *what)
{
    if (n == 0)
        snprintf(buf, len, "no %ss", what);
    else
        snprintf(buf, len, "%zu %s%s", n, what, n == 1 ? "" : "s");
    return buf;
}

/* Each file's problems, then (unless -q) one line saying what became of it. */
static int run_check(const parsed *p)
{
    ts_parse_options opt;
    ts_parse_options_default(&opt);
    opt.lint = true;
    bool failed = false, oom = false;
    /* A round is checked with the label file of its language, as build reads it (a sheet's
     * name there can be one no workbook may have); each label file once. */
    char data_buf[PATH_MAX], labels_dir[PATH_MAX];
    const char *data_dir = ts_data_dir(data_buf);
    snprintf(labels_dir, sizeof labels_dir, "%s/layouts/labels", data_dir);
    ts_arena *labels_arena = ts_arena_new(NULL);
    if (labels_arena == NULL) {
        fprintf(stderr, "taseuranta: error: out of memory\n");
        return TS_SYSTEM_ERROR;
    }
    bool labels_read[3] = {false}, labels_ok[3] = {false};
    for (size_t i = 0; i < p->n_operands; i++) {
        ts_diags diags;
        if (!ts_diags_init(&diags, NULL)) {
            fprintf(stderr, "taseuranta: error: out of memory\n");
            ts_arena_free(labels_arena);
            return TS_SYSTEM_ERROR;
        }
        const char *file = p->operands[i];
        ts_round *r = ts_round_read(file, NULL, &opt, data_dir, &diags);
        bool labels_bad = false;
        if (r != NULL && (unsigned)r->lang < 3) {
            if (!labels_read[r->lang])
                labels_ok[r->lang] =
                    ts_labels_load(labels_dir, r->lang, labels_arena, &diags) != NULL;
            labels_read[r->lang] = true;
            labels_bad = !labels_ok[r->lang];
        }
        bool refused =
            r == NULL || labels_bad || diags.errors > 0 || (p->strict && diags.warnings > 0);
        ts_diags_print(&diags, stderr);
        oom |= ts_diags_out_of_memory(&diags);
        char a[32], b[32];
        if (p->quiet) {
            /* nothing more */
        } else if (!refused) {
            fprintf(stderr, "%s: ok, %s, %s\n", file, count(a, sizeof a, r->n_measures, "measure"),
                    count(b, sizeof b, diags.warnings, "warning"));
        } else if (diags.errors == 0) {
            fprintf(stderr, "%s: refused under --strict, %s\n", file,
                    count(b, sizeof b, diags.warnings, "warning"));
        } else {
            fprintf(stderr, "%s: refused, %s, %s\n", file,
                    count(a, sizeof a, diags.errors, "error"),
                    count(b, sizeof b, diags.warnings, "warning"));
        }
        failed |= refused;
        ts_round_free(r);
        ts_diags_free(&diags);
    }
    ts_arena_free(labels_arena);
    return oom ? TS_SYSTEM_ERROR : failed ? TS_INPUT_ERROR : TS_OK;
}

static int run_build(const parsed *p)
{
    ts_build_args a = {0};
    a.inputs = p->operands;
    a.n_inputs = p->n_operands;
    if (p->out != NULL && *p->out == '\0')
        return usage_error("-o names no folder (an empty name); leave -o out to write into the "
                           "current folder%s%s",
                           "", "");
    a.out_dir = p->out ? p->out : ".";
    a.layout = p->layout;
    a.pdfa = p->pdfa;
    a.strict = p->strict;
    a.quiet = p->quiet;
    a.untagged = p->untagged;
    a.jobs = 1;
    a.epoch = p->epoch;
    a.keep_parsed_mib = -1;
    if (p->keep_parsed != NULL) {
        char *end;
        errno = 0;
        long m = strtol(p->keep_parsed, &end, 10);
        if (errno || *end || end == p->keep_parsed || m < 0 || m > (1L << 20))
            return usage_error("--keep-parsed takes a number of MiB, not '%s'%s", p->keep_parsed,
                               "");
        a.keep_parsed_mib = (int)m;
    }
    if (p->format == NULL) {
        a.pdf = a.xlsx = a.ods = true;
    } else {
        const char *s = p->format;
        while (*s) {
            const char *e = strchr(s, ',');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (len == 3 && strncmp(s, "pdf", 3) == 0)
                a.pdf = true;
            else if (len == 4 && strncmp(s, "xlsx", 4) == 0)
                a.xlsx = true;
            else if (len == 3 && strncmp(s, "ods", 3) == 0)
                a.ods = true;
            else
                return usage_error("--format takes pdf, xlsx, ods separated by commas, not '%s'%s",
                                   p->format, "");
            s += len;
            if (*s == ',')
                s++;
        }
        if (!a.pdf && !a.xlsx && !a.ods)
            return usage_error("--format names no format%s%s", "", "");
    }
    if (p->jobs != NULL) {
        char *end;
        errno = 0;
        long j = strtol(p->jobs, &end, 10);
        if (errno || *end || end == p->jobs || j < 1 || j > 256)
            return usage_error("-j takes a number of jobs from 1 to 256, not '%s'%s", p->jobs, "");
        a.jobs = (int)j;
    }
    return ts_cmd_build(&a);
}

static int run_new_round(const parsed *p)
{
    if (p->n_operands != 1)
        return usage_error("new-round takes one round file, then -o NEXT.xml%s%s", "", "");
    if (p->out == NULL)
        return usage_error("new-round needs -o NEXT.xml: the file to write%s%s", "", "");
    if (p->date != NULL && !valid_date(p->date))
        return usage_error("--date takes a date as YYYY-MM-DD, not '%s'%s", p->date, "");
    if (*p->out == '\0')
        return usage_error("-o names no file: new-round needs -o NEXT.xml%s%s", "", "");
    ts_new_round_args a = {p->operands[0], p->out, p->date, p->force};
    return ts_cmd_new_round(&a);
}

static int run_form(const parsed *p)
{
    if (p->blank ? p->n_operands != 0 : p->n_operands != 1)
        return usage_error("form takes one round (a round file or a form), or --blank, then -o "
                           "FORM.xlsx or FORM.ods%s%s",
                           "", "");
    if (p->out == NULL || *p->out == '\0')
        return usage_error("form needs -o FORM.xlsx or -o FORM.ods: the form to write%s%s", "", "");
    if (ts_form_format_of(p->out) == 0)
        return usage_error("-o '%s': a form is FORM.xlsx or FORM.ods (the extension picks the "
                           "format)%s",
                           p->out, "");
    ts_form_args a = {.input = p->blank ? NULL : p->operands[0],
                      .output = p->out,
                      .lang = TS_LANG_FI,
                      .force = p->force,
                      .epoch = p->epoch};
    if (p->lang != NULL && !p->blank)
        return usage_error("--lang is for a blank form; a round's form is in the round's "
                           "language%s%s",
                           "", "");
    if (p->lang != NULL) {
        static const char *const langs[] = {"fi", "sv", "en"};
        size_t i = 0;
        while (i < 3 && strcmp(p->lang, langs[i]) != 0)
            i++;
        if (i == 3)
            return usage_error("--lang takes fi, sv or en, not '%s'%s", p->lang, "");
        a.lang = (ts_lang)i;
    }
    return ts_cmd_form(&a);
}

/* A whole number in [lo, hi], or -1. */
static long whole_in(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno || *end || end == s || v < lo || v > hi ? -1 : v;
}

static int run_import(const parsed *p)
{
    if (p->n_operands != 1)
        return usage_error("import takes one workbook (a form, or a strategy-measure table), then "
                           "-o ROUND.xml%s%s",
                           "", "");
    if (p->out == NULL || *p->out == '\0')
        return usage_error("import needs -o ROUND.xml: the round file to write%s%s", "", "");
    ts_import_args a = {.input = p->operands[0], .output = p->out, .force = p->force};
    a.over = (ts_form_overrides){-1, -1, p->date, p->division, p->short_name, -1, p->city};
    if (p->year != NULL && (a.over.year = (int)whole_in(p->year, 2000, 2100)) < 0)
        return usage_error("--year takes a year from 2000 to 2100, not '%s'%s", p->year, "");
    if (p->number != NULL && (a.over.number = (int)whole_in(p->number, 1, 3)) < 0)
        return usage_error("--number takes 1, 2 or 3, not '%s'%s", p->number, "");
    if (p->date != NULL && !valid_date(p->date))
        return usage_error("--date takes a date as YYYY-MM-DD, not '%s'%s", p->date, "");
    if (p->division != NULL && *p->division == '\0')
        return usage_error("--division names no division (an empty name)%s%s", "", "");
    if (p->city != NULL && *p->city == '\0')
        return usage_error("--city names no city (an empty name)%s%s", "", "");
    if (p->short_name != NULL &&
        (*p->short_name == '\0' ||
         ts_utf8_count(p->short_name, strlen(p->short_name)) > TS_SHORT_NAME_MAX)) {
        char max[16];
        snprintf(max, sizeof max, "%d", TS_SHORT_NAME_MAX);
        return usage_error("--short takes a short name of 1 to %s characters (it names the "
                           "output files), not '%s'",
                           max, p->short_name);
    }
    if (p->lang != NULL) {
        static const char *const langs[] = {"fi", "sv", "en"};
        int i = 0;
        while (i < 3 && strcmp(p->lang, langs[i]) != 0)
            i++;
        if (i == 3)
            return usage_error("--lang takes fi, sv or en, not '%s'%s", p->lang, "");
        a.over.lang = i;
    }
    return ts_cmd_import(&a);
}

int main(int argc, char **argv)
{
    /* Past a file size limit (ulimit -f) a write should fail with EFBIG, which the writers
     * report and clean up after, rather than the signal killing us with a partial file left. */
    signal(SIGXFSZ, SIG_IGN);
    const char **operands = calloc((size_t)argc + 1, sizeof *operands);
    if (operands == NULL) {
        fprintf(stderr, "taseuranta: error: out of memory\n");
        return TS_SYSTEM_ERROR;
    }
    parsed p = {0};
    p.operands = operands;
    int rc = TS_OK;
    /* Before the command only --help and --version make sense. */
    int first = 1;
    while (rc == TS_OK && first < argc && argv[first][0] == '-' && argv[first][1] != '\0' &&
           !p.help && !p.version) {
        rc = parse_args(first + 1, argv, first, CMD_GLOBAL, &p);
        first++;
    }
    if (rc == TS_OK && !p.help && !p.version) {
        if (first >= argc) {
            rc = usage_error("no command given: build, check, new-round, form or import%s%s", "",
                             "");
        } else {
            for (size_t c = 0; c < N_COMMANDS; c++)
                if (strcmp(argv[first], commands[c].name) == 0)
                    p.cmd = &commands[c];
            if (p.cmd == NULL)
                rc = usage_error("unknown command '%s'; the commands are build, check, "
                                 "new-round, form, import%s",
                                 argv[first], "");
            else
                rc = parse_args(argc, argv, first + 1, p.cmd->bit, &p);
        }
    }
    if (rc == TS_OK && p.help) {
        print_help(stdout);
    } else if (rc == TS_OK && p.version) {
        printf("taseuranta %s\n", TASEURANTA_VERSION);
    } else if (rc == TS_OK) {
        char why[256];
        if (!ts_epoch_parse(getenv("SOURCE_DATE_EPOCH"), &p.epoch, why, sizeof why))
            rc = usage_error("%s%s", why, "");
        else if (p.cmd->bit == CMD_FORM)
            rc = run_form(&p);
        else if (p.cmd->bit == CMD_IMPORT)
            rc = run_import(&p);
        else if (p.n_operands == 0)
            rc = usage_error("%s needs at least one round file%s", p.cmd->name, "");
        else if (p.cmd->bit == CMD_CHECK)
            rc = run_check(&p);
        else if (p.cmd->bit == CMD_BUILD)
            rc = run_build(&p);
        else
            rc = run_new_round(&p);
    }
    free(operands);
    return rc;
}

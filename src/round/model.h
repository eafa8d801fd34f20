/* The round: what one round file says, as every writer walks it.
 *
 * The model knows nothing of PDF or spreadsheets.  It is built by the parser (parser.h) into one
 * arena, is read-only afterwards, and keeps for each element the place it came from so that a
 * writer can report a fault of the content (a cell too long, a character no font has) at its
 * FILE:LINE:COLUMN.  Texts are UTF-8, NUL-terminated, with white space already folded as HTML
 * folds it.  Every array is a pointer and a count; a count of 0 may come with a NULL pointer. */
#ifndef TS_MODEL_H
#define TS_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/locale.h"

/* ---- Text ------------------------------------------------------------------------------ */

enum {
    TS_RUN_BOLD = 1u << 0,
    TS_RUN_ITALIC = 1u << 1,
};

/* A stretch of inline text with one style.  <b>, <i> and <a> nest, so a run may be bold,
 * italic and a link at once.  Adjacent runs never share the same style and href. */
typedef struct ts_run {
    const char *text; /* never empty */
    size_t len;       /* bytes, without the NUL */
    unsigned style;   /* TS_RUN_* bits */
    const char *href; /* NULL unless inside <a href> */
    ts_pos pos;       /* where the run's text (or its element) starts */
} ts_run;

/* Inline text: a sequence of runs whose concatenation is the folded text.  Leading and
 * trailing white space of the whole inline is removed; inner runs of white space are one
 * U+0020 (which may end one run and not start the next). */
typedef struct ts_inline {
    const ts_run *runs;
    size_t n_runs;
    ts_pos pos; /* the element that holds the text */
} ts_inline;

typedef enum ts_block_kind {
    TS_BLOCK_P,  /* a paragraph: text */
    TS_BLOCK_UL, /* a bulleted list: items */
    TS_BLOCK_OL, /* a numbered list: items */
} ts_block_kind;

struct ts_block;

typedef struct ts_list_item {
    ts_inline text;
    const struct ts_block *sublist; /* NULL, or one nested TS_BLOCK_UL / TS_BLOCK_OL */
    ts_pos pos;
} ts_list_item;

typedef struct ts_block {
    ts_block_kind kind;
    ts_inline text;            /* TS_BLOCK_P */
    const ts_list_item *items; /* TS_BLOCK_UL, TS_BLOCK_OL */
    size_t n_items;
    ts_pos pos;
} ts_block;

/* Blocks: bare inline text in the source becomes one TS_BLOCK_P.  An element that is present
 * but empty has n == 0 and present == true. */
typedef struct ts_blocks {
    const ts_block *blocks;
    size_t n;
    bool present;
    ts_pos pos;
} ts_blocks;

/* ---- Values ---------------------------------------------------------------------------- */

/* A forecast status.  TS_STATUS_NONE is "not reported": a round up to round@number that has
 * no forecast element.  The order is the order of the spec's table. */
typedef enum ts_status {
    TS_STATUS_NONE,
    TS_STATUS_ON_TRACK,
    TS_STATUS_ACHIEVED,
    TS_STATUS_AT_RISK,
    TS_STATUS_OFF_TRACK,
} ts_status;

typedef enum ts_task_status {
    TS_TASK_TODO,
    TS_TASK_DOING,
    TS_TASK_DONE,
} ts_task_status;

typedef enum ts_programme_kind {
    TS_PROGRAMME_CITY_PROJECT,
    TS_PROGRAMME_JOINT_THEME,
    TS_PROGRAMME_SEPARATE,
} ts_programme_kind;

/* An ISO date (day > 0) or a year-month (day == 0). */
typedef struct ts_date {
    int year;
    int month;
    int day;
} ts_date;

/* The value names as the file spells them ("on-track", "todo", "city-project"). */
const char *ts_status_name(ts_status s);
const char *ts_task_status_name(ts_task_status s);
const char *ts_programme_kind_name(ts_programme_kind k);

/* ---- The round ------------------------------------------------------------------------- */

typedef struct ts_theme {
    const char *id;
    ts_inline name;
    ts_pos pos;
} ts_theme;

typedef struct ts_programme {
    const char *id;
    ts_programme_kind kind;
    ts_inline name;
    ts_pos pos;
} ts_programme;

typedef struct ts_person {
    const char *name; /* folded text */
    ts_pos pos;
} ts_person;

typedef struct ts_phase {
    double at; /* 0..100 */
    ts_inline label;
    ts_pos pos;
} ts_phase;

typedef struct ts_scale {
    ts_inline from; /* the label of the 0 end */
    ts_inline to;   /* the label of the 100 end */
    const ts_phase *phases;
    size_t n_phases;
    ts_pos pos;
} ts_scale;

typedef struct ts_task {
    ts_task_status status;
    int progress; /* 0..100, or -1 when the task has no @progress */
    ts_inline title;
    ts_blocks detail; /* present == false when there is no <detail> */
    ts_pos pos;
} ts_task;

typedef struct ts_target {
    const char *id; /* NULL when absent */
    ts_inline title;
    const ts_scale *scale; /* NULL when absent */
    const ts_task *tasks;
    size_t n_tasks;
    ts_blocks forecast;
    ts_blocks risks;
    ts_pos pos;
} ts_target;

/* The measure's target level ("tavoitetaso"), against which its numeric forecasts are read:
 * "14 / 20 kpl".  A value and a level are compared only when their units are the same. */
typedef struct ts_level {
    double value;
    const char *unit; /* NULL when absent, as forecast@unit */
    ts_pos pos;
} ts_level;

typedef struct ts_forecast {
    int round; /* 1..3 */
    ts_status status;
    bool has_value;
    double value;
    const char *unit; /* NULL when absent; "%" for percent */
    ts_blocks text;   /* the content; present and empty for <forecast .../> */
    ts_pos pos;
} ts_forecast;

struct ts_goal;

typedef struct ts_measure {
    const char *id;
    bool recovery;
    ts_inline name;
    ts_blocks text;
    bool has_date;
    ts_date date;
    const ts_person *owners;
    size_t n_owners;
    const ts_person *managers;
    size_t n_managers;
    const ts_person *preparers;
    size_t n_preparers;
    ts_blocks objective;
    const ts_level *level; /* NULL when absent */
    const ts_target *targets;
    size_t n_targets;
    const ts_forecast *forecasts; /* in file order */
    size_t n_forecasts;
    const ts_forecast *by_round[4]; /* by_round[r] for r in 1..3, NULL when absent */
    ts_blocks comment;
    ts_blocks risks;
    const ts_blocks *notes;
    size_t n_notes;
    const ts_programme *const *links; /* in file order */
    size_t n_links;
    const struct ts_goal *goal;
    size_t index; /* 0-based over the whole round, in file order */
    ts_pos pos;
} ts_measure;

typedef struct ts_goal {
    const char *id;
    const ts_theme *theme;
    ts_inline statement;
    ts_blocks description;
    const ts_measure *measures;
    size_t n_measures;
    ts_pos pos;
} ts_goal;

typedef struct ts_indicator {
    ts_blocks text;
    bool binding;
    ts_pos pos;
} ts_indicator;

typedef struct ts_theme_actions {
    const ts_theme *theme;
    const ts_blocks *actions;
    size_t n_actions;
    const ts_indicator *indicators;
    size_t n_indicators;
    ts_pos pos;
} ts_theme_actions;

typedef struct ts_programme_actions {
    const ts_programme *programme;
    const ts_blocks *actions;
    size_t n_actions;
    ts_pos pos;
} ts_programme_actions;

typedef struct ts_summary {
    const ts_theme_actions *theme_actions;
    size_t n_theme_actions;
    const ts_programme_actions *programme_actions;
    size_t n_programme_actions;
    ts_pos pos;
} ts_summary;

/* ---- XML comments --------------------------------------------------------------------- */

/* Where a comment stands beside the element it belongs to. */
typedef enum ts_comment_place {
    TS_COMMENT_BEFORE, /* on its own line before the element's start tag */
    TS_COMMENT_INSIDE, /* the first thing inside the element */
    TS_COMMENT_AFTER,  /* after the element's end tag (where no element follows it) */
} ts_comment_place;

/* An XML comment of a round file.  No output shows one; only the round writer (roundwrite.h)
 * writes them, so that what people noted in a file, and what new-round and the import note for
 * them, stays in the file.  `element` is the model part the element is written from:
 *   <round> the ts_round; <city>, <division>, <title>, <subtitle> &r->city, &r->division,
 *   &r->title, &r->subtitle; <theme>, <programme>, <goal>, <measure>, <target>, <scale>,
 *   <phase>, <task>, measure <forecast>, <level>, <summary>, <theme-actions>, <indicator>,
 *   <programme-actions> their struct; <statement>, <description> &g->statement,
 *   &g->description; <name>, <text>, <date>, <objective>, <comment>, <risks> the measure's
 *   field; <owner>, <manager>, <preparer> the ts_person; a target's <title>, <forecast>,
 *   <risks> and a task's <title>, <detail> the field; <note>, <action> the ts_blocks in the
 *   array; <link> its slot in m->links; <themes>, <programmes> &r->themes, &r->programmes; in
 *   a text, <p>, <ul>, <ol> the ts_block and <li> the ts_list_item.  <organization> has none: a
 *   comment in it belongs to the child beside it.
 * A comment whose element is not written (a measure's <date> that new-round removes) is written
 * where the element would stand when its element is a field of a written one, else dropped. */
typedef struct ts_comment {
    const void *element;
    ts_comment_place place;
    const char *text; /* what stands between "<!--" and "-->"; may hold line breaks */
} ts_comment;

typedef struct ts_round {
    const char *file; /* the path it was read from, as given; used in every diagnostic */
    int format;       /* 1 */
    int year;
    int number; /* 1..3 */
    ts_date date;
    ts_lang lang;
    const char *city;
    const char *division;
    const char *division_short; /* NULL when absent */
    ts_inline title;            /* n_runs == 0 when absent: the labels give the default */
    ts_inline subtitle;         /* likewise */
    const ts_theme *themes;
    size_t n_themes;
    const ts_programme *programmes;
    size_t n_programmes;
    const ts_goal *goals;
    size_t n_goals;
    size_t n_measures;         /* over all goals */
    const ts_summary *summary; /* NULL when absent */
    /* The file's XML comments in file order; only when parsed with keep_comments. */
    const ts_comment *comments;
    size_t n_comments;
    ts_pos pos;
    ts_arena *arena; /* owns everything above */
} ts_round;

void ts_round_free(ts_round *r); /* frees the arena, which holds the round itself */

/* The measure with the given 0-based index over the whole round (file order). */
const ts_measure *ts_round_measure(const ts_round *r, size_t index);

/* The current forecast (the one for round@number), or NULL: "not reported". */
const ts_forecast *ts_measure_current(const ts_round *r, const ts_measure *m);

/* How a measure's status changed (issue 15): its status in a round against its status in the
 * previous round that reported it, by the order achieved > on-track > at-risk > off-track.
 * "Not reported" is never a change: a round without a forecast, or without an earlier reported
 * one (round 1, a measure reported only now), has TS_CHANGE_NONE. */
typedef enum ts_change {
    TS_CHANGE_NONE,     /* nothing to compare */
    TS_CHANGE_SAME,     /* reported in both, the same status */
    TS_CHANGE_IMPROVED, /* e.g. at-risk -> on-track */
    TS_CHANGE_WORSENED, /* e.g. on-track -> off-track */
} ts_change;

typedef struct ts_measure_change {
    ts_change change;
    ts_status status;   /* in the round asked about; TS_STATUS_NONE when not reported */
    int previous_round; /* the latest reported round before it, 0 when none */
    ts_status previous; /* its status; TS_STATUS_NONE when previous_round is 0 */
} ts_measure_change;

/* The change of m in round `round` (1..3; any other round has no change and no previous). */
ts_measure_change ts_measure_change_at(const ts_measure *m, int round);

/* The change of m in the round itself (round@number): what the status picture, the overview
 * and the Kehitys sheet show. */
ts_measure_change ts_measure_change_now(const ts_round *r, const ts_measure *m);

/* The change's name: "none", "same", "improved", "worsened". */
const char *ts_change_name(ts_change c);

/* The statuses as a status picture shows them, best first and "not reported" last: achieved,
 * on-track, at-risk, off-track, not reported (the order of its stacked bars and legend, and of
 * the Tilannekuva sheet's rows). */
#define TS_STATUS_COUNT 5
extern const ts_status ts_status_picture_order[TS_STATUS_COUNT];

/* How many measures had each status in one round of the year (issue 15): the status picture. */
typedef struct ts_status_counts {
    int round;                         /* 1..3 */
    size_t by_status[TS_STATUS_COUNT]; /* indexed by ts_status; [TS_STATUS_NONE]: not reported */
} ts_status_counts;

/* The counts of every round of the year up to round@number, round 1 first, in out[0..n-1];
 * returns n (round@number, or 0 when it is out of 1..3).  Every measure is counted once in each
 * round: a round without its forecast counts as not reported, so each round's counts add up to
 * the round's measures. */
size_t ts_round_status_counts(const ts_round *r, ts_status_counts out[3]);

/* The folded text of an inline as one string, without styles (allocated in the arena). */
char *ts_inline_text(ts_arena *a, const ts_inline *in);

/* The output file stem: "kuva-2020-3" (the division's short name in lower case, or "round"
 * when it has none; characters outside [a-z0-9-] become '-'). */
char *ts_round_stem(ts_arena *a, const ts_round *r);

#endif

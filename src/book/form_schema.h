/* The form's schema (workbook-form.md §1): its sheets, their columns, what each column holds,
 * and the label keys of their words.  The one place the form writer (form_write.c) and the form
 * reader (form_read.c) learn what a form is, so that they cannot disagree.
 *
 * Every word of the form comes from the label files: a sheet's name is the label "form.sheet.S",
 * what one of its rows is "form.S.about"; a column's head "form.S.C", its help (the note on the
 * head) "form.S.C.help" and an example value "form.S.C.example" (" | " in an example separates
 * its lines), where S is the sheet's key and C the column's (the Kierros sheet's fields are its
 * columns here: "form.round.year" ...). */
#ifndef TS_FORM_SCHEMA_H
#define TS_FORM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

/* The sheets, in the form's order. */
typedef enum ts_form_sheet_id {
    TS_FORM_GUIDE,      /* Ohje: how to fill the form; never read */
    TS_FORM_ROUND,      /* Kierros: field | value */
    TS_FORM_THEMES,     /* Teemat */
    TS_FORM_PROGRAMMES, /* Ohjelmat */
    TS_FORM_GOALS,      /* Tavoitteet */
    TS_FORM_MEASURES,   /* Mittarit */
    TS_FORM_FORECASTS,  /* Ennusteet */
    TS_FORM_TARGETS,    /* Osatavoitteet */
    TS_FORM_PHASES,     /* Vaiheet */
    TS_FORM_TASKS,      /* Tehtävät */
    TS_FORM_NOTES,      /* Huomiot */
    TS_FORM_SUMMARY,    /* Tiivistelmä */
    TS_FORM_SHEETS
} ts_form_sheet_id;

/* What a cell holds, and so how it is written, offered (a drop-down) and read. */
typedef enum ts_form_kind {
    TS_FORM_ID,             /* an id this sheet's rows define (an XML name) */
    TS_FORM_REF,            /* an id defined on the sheet `ref` */
    TS_FORM_REFS,           /* ids defined on the sheet `ref`, one a line */
    TS_FORM_STATUS,         /* a forecast status word (status.on-track ...) */
    TS_FORM_TASK_STATUS,    /* a task status word (form.task.todo ...) */
    TS_FORM_PROGRAMME_KIND, /* form.kind.city-project ... */
    TS_FORM_SUMMARY_ROW,    /* form.summary.action, .indicator, .binding */
    TS_FORM_BOOL,           /* bool.true / bool.false */
    TS_FORM_LANG,           /* fi, sv, en */
    TS_FORM_INTEGER,        /* a whole number in [min, max] */
    TS_FORM_DECIMAL,        /* a decimal number (in [min, max] when ranged) */
    TS_FORM_DATE,           /* YYYY-MM-DD, or YYYY-MM too when year_month */
    TS_FORM_PLAIN,          /* plain text on one line (no bold, no link) */
    TS_FORM_INLINE,         /* one line of text with bold, italic and links */
    TS_FORM_BLOCKS,         /* paragraphs and lists, one a line (outputs.md §2) */
    TS_FORM_PEOPLE,         /* names of people, one a line */
} ts_form_kind;

typedef struct ts_form_column {
    const char *key; /* the column's key: its labels are "form.<sheet>.<key>" ... */
    ts_form_kind kind;
    bool required; /* a row must fill it */
    ts_form_sheet_id ref;
    bool ranged; /* TS_FORM_DECIMAL: min and max hold */
    double min, max;
    bool year_month;             /* TS_FORM_DATE: "2020-10" is a date too */
    double width_min, width_max; /* the column's width, in characters, as its content asks */
} ts_form_column;

typedef struct ts_form_sheet {
    ts_form_sheet_id id;
    const char *key; /* "measures": labels form.sheet.measures, form.measures.about, ... */
    const ts_form_column *cols; /* the columns in the form's order (Kierros: its fields) */
    size_t n_cols;
} ts_form_sheet;

/* The columns of each sheet by index, as the writer and the reader name them. */
enum { TS_ROUND_FIELD, TS_ROUND_VALUE };
enum {
    TS_RF_YEAR,
    TS_RF_NUMBER,
    TS_RF_DATE,
    TS_RF_LANG,
    TS_RF_CITY,
    TS_RF_DIVISION,
    TS_RF_SHORT,
    TS_RF_TITLE,
    TS_RF_SUBTITLE,
    TS_RF_COUNT
};
enum { TS_TH_ID, TS_TH_NAME, TS_TH_COUNT };
enum { TS_PR_ID, TS_PR_KIND, TS_PR_NAME, TS_PR_COUNT };
enum { TS_GO_ID, TS_GO_THEME, TS_GO_STATEMENT, TS_GO_DESCRIPTION, TS_GO_COUNT };
enum {
    TS_ME_ID,
    TS_ME_GOAL,
    TS_ME_NAME,
    TS_ME_TEXT,
    TS_ME_RECOVERY,
    TS_ME_DATE,
    TS_ME_OWNERS,
    TS_ME_MANAGERS,
    TS_ME_PREPARERS,
    TS_ME_OBJECTIVE,
    TS_ME_LEVEL,
    TS_ME_UNIT,
    TS_ME_COMMENT,
    TS_ME_RISKS,
    TS_ME_LINKS,
    TS_ME_COUNT
};
enum { TS_FC_MEASURE, TS_FC_ROUND, TS_FC_STATUS, TS_FC_VALUE, TS_FC_UNIT, TS_FC_TEXT, TS_FC_COUNT };
enum {
    TS_TG_MEASURE,
    TS_TG_NUMBER,
    TS_TG_ID,
    TS_TG_TITLE,
    TS_TG_FROM,
    TS_TG_TO,
    TS_TG_FORECAST,
    TS_TG_RISKS,
    TS_TG_COUNT
};
enum { TS_PH_MEASURE, TS_PH_TARGET, TS_PH_AT, TS_PH_LABEL, TS_PH_COUNT };
enum {
    TS_TA_MEASURE,
    TS_TA_TARGET,
    TS_TA_TITLE,
    TS_TA_STATUS,
    TS_TA_PROGRESS,
    TS_TA_DETAIL,
    TS_TA_COUNT
};
enum { TS_NO_MEASURE, TS_NO_TEXT, TS_NO_COUNT };
enum { TS_SU_SUBJECT, TS_SU_ROW, TS_SU_TEXT, TS_SU_COUNT };

/* The summary's kinds of row. */
typedef enum ts_form_summary_row {
    TS_SUMMARY_ACTION,
    TS_SUMMARY_INDICATOR,
    TS_SUMMARY_BINDING, /* an indicator with binding="true" */
} ts_form_summary_row;

/* The sheet of that id (always one). */
const ts_form_sheet *ts_form_sheet_get(ts_form_sheet_id id);

/* The Kierros sheet's two heads' keys: "form.round.field", "form.round.value". */
extern const char *const ts_form_round_heads[2];

/* The label key of a word of a list kind, for its value (a ts_status, ts_task_status,
 * ts_programme_kind, ts_form_summary_row, or 0 for true and 1 for false, in the order the list
 * offers them); NULL past the kind's values.
 * TS_FORM_LANG has none: its words are the language codes. */
const char *ts_form_word_key(ts_form_kind kind, int value);

/* The values a list kind takes: the first and one past the last (a status starts at
 * TS_STATUS_ON_TRACK: "not reported" is no forecast's status). */
void ts_form_word_range(ts_form_kind kind, int *first, int *end);

/* The XML spelling of a value ("on-track", "todo", "city-project", "true"), which a cell may
 * hold too; NULL past the kind's values. */
const char *ts_form_word_xml(ts_form_kind kind, int value);

/* A label key made of parts: "form.<sheet>.<col><suffix>" (suffix "", ".help" or ".example")
 * into buf (64 bytes); returns buf. */
const char *ts_form_label_key(char *buf, const ts_form_sheet *s, const ts_form_column *c,
                              const char *suffix);

#endif

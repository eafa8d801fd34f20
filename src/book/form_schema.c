/* The form's schema: the tables of form_schema.h. */
#include "book/form_schema.h"

#include <stdio.h>

#include "round/model.h"

/* Widths in characters: the least a column is given, and the most it grows to with its content
 * (a longer text wraps). */
#define ID_W     14, 28
#define WORD_W   13, 18
#define NUMBER_W 9, 12
#define DATE_W   12, 12
#define INLINE_W 24, 50
#define BLOCKS_W 30, 60
#define PEOPLE_W 20, 28

static const ts_form_column round_fields[TS_RF_COUNT] = {
    [TS_RF_YEAR] = {"year", TS_FORM_INTEGER, true, 0, true, 2000, 2100, false, NUMBER_W},
    [TS_RF_NUMBER] = {"number", TS_FORM_INTEGER, true, 0, true, 1, 3, false, NUMBER_W},
    [TS_RF_DATE] = {"date", TS_FORM_DATE, true, 0, false, 0, 0, false, DATE_W},
    [TS_RF_LANG] = {"lang", TS_FORM_LANG, true, 0, false, 0, 0, false, WORD_W},
    [TS_RF_CITY] = {"city", TS_FORM_PLAIN, true, 0, false, 0, 0, false, INLINE_W},
    [TS_RF_DIVISION] = {"division", TS_FORM_PLAIN, true, 0, false, 0, 0, false, INLINE_W},
    [TS_RF_SHORT] = {"short", TS_FORM_PLAIN, false, 0, false, 0, 0, false, ID_W},
    [TS_RF_TITLE] = {"title", TS_FORM_INLINE, false, 0, false, 0, 0, false, INLINE_W},
    [TS_RF_SUBTITLE] = {"subtitle", TS_FORM_INLINE, false, 0, false, 0, 0, false, INLINE_W},
};

static const ts_form_column themes[TS_TH_COUNT] = {
    [TS_TH_ID] = {"id", TS_FORM_ID, true, 0, false, 0, 0, false, ID_W},
    [TS_TH_NAME] = {"name", TS_FORM_INLINE, true, 0, false, 0, 0, false, INLINE_W},
};

static const ts_form_column programmes[TS_PR_COUNT] = {
    [TS_PR_ID] = {"id", TS_FORM_ID, true, 0, false, 0, 0, false, ID_W},
    [TS_PR_KIND] = {"kind", TS_FORM_PROGRAMME_KIND, true, 0, false, 0, 0, false, 22, 30},
    [TS_PR_NAME] = {"name", TS_FORM_INLINE, true, 0, false, 0, 0, false, INLINE_W},
};

static const ts_form_column goals[TS_GO_COUNT] = {
    [TS_GO_ID] = {"id", TS_FORM_ID, true, 0, false, 0, 0, false, ID_W},
    [TS_GO_THEME] = {"theme", TS_FORM_REF, true, TS_FORM_THEMES, false, 0, 0, false, ID_W},
    [TS_GO_STATEMENT] = {"statement", TS_FORM_INLINE, true, 0, false, 0, 0, false, INLINE_W},
    [TS_GO_DESCRIPTION] = {"description", TS_FORM_BLOCKS, false, 0, false, 0, 0, false, BLOCKS_W},
};

static const ts_form_column measures[TS_ME_COUNT] = {
    [TS_ME_ID] = {"id", TS_FORM_ID, true, 0, false, 0, 0, false, ID_W},
    [TS_ME_GOAL] = {"goal", TS_FORM_REF, true, TS_FORM_GOALS, false, 0, 0, false, ID_W},
    [TS_ME_NAME] = {"name", TS_FORM_INLINE, true, 0, false, 0, 0, false, 20, 40},
    [TS_ME_TEXT] = {"text", TS_FORM_BLOCKS, false, 0, false, 0, 0, false, BLOCKS_W},
    [TS_ME_RECOVERY] = {"recovery", TS_FORM_BOOL, false, 0, false, 0, 0, false, WORD_W},
    [TS_ME_DATE] = {"date", TS_FORM_DATE, false, 0, false, 0, 0, true, DATE_W},
    [TS_ME_OWNERS] = {"owners", TS_FORM_PEOPLE, false, 0, false, 0, 0, false, PEOPLE_W},
    [TS_ME_MANAGERS] = {"managers", TS_FORM_PEOPLE, false, 0, false, 0, 0, false, PEOPLE_W},
    [TS_ME_PREPARERS] = {"preparers", TS_FORM_PEOPLE, false, 0, false, 0, 0, false, PEOPLE_W},
    [TS_ME_OBJECTIVE] = {"objective", TS_FORM_BLOCKS, false, 0, false, 0, 0, false, BLOCKS_W},
    [TS_ME_LEVEL] = {"level", TS_FORM_DECIMAL, false, 0, false, 0, 0, false, NUMBER_W},
    [TS_ME_UNIT] = {"unit", TS_FORM_PLAIN, false, 0, false, 0, 0, false, 8, 12},
    [TS_ME_COMMENT] = {"comment", TS_FORM_BLOCKS, false, 0, false, 0, 0, false, BLOCKS_W},
    [TS_ME_RISKS] = {"risks", TS_FORM_BLOCKS, false, 0, false, 0, 0, false, BLOCKS_W},
    [TS_ME_LINKS] = {"links", TS_FORM_REFS, false, TS_FORM_PROGRAMMES, false, 0, 0, false, ID_W},
};

static const ts_form_column forecasts[TS_FC_COUNT] = {
    [TS_FC_MEASURE] = {"measure", TS_FORM_REF, true, TS_FORM_MEASURES, false, 0, 0, false, ID_W},
    [TS_FC_ROUND] = {"round", TS_FORM_INTEGER, true, 0, true, 1, 3, false, NUMBER_W},
    [TS_FC_STATUS] = {"status", TS_FORM_STATUS, true, 0, false, 0, 0, false, WORD_W},
    [TS_FC_VALUE] = {"value", TS_FORM_DECIMAL, false, 0, false, 0, 0, false, NUMBER_W},
    [TS_FC_UNIT] = {"unit", TS_FORM_PLAIN, false, 0, false, 0, 0, false, 8, 12},
    [TS_FC_TEXT] = {"text", TS_FORM_BLOCKS, false, 0, false, 0, 0, false, BLOCKS_W},
};

static const ts_form_column targets[TS_TG_COUNT] = {
    [TS_TG_MEASURE] = {"measure", TS_FORM_REF, true, TS_FORM_MEASURES, false, 0, 0, false, ID_W},
    [TS_TG_NUMBER] = {"number", TS_FORM_INTEGER, true, 0, true, 1, 100000, false, 7, 9},
    [TS_TG_ID] = {"id", TS_FORM_ID, false, 0, false, 0, 0, false, ID_W},
    [TS_TG_TITLE] = {"title", TS_FORM_INLINE, true, 0, false, 0, 0, false, INLINE_W},
    [TS_TG_FROM] = {"from", TS_FORM_PLAIN, false, 0, false, 0, 0, false, 14, 24},
    [TS_TG_TO] = {"to", TS_FORM_PLAIN, false, 0, false, 0, 0, false, 14, 24},
    [TS_TG_FORECAST] = {"forecast", TS_FORM_BLOCKS, false, 0, false, 0, 0, false, BLOCKS_W},
    [TS_TG_RISKS] = {"risks", TS_FORM_BLOCKS, false, 0, false, 0, 0, false, BLOCKS_W},
};

static const ts_form_column phases[TS_PH_COUNT] = {
    [TS_PH_MEASURE] = {"measure", TS_FORM_REF, true, TS_FORM_MEASURES, false, 0, 0, false, ID_W},
    [TS_PH_TARGET] = {"target", TS_FORM_INTEGER, true, 0, true, 1, 100000, false, 9, 12},
    [TS_PH_AT] = {"at", TS_FORM_DECIMAL, true, 0, true, 0, 100, false, NUMBER_W},
    [TS_PH_LABEL] = {"label", TS_FORM_INLINE, false, 0, false, 0, 0, false, INLINE_W},
};

static const ts_form_column tasks[TS_TA_COUNT] = {
    [TS_TA_MEASURE] = {"measure", TS_FORM_REF, true, TS_FORM_MEASURES, false, 0, 0, false, ID_W},
    [TS_TA_TARGET] = {"target", TS_FORM_INTEGER, true, 0, true, 1, 100000, false, 9, 12},
    [TS_TA_TITLE] = {"title", TS_FORM_INLINE, true, 0, false, 0, 0, false, INLINE_W},
    [TS_TA_STATUS] = {"status", TS_FORM_TASK_STATUS, true, 0, false, 0, 0, false, WORD_W},
    [TS_TA_PROGRESS] = {"progress", TS_FORM_INTEGER, false, 0, true, 0, 100, false, 11, 13},
    [TS_TA_DETAIL] = {"detail", TS_FORM_BLOCKS, false, 0, false, 0, 0, false, BLOCKS_W},
};

static const ts_form_column notes[TS_NO_COUNT] = {
    [TS_NO_MEASURE] = {"measure", TS_FORM_REF, true, TS_FORM_MEASURES, false, 0, 0, false, ID_W},
    [TS_NO_TEXT] = {"text", TS_FORM_BLOCKS, true, 0, false, 0, 0, false, BLOCKS_W},
};

/* The subject of a summary row is a theme's or a programme's id: the reader finds which. */
static const ts_form_column summary[TS_SU_COUNT] = {
    [TS_SU_SUBJECT] = {"subject", TS_FORM_REF, true, TS_FORM_THEMES, false, 0, 0, false, ID_W},
    [TS_SU_ROW] = {"row", TS_FORM_SUMMARY_ROW, true, 0, false, 0, 0, false, WORD_W},
    [TS_SU_TEXT] = {"text", TS_FORM_BLOCKS, true, 0, false, 0, 0, false, BLOCKS_W},
};

#define SHEET(id, key, cols)                                                                       \
    {                                                                                              \
        id, key, cols, sizeof cols / sizeof cols[0]                                                \
    }

static const ts_form_sheet sheets[TS_FORM_SHEETS] = {
    {TS_FORM_GUIDE, "guide", NULL, 0},
    SHEET(TS_FORM_ROUND, "round", round_fields),
    SHEET(TS_FORM_THEMES, "themes", themes),
    SHEET(TS_FORM_PROGRAMMES, "programmes", programmes),
    SHEET(TS_FORM_GOALS, "goals", goals),
    SHEET(TS_FORM_MEASURES, "measures", measures),
    SHEET(TS_FORM_FORECASTS, "forecasts", forecasts),
    SHEET(TS_FORM_TARGETS, "targets", targets),
    SHEET(TS_FORM_PHASES, "phases", phases),
    SHEET(TS_FORM_TASKS, "tasks", tasks),
    SHEET(TS_FORM_NOTES, "notes", notes),
    SHEET(TS_FORM_SUMMARY, "summary", summary),
};

const char *const ts_form_round_heads[2] = {"form.round.field", "form.round.value"};

const ts_form_sheet *ts_form_sheet_get(ts_form_sheet_id id)
{
    return &sheets[(unsigned)id < TS_FORM_SHEETS ? id : TS_FORM_GUIDE];
}

const char *ts_form_word_key(ts_form_kind kind, int value)
{
    static const char *const status[] = {NULL, "status.on-track", "status.achieved",
                                         "status.at-risk", "status.off-track"};
    static const char *const task[] = {"form.task.todo", "form.task.doing", "form.task.done"};
    static const char *const kinds[] = {"form.kind.city-project", "form.kind.joint-theme",
                                        "form.kind.separate-programme"};
    static const char *const rows[] = {"form.summary.action", "form.summary.indicator",
                                       "form.summary.binding"};
    static const char *const bools[] = {"bool.true", "bool.false"};
    int first, end;
    ts_form_word_range(kind, &first, &end);
    if (value < first || value >= end)
        return NULL;
    switch (kind) {
    case TS_FORM_STATUS:
        return status[value];
    case TS_FORM_TASK_STATUS:
        return task[value];
    case TS_FORM_PROGRAMME_KIND:
        return kinds[value];
    case TS_FORM_SUMMARY_ROW:
        return rows[value];
    case TS_FORM_BOOL:
        return bools[value];
    default:
        return NULL;
    }
}

void ts_form_word_range(ts_form_kind kind, int *first, int *end)
{
    *first = 0;
    switch (kind) {
    case TS_FORM_STATUS:
        *first = TS_STATUS_ON_TRACK;
        *end = TS_STATUS_OFF_TRACK + 1;
        break;
    case TS_FORM_TASK_STATUS:
    case TS_FORM_PROGRAMME_KIND:
    case TS_FORM_SUMMARY_ROW:
    case TS_FORM_LANG:
        *end = 3;
        break;
    case TS_FORM_BOOL:
        *end = 2;
        break;
    default:
        *end = 0;
        break;
    }
}

const char *ts_form_word_xml(ts_form_kind kind, int value)
{
    static const char *const rows[] = {"action", "indicator", "binding"};
    int first, end;
    ts_form_word_range(kind, &first, &end);
    if (value < first || value >= end)
        return NULL;
    switch (kind) {
    case TS_FORM_STATUS:
        return ts_status_name((ts_status)value);
    case TS_FORM_TASK_STATUS:
        return ts_task_status_name((ts_task_status)value);
    case TS_FORM_PROGRAMME_KIND:
        return ts_programme_kind_name((ts_programme_kind)value);
    case TS_FORM_SUMMARY_ROW:
        return rows[value];
    case TS_FORM_BOOL:
        return value ? "false" : "true";
    case TS_FORM_LANG:
        return ts_lang_name((ts_lang)value);
    default:
        return NULL;
    }
}

const char *ts_form_label_key(char *buf, const ts_form_sheet *s, const ts_form_column *c,
                              const char *suffix)
{
    snprintf(buf, 64, "form.%s.%s%s", s->key, c->key, suffix);
    return buf;
}

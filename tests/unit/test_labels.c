/* The label files: every key in every language, placeholders, roles, dates, refusals. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "layout/labels.h"

#define LABEL_DIR TEST_SOURCE_DIR "/layouts/labels"

typedef struct fixture {
    ts_arena *arena;
    ts_diags diags;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->arena = ts_arena_new(NULL);
    assert_true(ts_diags_init(&f->diags, NULL));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ts_diags_free(&f->diags);
    ts_arena_free(f->arena);
    free(f);
    return 0;
}

static const ts_labels *load(fixture *f, ts_lang lang)
{
    const ts_labels *l = ts_labels_load(LABEL_DIR, lang, f->arena, &f->diags);
    if (l == NULL)
        ts_diags_print(&f->diags, stdout);
    assert_non_null(l);
    assert_int_equal(f->diags.errors, 0);
    return l;
}

static void test_key_list_is_sorted(void **state)
{
    (void)state;
    assert_int_equal(ts_label_key_count(), 382);
    for (size_t i = 1; i < ts_label_key_count(); i++)
        assert_true(strcmp(ts_label_key_at(i - 1), ts_label_key_at(i)) < 0);
    assert_null(ts_label_key_at(ts_label_key_count()));
}

static void test_every_key_in_every_language(void **state)
{
    fixture *f = *state;
    for (int lang = TS_LANG_FI; lang <= TS_LANG_EN; lang++) {
        const ts_labels *l = load(f, (ts_lang)lang);
        for (size_t i = 0; i < ts_label_key_count(); i++) {
            const char *key = ts_label_key_at(i);
            const char *text = ts_label(l, key);
            assert_non_null(text);
            if (text[0] == '\0')
                fail_msg("%s: label %s is empty", ts_lang_name((ts_lang)lang), key);
            assert_ptr_not_equal(text, key);
        }
    }
}

static void test_status_words(void **state)
{
    fixture *f = *state;
    static const char *const want[3][5] = {
        {"Ei raportoitu", "Toteutuu", "Toteutunut", "Epävarma", "Ei toteudu"},
        {"Ej rapporterat", "Uppnås", "Uppnått", "Osäkert", "Uppnås inte"},
        {"Not reported", "On track", "Achieved", "At risk", "Not met"},
    };
    static const char *const tasks[3][3] = {
        {"TEKEMÄTTÄ", "TEKEILLÄ", "TEHTY"},
        {"EJ PÅBÖRJAT", "PÅGÅR", "KLART"},
        {"NOT STARTED", "IN PROGRESS", "DONE"},
    };
    static const char *const bools[3][2] = {{"Kyllä", "Ei"}, {"Ja", "Nej"}, {"Yes", "No"}};
    for (int lang = 0; lang < 3; lang++) {
        const ts_labels *l = load(f, (ts_lang)lang);
        for (int s = 0; s < 5; s++)
            assert_string_equal(ts_label_status(l, (ts_status)s), want[lang][s]);
        for (int s = 0; s < 3; s++)
            assert_string_equal(ts_label_task_status(l, (ts_task_status)s), tasks[lang][s]);
        assert_string_equal(ts_label_bool(l, true), bools[lang][0]);
        assert_string_equal(ts_label_bool(l, false), bools[lang][1]);
    }
}

static void test_placeholders(void **state)
{
    fixture *f = *state;
    const ts_labels *fi = load(f, TS_LANG_FI);
    assert_string_equal(ts_label_fmt(fi, f->arena, "pack.title", 2020, -1, -1),
                        "Sitovat TA-tavoitteet 2020");
    assert_string_equal(ts_label_fmt(fi, f->arena, "col.forecast", 2021, 1, -1), "Ennuste 1/2021");
    assert_string_equal(ts_label_fmt(fi, f->arena, "deck.kicker", 2020, 3, 7), "TA-seuranta 2020");
    assert_string_equal(ts_label_fmt(fi, f->arena, "progress.alt", 2020, 3, 40),
                        "Edistyminen 40 %");
    /* A negative value leaves the placeholder empty, never "-1". */
    assert_string_equal(ts_label_fmt(fi, f->arena, "col.forecast", 2021, -1, -1), "Ennuste /2021");
    assert_string_equal(ts_label_fmt(fi, f->arena, "page", -1, -1, 12), "12");
    assert_string_equal(ts_label(fi, "pack.round.3"), "Vuoden kolmas toteutumisennuste");
    assert_string_equal(ts_label(fi, "continued"), "(jatkuu)");
    assert_string_equal(ts_label(fi, "summary.binding"), "(sitova mittari)");
    assert_string_equal(ts_label(fi, "col.recovery"), "Palautumismittari");
    assert_string_equal(ts_label(fi, "sheet.summary"), "Tiivistelmä");

    const ts_labels *sv = load(f, TS_LANG_SV);
    assert_string_equal(ts_label(sv, "continued"), "(forts.)");
    assert_string_equal(ts_label_fmt(sv, f->arena, "forecast.status", 2020, 2, -1),
                        "Prognos 2/2020");
    const ts_labels *en = load(f, TS_LANG_EN);
    assert_string_equal(ts_label(en, "continued"), "(continued)");
    assert_string_equal(ts_label_fmt(en, f->arena, "col.forecast", 2020, 3, -1), "Forecast 3/2020");

    /* {name}: a link names what it shows, never a number the slide does not show. */
    assert_string_equal(ts_label_fmt_name(fi, f->arena, "link.deck", "Biennaali"),
                        "Siirry mittarin ”Biennaali” kalvoille");
    assert_string_equal(ts_label_fmt_name(sv, f->arena, "link.deck", "Äldre i rörelse"),
                        "Gå till bilderna för mätaren ”Äldre i rörelse”");
    assert_string_equal(ts_label_fmt_name(en, f->arena, "link.deck", "Helsinki Biennial"),
                        "Go to the slides of the measure “Helsinki Biennial”");
    assert_string_equal(ts_label_fill_name(f->arena, ts_label(fi, "link.web"), "www.hel.fi"),
                        "www.hel.fi (avautuu selaimeen)");
    assert_string_equal(ts_label_fill_name(f->arena, ts_label(sv, "link.web"), "www.hel.fi"),
                        "www.hel.fi (öppnas i webbläsaren)");
    assert_string_equal(ts_label_fill_name(f->arena, "{n} {name} {year}", "x"), " x ");
    assert_string_equal(ts_label_fmt_name(fi, f->arena, "page", "x"), "");
    assert_string_equal(ts_label_fmt_name(fi, f->arena, "link.deck", NULL),
                        "Siirry mittarin ”” kalvoille");
}

static void test_roles(void **state)
{
    fixture *f = *state;
    const ts_labels *fi = load(f, TS_LANG_FI);
    assert_string_equal(ts_label_role(fi, "owner", 1), "Omistaja");
    assert_string_equal(ts_label_role(fi, "owner", 2), "Omistajat");
    assert_string_equal(ts_label_role(fi, "manager", 1), "Projektipäällikkö");
    assert_string_equal(ts_label_role(fi, "manager", 3), "Projektipäälliköt");
    assert_string_equal(ts_label_role(fi, "preparer", 1), "Valmistelu");
    assert_string_equal(ts_label_role(fi, "preparer", 4), "Valmistelu");
    const ts_labels *en = load(f, TS_LANG_EN);
    assert_string_equal(ts_label_role(en, "owner", 1), "Owner");
    assert_string_equal(ts_label_role(en, "owner", 2), "Owners");
    assert_string_equal(ts_label_role(en, "manager", 2), "Project managers");
}

static void test_dates(void **state)
{
    fixture *f = *state;
    ts_date day = {2020, 10, 5}, month = {2020, 10, 0}, jan = {2021, 1, 31};
    const ts_labels *fi = load(f, TS_LANG_FI);
    assert_string_equal(ts_label_date(fi, f->arena, day), "5.10.2020");
    assert_string_equal(ts_label_date(fi, f->arena, month), "Lokakuu 2020");
    assert_string_equal(ts_label_date(fi, f->arena, jan), "31.1.2021");
    const ts_labels *sv = load(f, TS_LANG_SV);
    assert_string_equal(ts_label_date(sv, f->arena, day), "5.10.2020");
    assert_string_equal(ts_label_date(sv, f->arena, month), "oktober 2020");
    const ts_labels *en = load(f, TS_LANG_EN);
    assert_string_equal(ts_label_date(en, f->arena, day), "5 October 2020");
    assert_string_equal(ts_label_date(en, f->arena, month), "October 2020");
    assert_string_equal(ts_label_date(en, f->arena, (ts_date){2020, 12, 0}), "December 2020");
}

/* ---- Refused files --------------------------------------------------------------------- */

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* Writes <dir>/fi.xml as the real fi.xml with `from` replaced by `to`, loads it and returns
 * the diagnostics' count; the first error is copied to *first. */
static size_t load_broken(fixture *f, const char *from, const char *to, ts_diag *first,
                          char *dir_out)
{
    char dir[] = "/tmp/ts-labels-XXXXXX";
    assert_non_null(mkdtemp(dir));
    strcpy(dir_out, dir);
    char *orig = read_file(LABEL_DIR "/fi.xml");
    char *hit = strstr(orig, from);
    assert_non_null(hit);
    char path[256];
    snprintf(path, sizeof path, "%s/fi.xml", dir);
    FILE *fp = fopen(path, "wb");
    fwrite(orig, 1, (size_t)(hit - orig), fp);
    fputs(to, fp);
    fputs(hit + strlen(from), fp);
    fclose(fp);
    free(orig);
    const ts_labels *l = ts_labels_load(dir, TS_LANG_FI, f->arena, &f->diags);
    assert_null(l);
    assert_true(f->diags.errors > 0);
    *first = ((ts_diag *)f->diags.list.items)[0];
    remove(path);
    rmdir(dir);
    return f->diags.errors;
}

static void assert_at(const ts_diag *d, const char *dir, unsigned line, unsigned col,
                      const char *words)
{
    char file[256];
    snprintf(file, sizeof file, "%s/fi.xml", dir);
    assert_string_equal(d->file, file);
    assert_int_equal(d->severity, TS_ERROR);
    if (d->pos.line != line || (col != 0 && d->pos.col != col))
        fail_msg("at %u:%u, want %u:%u (%s)", d->pos.line, d->pos.col, line, col, d->message);
    if (strstr(d->message, words) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", d->message, words);
}

/* The line of the first occurrence of s in the real fi.xml. */
static unsigned line_of(const char *s)
{
    char *orig = read_file(LABEL_DIR "/fi.xml");
    char *hit = strstr(orig, s);
    assert_non_null(hit);
    unsigned line = 1;
    for (char *p = orig; p < hit; p++)
        line += *p == '\n';
    free(orig);
    return line;
}

static void test_missing_key_refused(void **state)
{
    fixture *f = *state;
    ts_diag d;
    char dir[64];
    assert_int_equal(load_broken(f, "<label key=\"status.at-risk\">Epävarma</label>", "", &d, dir),
                     1);
    assert_at(&d, dir, line_of("<labels"), 1, "\"status.at-risk\" is missing");
}

static void test_unknown_key_refused(void **state)
{
    fixture *f = *state;
    ts_diag d;
    char dir[64];
    unsigned line = line_of("key=\"status.at-risk\"");
    load_broken(f, "key=\"status.at-risk\"", "key=\"status.at-rsik\"", &d, dir);
    /* Sorted by position: the unknown key's line comes after the root's "missing" error. */
    ts_diag *all = f->diags.list.items;
    bool found = false;
    for (size_t i = 0; i < f->diags.list.len; i++) {
        if (strstr(all[i].message, "unknown label key \"status.at-rsik\"") != NULL) {
            assert_at(&all[i], dir, line, 10, "unknown label key");
            found = true;
        }
    }
    assert_true(found);
    (void)d;
}

static void test_doctype_refused(void **state)
{
    fixture *f = *state;
    ts_diag d;
    char dir[64];
    assert_int_equal(load_broken(f, "<labels xml:lang",
                                 "<!DOCTYPE labels [<!ENTITY x \"boom\">]>\n<labels xml:lang", &d,
                                 dir),
                     1);
    assert_at(&d, dir, line_of("<labels"), 1, "DOCTYPE");
}

static void test_malformed_refused(void **state)
{
    fixture *f = *state;
    ts_diag d;
    char dir[64];
    unsigned line = line_of("key=\"task.done\"");
    load_broken(f, "<label key=\"task.done\">TEHTY</label>",
                "<label key=\"task.done\">TEHTY</labl>", &d, dir);
    assert_at(&d, dir, line, 0, "");
    assert_true(d.pos.col > 1);
}

static void test_bad_placeholder_and_wrong_lang_refused(void **state)
{
    fixture *f = *state;
    ts_diag d;
    char dir[64];
    load_broken(f, "TA-seuranta {year}", "TA-seuranta {yera}", &d, dir);
    assert_at(&d, dir, line_of("TA-seuranta {year}"), 3, "unknown placeholder \"{yera}\"");
    ts_diags_free(&f->diags);
    assert_true(ts_diags_init(&f->diags, NULL));
    load_broken(f, "<labels xml:lang=\"fi\">", "<labels xml:lang=\"sv\">", &d, dir);
    assert_at(&d, dir, line_of("<labels"), 1, "xml:lang=\"sv\"");
}

static void test_missing_file_refused(void **state)
{
    fixture *f = *state;
    assert_null(ts_labels_load("/nonexistent/labels", TS_LANG_SV, f->arena, &f->diags));
    assert_int_equal(f->diags.errors, 1);
    ts_diag *d = f->diags.list.items;
    assert_string_equal(d->file, "/nonexistent/labels/sv.xml");
    assert_non_null(strstr(d->message, "cannot read"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_list_is_sorted),
        cmocka_unit_test_setup_teardown(test_every_key_in_every_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_placeholders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_key_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_key_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_doctype_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_placeholder_and_wrong_lang_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_file_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

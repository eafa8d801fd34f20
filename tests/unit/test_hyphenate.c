/* Hyphenation points: voikko for Finnish, hyphen-sv for Swedish, none for English. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hyphenate.h"

/* Decodes a UTF-8 test word into code points. */
static size_t decode(const char *s, uint32_t *out)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            out[n++] = *p++;
        } else if ((*p & 0xE0) == 0xC0) {
            out[n++] = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else {
            out[n++] = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            p += 3;
        }
    }
    return n;
}

/* The word with "-" at each point, "=" at a compound's seam ("|" where no hyphen is added). */
static const char *marked(ts_hyphenator *h, const char *word)
{
    static char out[256];
    uint32_t cps[64];
    ts_hyph_point pts[64];
    size_t n = decode(word, cps);
    size_t np = ts_hyph_points(h, cps, n, pts, 64);
    const unsigned char *p = (const unsigned char *)word;
    size_t o = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k < np && pts[k].index == i) {
            out[o++] = !pts[k].add_hyphen ? '|' : pts[k].seam ? '=' : '-';
            k++;
        }
        do
            out[o++] = (char)*p++;
        while ((*p & 0xC0) == 0x80);
    }
    out[o] = '\0';
    return out;
}

static void test_finnish(void **state)
{
    (void)state;
    ts_hyphenator *h = ts_hyph_new(TS_LANG_FI, NULL);
    assert_non_null(h);
    assert_string_equal(marked(h, "yhteissuunnittelun"), "yh-teis=suun-nit-te-lun");
    assert_string_equal(marked(h, "toteutumisennuste"), "to-teu-tu-mis=en-nus-te");
    assert_string_equal(marked(h, "kaupunkistrategian"), "kau-pun-ki=stra-te-gian");
    assert_string_equal(marked(h, "KAUPUNKISTRATEGIAN"), "KAU-PUN-KI=STRA-TE-GIAN");
    assert_string_equal(marked(h, "asukastyytyv\xC3\xA4isyys"), "asu-kas=tyy-ty-v\xC3\xA4i-syys");
    /* The word's own hyphen: break after it, add nothing; it is a seam too. */
    assert_string_equal(marked(h, "linja-auto"), "linja-|auto");
    assert_string_equal(marked(h, "linja-autoasema"), "linja-|auto=asema");
    uint32_t own[32];
    ts_hyph_point at[8];
    assert_int_equal(ts_hyph_points(h, own, decode("linja-auto", own), at, 8), 1);
    assert_true(at[0].seam);
    /* Seams come from voikko's analysis: each part of a compound of three. */
    assert_string_equal(marked(h, "teatterikorkeakoulu"), "teat-te-ri=kor-kea=koulu");
    /* A word voikko does not know has syllable points but no seams. */
    assert_string_equal(marked(h, "kvarkkigluoniplasma"), "kvark-kig-luo-nip-las-ma");
    /* Short words are left alone (minimum hyphenated length 6). */
    assert_string_equal(marked(h, "tieto"), "tieto");
    assert_string_equal(marked(h, "xqzwrtpl"), "xqzwrtpl");
    /* At most max points are written. */
    uint32_t cps[32];
    ts_hyph_point pts[2];
    size_t n = decode("yhteissuunnittelun", cps);
    assert_int_equal(ts_hyph_points(h, cps, n, pts, 2), 2);
    assert_int_equal(pts[0].index, 2);
    assert_int_equal(pts[1].index, 6);
    ts_hyph_free(h);
}

static void test_swedish(void **state)
{
    (void)state;
    ts_hyphenator *h = ts_hyph_new(TS_LANG_SV, "/usr/share/hyphen");
    assert_non_null(h);
    assert_string_equal(marked(h, "utvecklingsprogrammet"), "ut-veck-lings=pro-gram-met");
    /* The dictionary is ISO-8859-1: å must be converted, not passed as UTF-8. */
    assert_string_equal(marked(h, "h\xC3\xA5llbarhetsarbete"), "h\xC3\xA5ll-bar-hets=ar-be-te");
    assert_string_equal(marked(h, "UTVECKLINGSPROGRAMMET"), "UT-VECK-LINGS=PRO-GRAM-MET");
    /* Seams after a first part that takes a linking s: -ning(s), -het(s), -tion(s) ... */
    assert_string_equal(marked(h, "\xC3\xA5terh\xC3\xA4mtningsm\xC3\xA4tare"), "\xC3\xA5"
                                                                               "ter-h\xC3\xA4"
                                                                               "mt-nings=m\xC3\xA4"
                                                                               "-ta-re");
    assert_string_equal(marked(h, "verksamhetsm\xC3\xA5l"), "verk-sam-hets=m\xC3\xA5"
                                                            "l");
    assert_string_equal(marked(h, "informationssystem"), "in-for-ma-tions=sys-tem");
    assert_string_equal(marked(h, "\xC3\x85TERH\xC3\x84MTNINGSM\xC3\x84TARE"), "\xC3\x85"
                                                                               "TER-H\xC3\x84"
                                                                               "MT-NINGS=M\xC3\x84"
                                                                               "-TA-RE");
    /* Three letters after the suffix are a part ("råd"); a word without such a suffix has no
     * seam ("hetsig" is no compound, nor "kommentarer"). */
    assert_string_equal(marked(h, "utvecklingsr\xC3\xA5"
                                  "d"),
                        "ut-veck-lings=r\xC3\xA5"
                        "d");
    assert_string_equal(marked(h, "hetsig"), "het-sig");
    assert_string_equal(marked(h, "kommentarer"), "kom-men-ta-rer");
    /* Outside Latin-1: no points rather than a wrong guess. */
    assert_string_equal(marked(h, "stadsstrategi\xE2\x82\xAC"), "stadsstrategi\xE2\x82\xAC");
    ts_hyph_free(h);
    /* A missing dictionary means no points, not a failure. */
    h = ts_hyph_new(TS_LANG_SV, "/nonexistent");
    assert_non_null(h);
    assert_string_equal(marked(h, "utvecklingsprogrammet"), "utvecklingsprogrammet");
    ts_hyph_free(h);
}

/* Words are remembered: asked again, the same points come back, also after a first question
 * whose max cut the answer short, and past the number of words the cache keeps. */
static void test_remembered_words(void **state)
{
    (void)state;
    ts_hyphenator *h = ts_hyph_new(TS_LANG_FI, NULL);
    assert_non_null(h);
    uint32_t cps[32];
    ts_hyph_point pts[64];
    size_t n = decode("kaupunkiymp\xC3\xA4rist\xC3\xB6n", cps);
    assert_int_equal(ts_hyph_points(h, cps, n, pts, 1), 1);
    assert_string_equal(marked(h, "kaupunkiymp\xC3\xA4rist\xC3\xB6n"),
                        "kau-pun-ki=ym-p\xC3\xA4-ris-t\xC3\xB6n");
    for (int i = 0; i < 3; i++)
        assert_string_equal(marked(h, "yhteissuunnittelun"), "yh-teis=suun-nit-te-lun");
    ts_hyph_free(h);

    h = ts_hyph_new(TS_LANG_SV, "/usr/share/hyphen");
    assert_non_null(h);
    /* More distinct words than the cache keeps, each asked twice: the same answer. */
    static char first[7000][24];
    char word[32];
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 7000; i++) {
            snprintf(word, sizeof word, "utveckling%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26,
                     'a' + i / 676 % 26);
            const char *m = marked(h, word);
            assert_true(strchr(m, '-') != NULL);
            if (pass == 0)
                snprintf(first[i], sizeof first[i], "%s", m);
            else
                assert_string_equal(m, first[i]);
        }
    assert_string_equal(marked(h, "utvecklingsprogrammet"), "ut-veck-lings=pro-gram-met");
    assert_string_equal(marked(h, "utvecklingsprogrammet"), "ut-veck-lings=pro-gram-met");
    ts_hyph_free(h);
}

static void test_english(void **state)
{
    (void)state;
    ts_hyphenator *h = ts_hyph_new(TS_LANG_EN, NULL);
    assert_non_null(h);
    assert_string_equal(marked(h, "internationalization"), "internationalization");
    ts_hyph_free(h);
    ts_hyph_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finnish),
        cmocka_unit_test(test_swedish),
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_remembered_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

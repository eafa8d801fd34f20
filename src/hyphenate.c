#include "hyphenate.h"
#include "utf8.h"

#include <hyphen.h>
#include <libvoikko/voikko.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libhyphen copies a word into fixed buffers of about 100 bytes; longer words get no points
 * (a word that long is broken by the last resort anyway).  libvoikko analyses words of up to
 * 255 characters; a longer one gets its points but no seams. */
enum { TS_HYPH_MAX_BYTES = 96, TS_HYPH_MAX_SEAM_WORD = 256 };

struct ts_hyphenator {
    ts_lang lang;
    char *dict_path; /* Swedish patterns */
    bool tried;      /* the dictionary was opened (or failed to open) already */
    struct VoikkoHandle *voikko;
    HyphenDict *hyphen;
    char *buf; /* scratch for the encoded word */
    size_t buf_cap;
    /* Words asked about before, with their points: libvoikko takes some 170,000 instructions
     * to analyse one Finnish word, and the same words come back all through a pack. */
    struct known_word *known;
    size_t n_known;
};

/* An entry of the cache: a word's code points and points in one block. */
typedef struct known_word {
    uint64_t hash; /* 0: empty slot */
    uint32_t *word;
    size_t n;
    ts_hyph_point *points;
    size_t n_points;
} known_word;

/* Slots of the cache (a power of two); once it is three quarters full, new words are
 * analysed without being kept, so that its memory stays bounded. */
enum { TS_HYPH_KNOWN_SLOTS = 8192 };

ts_hyphenator *ts_hyph_new(ts_lang lang, const char *hyphen_dir)
{
    ts_hyphenator *h = calloc(1, sizeof *h);
    if (h == NULL)
        return NULL;
    h->lang = lang;
    if (lang == TS_LANG_SV) {
        const char *dir = hyphen_dir ? hyphen_dir : "/usr/share/hyphen";
        size_t n = strlen(dir) + sizeof "/hyph_sv_SE.dic";
        h->dict_path = malloc(n);
        if (h->dict_path == NULL) {
            free(h);
            return NULL;
        }
        snprintf(h->dict_path, n, "%s/hyph_sv_SE.dic", dir);
    }
    return h;
}

void ts_hyph_free(ts_hyphenator *h)
{
    if (h == NULL)
        return;
    if (h->voikko)
        voikkoTerminate(h->voikko);
    if (h->hyphen)
        hnj_hyphen_free(h->hyphen);
    for (size_t i = 0; h->known != NULL && i < TS_HYPH_KNOWN_SLOTS; i++)
        free(h->known[i].word); /* the points live in the same block */
    free(h->known);
    free(h->dict_path);
    free(h->buf);
    free(h);
}

static void open_dictionary(ts_hyphenator *h)
{
    h->tried = true;
    if (h->lang == TS_LANG_FI) {
        const char *err = NULL;
        h->voikko = voikkoInit(&err, "fi", NULL);
        if (h->voikko == NULL)
            return;
        /* Short words are never worth breaking, and a break that leaves one vowel alone
         * ("ai-e") reads badly. */
        voikkoSetIntegerOption(h->voikko, VOIKKO_MIN_HYPHENATED_WORD_LENGTH, 6);
        voikkoSetBooleanOption(h->voikko, VOIKKO_OPT_NO_UGLY_HYPHENATION, 1);
        voikkoSetBooleanOption(h->voikko, VOIKKO_OPT_HYPHENATE_UNKNOWN_WORDS, 1);
    } else if (h->lang == TS_LANG_SV && h->dict_path != NULL) {
        h->hyphen = hnj_hyphen_load(h->dict_path);
        if (h->hyphen == NULL)
            return;
        /* hyph_sv_SE.dic allows one letter before a break ("a-" lines); two is the Swedish
         * typographic minimum on either side. */
        if (h->hyphen->lhmin < 2)
            h->hyphen->lhmin = 2;
        if (h->hyphen->rhmin < 2)
            h->hyphen->rhmin = 2;
    }
}

static bool reserve(ts_hyphenator *h, size_t n)
{
    if (n <= h->buf_cap)
        return true;
    size_t cap = n < 128 ? 128 : n * 2;
    char *b = realloc(h->buf, cap);
    if (b == NULL)
        return false;
    h->buf = b;
    h->buf_cap = cap;
    return true;
}

/* The patterns are lower case. */
static uint32_t lower_latin(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        return cp + 0x20;
    return cp;
}

/* The seams of the word in h->buf (n code points) by libvoikko's analyses: STRUCTURE has one
 * character per character of the word and a '=' before each part.  A seam counts only when
 * every analysis has it, so that an ambiguous word is not broken on one reading's guess; a word
 * voikko does not know has none. */
static void voikko_seams(ts_hyphenator *h, size_t n, bool *seam)
{
    memset(seam, 0, n);
    struct voikko_mor_analysis **an = voikkoAnalyzeWordCstr(h->voikko, h->buf);
    if (an == NULL)
        return;
    bool here[TS_HYPH_MAX_SEAM_WORD];
    size_t readings = 0;
    for (size_t k = 0; an[k] != NULL; k++) {
        char *st = voikko_mor_analysis_value_cstr(an[k], "STRUCTURE");
        if (st == NULL)
            continue;
        memset(here, 0, n);
        size_t at = 0;
        for (const char *c = st; *c != '\0' && at <= n; c++) {
            if (*c == '=') {
                if (at > 0 && at < n)
                    here[at] = true;
            } else {
                at++;
            }
        }
        voikko_free_mor_analysis_value_cstr(st);
        if (at != n) { /* a structure that does not spell this word says nothing */
            memset(seam, 0, n);
            break;
        }
        for (size_t i = 0; i < n; i++)
            seam[i] = readings == 0 ? here[i] : seam[i] && here[i];
        readings++;
    }
    voikko_free_mor_analysis(an);
}

static size_t voikko_points(ts_hyphenator *h, const uint32_t *word, size_t n, ts_hyph_point *points,
                            size_t max)
{
    if (!reserve(h, n * 4 + 1))
        return 0;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (word[i] == 0 || word[i] > 0x10FFFF)
            return 0;
        len += ts_utf8_put(h->buf + len, word[i]);
    }
    h->buf[len] = '\0';
    char *pattern = voikkoHyphenateCstr(h->voikko, h->buf);
    if (pattern == NULL)
        return 0;
    size_t count = 0;
    /* One pattern character per code point: '-' breaks before it and adds a hyphen, '='
     * replaces it by the hyphen (the word's own hyphen: break after it, a seam). */
    if (strlen(pattern) == n) {
        bool seam[TS_HYPH_MAX_SEAM_WORD] = {false};
        if (n < TS_HYPH_MAX_SEAM_WORD && strchr(pattern, '-') != NULL)
            voikko_seams(h, n, seam);
        for (size_t i = 1; i < n && count < max; i++) {
            if (pattern[i] == '-')
                points[count++] = (ts_hyph_point){i, true, n < TS_HYPH_MAX_SEAM_WORD && seam[i]};
            else if (pattern[i] == '=' && word[i] == '-' && i + 1 < n)
                points[count++] = (ts_hyph_point){i + 1, false, true};
        }
    }
    voikkoFreeCstr(pattern);
    return count;
}

static void free_nonstandard(char **rep, int *pos, int *cut, size_t n)
{
    if (rep != NULL) {
        for (size_t i = 0; i < n; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
}

/* Suffixes after which Swedish always joins the next part of a compound with a linking s
 * ("utvecklings|program", "verksamhets|mål", "kostnads|ram"), lower case, ISO-8859-1 free. */
static const char *const linking_s_suffixes[] = {
    "nings", "ings", "hets", "elses", "tions", "sions", "skaps", "doms", "itets", "nads", "leks"};

/* Whether a break before word[i] falls between two parts of a Swedish compound: the part
 * before it ends in a suffix of the list above, and each part keeps at least three letters. */
static bool swedish_seam(const uint32_t *word, size_t n, size_t i)
{
    if (i < 4 || n - i < 3)
        return false;
    for (size_t k = 0; k < sizeof linking_s_suffixes / sizeof *linking_s_suffixes; k++) {
        const char *suf = linking_s_suffixes[k];
        size_t m = strlen(suf);
        if (m + 1 > i)
            continue;
        size_t j = 0;
        while (j < m && lower_latin(word[i - m + j]) == (unsigned char)suf[j])
            j++;
        if (j == m)
            return true;
    }
    return false;
}

static size_t hyphen_points(ts_hyphenator *h, const uint32_t *word, size_t n, ts_hyph_point *points,
                            size_t max)
{
    const bool utf8 = h->hyphen->utf8 != 0;
    /* byte_of[i] is where code point i starts in the encoded word. */
    size_t byte_of[TS_HYPH_MAX_BYTES + 1];
    if (n > TS_HYPH_MAX_BYTES || !reserve(h, TS_HYPH_MAX_BYTES + 8))
        return 0;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = lower_latin(word[i]);
        byte_of[i] = len;
        if (utf8) {
            if (cp == 0 || cp > 0x10FFFF || len + 4 > TS_HYPH_MAX_BYTES)
                return 0;
            len += ts_utf8_put(h->buf + len, cp);
        } else {
            /* The dictionary's charset is ISO-8859-1 (its first line): a word with anything
             * outside Latin-1 is not Swedish enough to hyphenate. */
            if (cp == 0 || cp > 0xFF)
                return 0;
            h->buf[len++] = (char)cp;
        }
    }
    byte_of[n] = len;
    h->buf[len] = '\0';
    char hyphens[TS_HYPH_MAX_BYTES + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    if (hnj_hyphen_hyphenate2(h->hyphen, h->buf, (int)len, hyphens, NULL, &rep, &pos, &cut) != 0) {
        free_nonstandard(rep, pos, cut, len);
        return 0;
    }
    size_t count = 0;
    /* hyphens[b] odd: a break after byte b.  Points with a replacement (rep[b]) change the
     * spelling at the break; they are skipped rather than drawn wrong. */
    for (size_t i = 1; i < n && count < max; i++) {
        size_t b = byte_of[i] - 1;
        if ((hyphens[b] - '0') % 2 == 1 && (rep == NULL || rep[b] == NULL))
            points[count++] = (ts_hyph_point){i, word[i - 1] != '-',
                                              word[i - 1] == '-' || swedish_seam(word, n, i)};
    }
    free_nonstandard(rep, pos, cut, len);
    return count;
}

static uint64_t word_hash(const uint32_t *word, size_t n)
{
    uint64_t x = 0xcbf29ce484222325u; /* FNV-1a over the code points */
    for (size_t i = 0; i < n; i++) {
        x ^= word[i];
        x *= 0x100000001b3u;
    }
    return x != 0 ? x : 1;
}

/* The slot of word: where it is, or the empty slot where it would go. */
static known_word *known_slot(ts_hyphenator *h, uint64_t hash, const uint32_t *word, size_t n)
{
    for (size_t i = (size_t)hash & (TS_HYPH_KNOWN_SLOTS - 1);;
         i = (i + 1) & (TS_HYPH_KNOWN_SLOTS - 1)) {
        known_word *k = &h->known[i];
        if (k->hash == 0 ||
            (k->hash == hash && k->n == n && memcmp(k->word, word, n * sizeof *word) == 0))
            return k;
    }
}

/* Keeps a word's points; when memory is short the word is simply not kept. */
static void remember(ts_hyphenator *h, known_word *k, uint64_t hash, const uint32_t *word, size_t n,
                     const ts_hyph_point *points, size_t n_points)
{
    if (h->n_known >= TS_HYPH_KNOWN_SLOTS / 4 * 3)
        return;
    uint32_t *block = malloc(n * sizeof *word + n_points * sizeof *points);
    if (block == NULL)
        return;
    memcpy(block, word, n * sizeof *word);
    ts_hyph_point *kept = (ts_hyph_point *)(void *)(block + n);
    if (n_points > 0)
        memcpy(kept, points, n_points * sizeof *points);
    *k = (known_word){hash, block, n, kept, n_points};
    h->n_known++;
}

size_t ts_hyph_points(ts_hyphenator *h, const uint32_t *word, size_t n, ts_hyph_point *points,
                      size_t max)
{
    if (h == NULL || n < 2 || max == 0)
        return 0;
    if (!h->tried)
        open_dictionary(h);
    if (h->voikko == NULL && h->hyphen == NULL)
        return 0;
    if (h->known == NULL)
        h->known = calloc(TS_HYPH_KNOWN_SLOTS, sizeof *h->known);
    uint64_t hash = word_hash(word, n);
    known_word *k = h->known != NULL ? known_slot(h, hash, word, n) : NULL;
    if (k != NULL && k->hash != 0) {
        size_t m = k->n_points < max ? k->n_points : max;
        memcpy(points, k->points, m * sizeof *points);
        return m;
    }
    size_t got = h->voikko != NULL ? voikko_points(h, word, n, points, max)
                                   : hyphen_points(h, word, n, points, max);
    /* Kept only when max did not cut the answer short, so that a later, larger max is right. */
    if (k != NULL && got < max)
        remember(h, k, hash, word, n, points, got);
    return got;
}

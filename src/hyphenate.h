/* Hyphenation points of one word, by the language's rules (internal to the text engine).
 *
 * Finnish asks libvoikko, Swedish asks libhyphen with the hyphen-sv patterns, English has no
 * hyphenator (its words only get last-resort breaks).  The dictionaries are opened on the
 * first word that needs them, so that a document whose words all fit never pays for loading
 * them.
 *
 * Both hyphenators give every syllable point; a compound reads best broken between its parts,
 * so points at a compound's seam are marked.  Finnish seams come from libvoikko's analysis of
 * the word (its STRUCTURE: where each part begins).  hyphen-sv's patterns carry no such
 * information, so Swedish seams are found by a rule of Swedish word formation: a first part
 * ending in a suffix that always joins the next part with a linking s (-ning, -ing, -het,
 * -else, -tion, -sion, -skap, -dom, -itet, -nad, -lek: "återhämtnings|mätare",
 * "hållbarhets|arbete").  A word's own hyphen is a seam in every language. */
#ifndef TS_HYPHENATE_H
#define TS_HYPHENATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef struct ts_hyphenator ts_hyphenator;

/* hyphen_dir holds hyph_sv_SE.dic (may be NULL for the default).  Never fails for want of a
 * dictionary: without one the hyphenator answers "no points". NULL only when out of memory. */
ts_hyphenator *ts_hyph_new(ts_lang lang, const char *hyphen_dir);
void ts_hyph_free(ts_hyphenator *h);

/* A place where `word` may be broken: before word[index] (an index into the code points). */
typedef struct ts_hyph_point {
    size_t index;
    bool add_hyphen; /* false when the character before it is already a hyphen */
    bool seam;       /* between two parts of a compound: the place to prefer */
} ts_hyph_point;

/* Finds the hyphenation points of a word given as code points (letters only: the caller
 * strips punctuation).  Writes at most max points in increasing order and returns how many. */
size_t ts_hyph_points(ts_hyphenator *h, const uint32_t *word, size_t n, ts_hyph_point *points,
                      size_t max);

#endif

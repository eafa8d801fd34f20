/* The drawing layer writes its operators' numbers itself: every value must read exactly as
 * libharu's HPDF_FToA would write it, or the pages would differ from libharu's own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>
#include <hpdf_utils.h>

#include "pdfdoc.h"

static void expect_same(HPDF_REAL v)
{
    char theirs[64] = {0}, ours[64];
    HPDF_FToA(theirs, v, theirs + sizeof theirs - 1);
    char *end = ts_pdf_real(ours, v);
    *end = '\0';
    if (strcmp(theirs, ours) != 0)
        fail_msg("%.9g: libharu writes \"%s\", ts_pdf_real \"%s\"", (double)v, theirs, ours);
    assert_true(end - ours <= 12);
}

static void test_same_as_libharu(void **state)
{
    (void)state;
    /* Every step of 1/1000 over a landscape slide, both signs. */
    for (int i = -1200000; i <= 1200000; i++)
        expect_same((HPDF_REAL)i / 1000.0f);
    /* Colours: every 8-bit channel value and its neighbourhood. */
    for (int c = 0; c <= 255; c++) {
        expect_same((HPDF_REAL)(c / 255.0));
        expect_same(nextafterf((HPDF_REAL)(c / 255.0), 2.0f));
    }
    /* The edges: rounding up into the next integer, the clamp, and zero. */
    static const HPDF_REAL edges[] = {0.0f,     -0.0f,     0.0000049f, 0.000005f, -0.000004f,
                                      0.99999f, 0.999996f, 9.999996f,  99.99999f, 32767.0f,
                                      32768.5f, -40000.0f, 1e-30f,     1e9f,      -1e9f};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        expect_same(edges[i]);
    /* Random floats over the range libharu writes. */
    srand(12345);
    for (int i = 0; i < 1000000; i++)
        expect_same(((HPDF_REAL)rand() / (HPDF_REAL)RAND_MAX - 0.5f) * 70000.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_libharu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The round writer: literal expected files for small rounds (the layout, escapes, numbers,
 * blocks, comments, wrapping), the round read back the same, and the file put in place whole:
 * never over an existing file unless asked, no temporary file left, nothing followed. */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "round/model.h"
#include "round/parser.h"
#include "round/roundwrite.h"

/* ---- Helpers ----------------------------------------------------------------------------- */

static ts_round *parse(const char *text, bool keep_comments)
{
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    ts_parse_options o;
    ts_parse_options_default(&o);
    o.keep_comments = keep_comments;
    ts_round *r = ts_parse_memory(text, strlen(text), "t.xml", &o, &d);
    if (r == NULL)
        ts_diags_print(&d, stderr);
    ts_diags_free(&d);
    assert_non_null(r);
    return r;
}

static char *write_xml(const ts_round *r)
{
    char *xml;
    size_t len;
    assert_int_equal(ts_round_xml(r, &xml, &len), TS_OK);
    assert_int_equal(strlen(xml), len);
    return xml;
}

/* Writes the round of `in` and compares with `want`; then reads the result and writes it
 * again: the same file (the writer's output is its own fixed point). */
static void expect_written(const char *in, const char *want)
{
    ts_round *r = parse(in, true);
    char *xml = write_xml(r);
    if (strcmp(xml, want) != 0)
        fprintf(stderr, "written:\n%s\nwanted:\n%s\n", xml, want);
    assert_string_equal(xml, want);
    ts_round *again = parse(xml, true);
    char *xml2 = write_xml(again);
    assert_string_equal(xml2, xml);
    free(xml2);
    ts_round_free(again);
    free(xml);
    ts_round_free(r);
}

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<round format=\"1\" year=\"2020\" number=\"2\" date=\"2020-06-15\" xml:lang=\"sv\">\n"
#define ORG                                                                                        \
    "  <organization>\n"                                                                           \
    "    <city>Helsingfors</city>\n"                                                               \
    "    <division>Kultur</division>\n"                                                            \
    "  </organization>\n"
#define THEMES                                                                                     \
    "\n"                                                                                           \
    "  <themes>\n"                                                                                 \
    "    <theme id=\"t\">Tema</theme>\n"                                                           \
    "  </themes>\n"

/* A round around one measure's body, as a person might write it (no layout at all). */
static char *round_with(const char *measure_body)
{
    char *s;
    assert_true(asprintf(&s,
                         "<round format='1' year='2020' number='2' date='2020-06-15' "
                         "xml:lang='sv'><organization><city>Helsingfors</city><division>Kultur"
                         "</division></organization><themes><theme id='t'>Tema</theme></themes>"
                         "<goal id='g' theme='t'><statement>Mål</statement><measure id='m'>%s"
                         "</measure></goal></round>",
                         measure_body) > 0);
    return s;
}

/* The file written for that round: the measure's body in `measure` (indented 6). */
static char *written_with(const char *measure)
{
    static const char before[] = HEAD ORG THEMES "\n"
                                                 "  <goal id=\"g\" theme=\"t\">\n"
                                                 "    <statement>Mål</statement>\n"
                                                 "\n"
                                                 "    <measure id=\"m\" recovery=\"false\">\n";
    static const char after[] = "    </measure>\n"
                                "  </goal>\n"
                                "</round>\n";
    size_t n = strlen(before) + strlen(measure) + strlen(after) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "%s%s%s", before, measure, after);
    return s;
}

static void expect_measure(const char *body, const char *want)
{
    char *in = round_with(body), *out = written_with(want);
    expect_written(in, out);
    free(in);
    free(out);
}

/* ---- The layout -------------------------------------------------------------------------- */

static void whole_small_round(void **state)
{
    expect_written(
        "<?xml version='1.0' encoding='UTF-8'?><round format='1' year='2020' number='2' "
        "date='2020-06-15' xml:lang='sv'><organization><city>Helsingfors</city><division "
        "short='Kuva'>Kultur</division></organization><title>T <b>b</b></title><themes><theme "
        "id='t'>Tema</theme></themes><programmes><programme id='p' kind='separate-programme'>P"
        "</programme></programmes><goal id='g' theme='t'><statement>Mål</statement><description>"
        "<p>D</p><p>E</p></description><measure id='m' recovery='true'><name>N</name><text>T"
        "</text><date>2020-06</date><owner>O</owner><manager>M</manager><preparer>P</preparer>"
        "<objective><ul><li>a<ol><li>b</li></ol></li></ul></objective><level value='20' "
        "unit='st'/><target id='x'><title>X</title><scale from='0' to='20'><phase at='50'>Hälften"
        "</phase></scale><task status='doing' progress='40'><title>Y</title></task><task "
        "status='done'><title>Z</title><detail>Klart.</detail></task><forecast>F</forecast>"
        "<risks/></target><forecast round='1' status='on-track'/><forecast round='2' "
        "status='at-risk' value='14' unit='st'>Text.</forecast><comment/><risks>R</risks><note>"
        "<p>N1</p></note><link ref='p'/></measure></goal><summary><theme-actions theme='t'>"
        "<action>A</action><indicator binding='true'>I</indicator></theme-actions>"
        "<programme-actions ref='p'><action>B</action></programme-actions></summary></round>",
        HEAD
        "  <organization>\n"
        "    <city>Helsingfors</city>\n"
        "    <division short=\"Kuva\">Kultur</division>\n"
        "  </organization>\n"
        "  <title>T <b>b</b></title>\n" THEMES "\n"
        "  <programmes>\n"
        "    <programme id=\"p\" kind=\"separate-programme\">P</programme>\n"
        "  </programmes>\n"
        "\n"
        "  <goal id=\"g\" theme=\"t\">\n"
        "    <statement>Mål</statement>\n"
        "    <description>\n"
        "      <p>D</p>\n"
        "      <p>E</p>\n"
        "    </description>\n"
        "\n"
        "    <measure id=\"m\" recovery=\"true\">\n"
        "      <name>N</name>\n"
        "      <text>T</text>\n"
        "      <date>2020-06</date>\n"
        "      <owner>O</owner>\n"
        "      <manager>M</manager>\n"
        "      <preparer>P</preparer>\n"
        "      <objective>\n"
        "        <ul>\n"
        "          <li>a\n"
        "            <ol>\n"
        "              <li>b</li>\n"
        "            </ol>\n"
        "          </li>\n"
        "        </ul>\n"
        "      </objective>\n"
        "      <level value=\"20\" unit=\"st\"/>\n"
        "      <target id=\"x\">\n"
        "        <title>X</title>\n"
        "        <scale from=\"0\" to=\"20\">\n"
        "          <phase at=\"50\">Hälften</phase>\n"
        "        </scale>\n"
        "        <task status=\"doing\" progress=\"40\"><title>Y</title></task>\n"
        "        <task status=\"done\">\n"
        "          <title>Z</title>\n"
        "          <detail>Klart.</detail>\n"
        "        </task>\n"
        "        <forecast>F</forecast>\n"
        "        <risks/>\n"
        "      </target>\n"
        "      <forecast round=\"1\" status=\"on-track\"/>\n"
        "      <forecast round=\"2\" status=\"at-risk\" value=\"14\" unit=\"st\">Text.</forecast>\n"
        "      <comment/>\n"
        "      <risks>R</risks>\n"
        "      <note>N1</note>\n"
        "      <link ref=\"p\"/>\n"
        "    </measure>\n"
        "  </goal>\n"
        "\n"
        "  <summary>\n"
        "    <theme-actions theme=\"t\">\n"
        "      <action>A</action>\n"
        "      <indicator binding=\"true\">I</indicator>\n"
        "    </theme-actions>\n"
        "    <programme-actions ref=\"p\">\n"
        "      <action>B</action>\n"
        "    </programme-actions>\n"
        "  </summary>\n"
        "</round>\n");
}

/* Characters that XML reserves are escaped; those a person cannot see are written as
 * references; everything else is kept as it is. */
static void escapes(void **state)
{
    expect_measure("<name>a &amp; b &lt;c&gt; \"d\" 'e' ]]&gt;</name><text>x&#160;%&#173;y "
                   "&#8203;z € 🚲</text><owner>Å Ö</owner>"
                   "<note><a href='https://e.fi/?a=1&amp;b=\"2\"&lt;&#10;x'>l</a></note>",
                   "      <name>a &amp; b &lt;c&gt; \"d\" 'e' ]]&gt;</name>\n"
                   "      <text>x&#160;%&#173;y &#8203;z € 🚲</text>\n"
                   "      <owner>Å Ö</owner>\n"
                   "      <note><a href=\"https://e.fi/?a=1&amp;b=&quot;2&quot;&lt;&#10;x\">l</a>"
                   "</note>\n");
}

/* The shortest decimal that reads back as the same number, never with an exponent. */
static void numbers(void **state)
{
    expect_measure("<name>N</name><text>T</text><level value='+020.50'/>"
                   "<target><title>x</title><scale from='a' to='b'><phase at='0.0010'>p</phase>"
                   "<phase at='100'>q</phase></scale></target>"
                   "<forecast round='1' status='on-track' value='-0.000001'/>"
                   "<forecast round='2' status='achieved' value='123456789012.25'/>",
                   "      <name>N</name>\n"
                   "      <text>T</text>\n"
                   "      <level value=\"20.5\"/>\n"
                   "      <target>\n"
                   "        <title>x</title>\n"
                   "        <scale from=\"a\" to=\"b\">\n"
                   "          <phase at=\"0.001\">p</phase>\n"
                   "          <phase at=\"100\">q</phase>\n"
                   "        </scale>\n"
                   "      </target>\n"
                   "      <forecast round=\"1\" status=\"on-track\" value=\"-0.000001\"/>\n"
                   "      <forecast round=\"2\" status=\"achieved\" value=\"123456789012.25\"/>\n");
    /* values whose shortest form needs 17 digits, and huge ones */
    const char *values[] = {"0.1", "0.30000000000000004",           "1e0", "9007199254740993",
                            "-0",  "123456789012345678901234567890"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (strchr(values[i], 'e'))
            continue; /* not a decimal: refused by the parser */
        char *body;
        assert_true(asprintf(&body, "<name>N</name><text>T</text><level value='%s'/>", values[i]) >
                    0);
        char *in = round_with(body);
        ts_round *r = parse(in, false);
        char *xml = write_xml(r);
        const char *v = strstr(xml, "<level value=\"") + strlen("<level value=\"");
        assert_true(strcspn(v, "eE\"") == strcspn(v, "\""));
        ts_round *back = parse(xml, false);
        double a = ts_round_measure(r, 0)->level->value,
               b = ts_round_measure(back, 0)->level->value;
        assert_memory_equal(&a, &b, sizeof a); /* the same double, -0 included */
        ts_round_free(back);
        ts_round_free(r);
        free(xml);
        free(in);
        free(body);
    }
}

/* A paragraph alone is bare text; an empty one stays a paragraph; styles nest as runs. */
static void blocks(void **state)
{
    expect_measure("<name>N</name><text><p>Ett <b>två <i>tre</i></b> fyra</p></text>"
                   "<objective><p/></objective><comment><p>a</p><p></p></comment>"
                   "<risks>  </risks>",
                   "      <name>N</name>\n"
                   "      <text>Ett <b>två </b><b><i>tre</i></b> fyra</text>\n"
                   "      <objective>\n"
                   "        <p></p>\n"
                   "      </objective>\n"
                   "      <comment>\n"
                   "        <p>a</p>\n"
                   "        <p></p>\n"
                   "      </comment>\n"
                   "      <risks/>\n");
}

/* Long texts break at spaces before the wrap column; a word longer than a line stays whole. */
static void wrapping(void **state)
{
    char para[2000] = "";
    for (int i = 0; i < 40; i++)
        strcat(para, i % 7 == 6 ? "<b>fetstil</b> " : "ord ");
    strcat(para, "https://example.org/en/mycket/lang/adress/utan/mellanslag/som/ar/langre/an/en/"
                 "rad/pa/hundra/tecken.html slut");
    char body[3000];
    snprintf(body, sizeof body, "<name>N</name><text><p>%s</p><p>kort</p></text>", para);
    char *in = round_with(body);
    ts_round *r = parse(in, false);
    char *xml = write_xml(r);
    /* every line within the column, but for the long word's */
    for (char *line = xml; *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > 100 && !memmem(line, len, "https://", 8)) {
            fprintf(stderr, "too long: %.*s\n", (int)len, line);
            fail();
        }
        line = end ? end + 1 : line + len;
    }
    assert_non_null(strstr(xml, "\n          https://example.org/"));
    /* the same text read back */
    ts_round *back = parse(xml, false);
    char *a = ts_inline_text(r->arena, &ts_round_measure(r, 0)->text.blocks[0].text);
    char *b = ts_inline_text(back->arena, &ts_round_measure(back, 0)->text.blocks[0].text);
    assert_string_equal(a, b);
    assert_int_equal(ts_round_measure(back, 0)->text.blocks[0].text.n_runs,
                     ts_round_measure(r, 0)->text.blocks[0].text.n_runs);
    ts_round_free(back);
    ts_round_free(r);
    free(xml);
    free(in);
}

/* ---- Comments ---------------------------------------------------------------------------- */

static void comments(void **state)
{
    expect_measure("<!-- before the name --><name>N<!--in the name--></name><text><p>a</p>"
                   "<!--\n      a block comment\n        indented\n\n      after a gap\n    -->"
                   "<p>b</p></text><!-- line one\n                    line two -->"
                   "<comment><!-- 1/2020: old --></comment><risks>r<!-- x --></risks>"
                   "<note><p>n</p><!-- last --></note>",
                   "      <!-- before the name -->\n"
                   "      <name>\n"
                   "        <!-- in the name -->\n"
                   "        N\n"
                   "      </name>\n"
                   "      <text>\n"
                   "        <p>a</p>\n"
                   "        <!--\n"
                   "          a block comment\n"
                   "            indented\n"
                   "\n"
                   "          after a gap\n"
                   "        -->\n"
                   "        <p>b</p>\n"
                   "      </text>\n"
                   "      <!-- line one\n"
                   "           line two -->\n"
                   "      <comment>\n"
                   "        <!-- 1/2020: old -->\n"
                   "      </comment>\n"
                   "      <risks>\n"
                   "        <!-- x -->\n"
                   "        r\n"
                   "      </risks>\n"
                   "      <note>\n"
                   "        <!-- last -->\n"
                   "        n\n"
                   "      </note>\n");
}

/* Comments added by a program: "--", which XML forbids in a comment, is split; a comment of an
 * element that is not written stands where it would. */
static void added_comments(void **state)
{
    char *in = round_with("<name>N</name><text>T</text><date>2020-06</date><owner>O</owner>"
                          "<comment>c</comment>");
    ts_round *r = parse(in, true);
    ts_measure m = *ts_round_measure(r, 0);
    ts_goal g = r->goals[0];
    ts_round copy = *r;
    g.measures = &m;
    copy.goals = &g;
    m.has_date = false;
    m.comment.n = 0;
    ts_vec list = {0};
    assert_true(
        ts_comment_add(r->arena, &list, &m.comment, TS_COMMENT_INSIDE, "1/2020: a -- b --- c -"));
    assert_true(
        ts_comment_add(r->arena, &list, &m.date, TS_COMMENT_BEFORE, "the date was %s", "2020-06"));
    assert_true(ts_comment_add(r->arena, &list, &m, TS_COMMENT_AFTER, "two\nlines"));
    copy.comments = list.items;
    copy.n_comments = list.len;
    char *xml = write_xml(&copy);
    char *want = written_with("      <name>N</name>\n"
                              "      <text>T</text>\n"
                              "      <!-- the date was 2020-06 -->\n"
                              "      <owner>O</owner>\n"
                              "      <comment>\n"
                              "        <!-- 1/2020: a - - b - - - c - -->\n"
                              "      </comment>\n");
    char *end = strstr(want, "    </measure>\n") + strlen("    </measure>\n");
    char *fixed;
    assert_true(asprintf(&fixed, "%.*s    <!-- two\n         lines -->\n%s", (int)(end - want),
                         want, end) > 0);
    if (strcmp(xml, fixed) != 0)
        fprintf(stderr, "written:\n%s\nwanted:\n%s\n", xml, fixed);
    assert_string_equal(xml, fixed);
    ts_round *back = parse(xml, true);
    assert_int_equal(back->n_comments, 3);
    ts_round_free(back);
    free(fixed);
    free(want);
    free(xml);
    ts_round_free(r);
    free(in);
}

/* ---- The file ---------------------------------------------------------------------------- */

static char dir[256];

static int make_dir(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/ts-roundwrite-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int remove_dir(void **state)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static size_t files_in_dir(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.' || strstr(e->d_name, ".tmp") != NULL;
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *s = calloc(1, 1 << 20);
    assert_non_null(s);
    size_t n = fread(s, 1, (1 << 20) - 1, f);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void whole_file(void **state)
{
    char *in = round_with("<name>N</name><text>T</text>");
    ts_round *r = parse(in, false);
    char path[512], other[512];
    snprintf(path, sizeof path, "%s/next.xml", dir);
    snprintf(other, sizeof other, "%s/other.xml", dir);
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));

    assert_int_equal(ts_round_write(r, path, false, &d), TS_OK);
    assert_int_equal(d.errors, 0);
    assert_int_equal(files_in_dir(), 1);
    char *xml = write_xml(r), *got = slurp(path);
    assert_string_equal(got, xml);
    free(got);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);

    /* an existing file is not replaced unless asked */
    FILE *f = fopen(path, "w");
    fputs("edits", f);
    fclose(f);
    assert_int_equal(ts_round_write(r, path, false, &d), TS_USAGE_ERROR);
    got = slurp(path);
    assert_string_equal(got, "edits");
    free(got);
    assert_int_equal(files_in_dir(), 1);
    assert_int_equal(ts_round_write(r, path, true, &d), TS_OK);
    got = slurp(path);
    assert_string_equal(got, xml);
    free(got);

    /* a link at the name is replaced, never followed */
    f = fopen(other, "w");
    fputs("other", f);
    fclose(f);
    unlink(path);
    assert_int_equal(symlink(other, path), 0);
    assert_int_equal(ts_round_write(r, path, false, &d), TS_USAGE_ERROR);
    assert_int_equal(ts_round_write(r, path, true, &d), TS_OK);
    got = slurp(other);
    assert_string_equal(got, "other");
    free(got);
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(files_in_dir(), 2);

    /* a folder that does not exist, a folder at the name, a name that is a URL */
    ts_diags e;
    assert_true(ts_diags_init(&e, NULL));
    char missing[512];
    snprintf(missing, sizeof missing, "%s/http:/127.0.0.1:18099/next.xml", dir);
    assert_int_equal(ts_round_write(r, missing, true, &e), TS_SYSTEM_ERROR);
    const ts_diag *list = e.list.items;
    assert_string_equal(list[0].file, missing);
    assert_non_null(strstr(list[0].message, "the folder '"));
    assert_non_null(strstr(list[0].message, "/http:' does not exist"));
    assert_int_equal(ts_round_write(r, dir, true, &e), TS_SYSTEM_ERROR);
    assert_int_equal(files_in_dir(), 2);
    ts_diags_free(&e);

    free(xml);
    ts_diags_free(&d);
    ts_round_free(r);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_small_round),
        cmocka_unit_test(escapes),
        cmocka_unit_test(numbers),
        cmocka_unit_test(blocks),
        cmocka_unit_test(wrapping),
        cmocka_unit_test(comments),
        cmocka_unit_test(added_comments),
        cmocka_unit_test_setup_teardown(whole_file, make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The label files: every fixed word of the outputs, one file per language
 * (layouts/labels/fi.xml, sv.xml, en.xml), picked by the round's xml:lang.
 *
 * A label file is <labels xml:lang="fi"> with <label key="...">text</label> children (plain
 * text, white space folded).  Texts may hold the placeholders {year}, {round}, {n}, {month},
 * {day}, {monthname} and {name}; ts_label_fmt fills {year} {round} {n} (the others are left
 * empty there: only ts_label_date knows a month and a day; {month} is its number, {monthname}
 * the month.N label; {name} is a text given by the key's place, filled by ts_label_fmt_name
 * and ts_label_fill_name).  The loader refuses a file that lacks any key of the list below,
 * has a key outside it, repeats a key, has an unknown placeholder or a DOCTYPE, so that no writer
 * ever has to invent a word; and a label longer than any real one (200 characters, 40 for a word
 * set on a mark or after a title), or a sheet.* label that no spreadsheet takes as a sheet's
 * name, so that no writer meets one (docs/layouts.md, "Limits").
 *
 * Keys (fi wording in brackets):
 *   status.none status.on-track status.achieved status.at-risk status.off-track
 *                                       [Ei raportoitu, Toteutuu, Toteutunut, Epävarma, Ei toteudu]
 *   task.todo task.doing task.done      [TEKEMÄTTÄ, TEKEILLÄ, TEHTY]
 *   bool.true bool.false                [Kyllä, Ei]
 *   role.owner.one role.owner.many      [Omistaja, Omistajat]
 *   role.manager.one role.manager.many  [Projektipäällikkö, Projektipäälliköt]
 *   role.preparer.one role.preparer.many [Valmistelu, Valmistelu]
 *   month.1 .. month.12                 [Tammikuu .. Joulukuu] (as printed before a year)
 *   date.day                            [{day}.{month}.{year}]  a full date (en: "5 October 2020")
 *   date.month                          [{monthname} {year}]    a year-month, month by name
 *   pack.title                          [Sitovat TA-tavoitteet {year}]
 *   pack.subtitle                       [Ennuste toteutumisesta]
 *   pack.round.1 pack.round.2 pack.round.3 [Vuoden ensimmäinen/toinen/kolmas toteutumisennuste]
 *   deck.kicker                         [TA-seuranta {year}]
 *   slide.overview slide.goal slide.binding-goal slide.progress slide.detail slide.forecast
 *   slide.risks slide.links slide.notes slide.table slide.summary slide.contents
 *   risks.measure                       [Koko mittaria koskevat riskit]  the heading of the
 *                                       measure's own risks under slide.risks
 *   continued                           [(jatkuu)]
 *   page                                [{n}]  the slide number as printed
 *   overview.measure overview.value overview.tasks overview.round [Ennuste {round}]
 *   forecast.status forecast.value      [Ennuste {round}/{year}, Mittarin numeerinen ennuste]
 *   forecast.history                    [Aiemmat ennusteet]  the earlier rounds on the forecast
 *                                       slide
 *   detail.task detail.status detail.detail [Tehtävä, Tila, Eteneminen]
 *   progress.alt                        [Edistyminen {n} %]  a progress bar's alternative text
 *   progress.empty                      [Ei tehtäviä]  in a task column that has no task
 *   scale.alt                           [Asteikko, tehtävien kohdat ...]  a scale's alternative
 *                                       text lead, before where each numbered task stands
 *   link.deck                           [Siirry mittarin ”{name}” kalvoille]  an overview
 *                                       link's /Contents, {name} the measure's name
 *   link.web                            [{name} (avautuu selaimeen)]  a web link's /Contents,
 *                                       {name} its address
 *   col.theme col.goal col.measure col.recovery col.forecast col.comment col.value col.links
 *                                       [Kaupunkistrategian teema, ..., Ennuste {round}/{year},
 *                                        ...]
 *   sheet.measures sheet.summary sheet.tasks [Strategiamittarit, Tiivistelmä, Tehtävät]
 *   summary.title summary.themes summary.theme-actions summary.indicators summary.binding
 *   summary.city-project summary.separate-programme summary.joint-theme summary.actions
 *   summary.project-actions summary.theme-actions-short
 *        [Keskeisimmät toimenpiteet {year} kaupunkistrategian toteuttamiseksi, Kaupunkistrategian
 *         teemat, Toimenpiteet (1–3 keskeisintä toimenpidettä per teema), Keskeisimmät
 *         toimialatason strategiamittarit, (sitova mittari), Kaupunkiyhteiset hankkeet,
 *         Erillisohjelmat, Toimialojen yhteissuunnittelun teemat, Toimenpiteet (the separate
 *         programmes' head), Toimenpiteet (1–3 keskeisintä toimenpidettä per hanke) (the city-wide
 *         projects' head), the joint themes' head]
 *   tasks.theme tasks.goal tasks.measure tasks.target tasks.task tasks.status tasks.progress
 *   tasks.detail                        [..., Mittari, Ositettu tavoite, Tehtävä, Tila,
 *                                        Edistyminen %, Tarkempi eteneminen]
 *   sheet.trend sheet.picture           [Kehitys, Tilannekuva]
 *   trend.theme trend.goal trend.measure trend.round trend.value trend.level trend.change
 *                                       [..., Mittari, Ennuste {round}/{year}, Arvo
 *                                        {round}/{year}, Tavoitetaso, Muutos edellisestä
 *                                        ennusteesta]  the Kehitys sheet's heads
 *   change.improved change.worsened change.same [parani, heikkeni, ennallaan]
 *   picture.status picture.total picture.title picture.axis
 *   slide.picture picture.changes picture.col.status picture.col.change picture.no-changes
 *   picture.first                       [the status picture slide]
 *                                       [Tilanne, Yhteensä, Mittareiden tilanne ennusteittain
 *                                        {year}, Mittareita]  the Tilannekuva sheet and its chart
 *   doc.subject doc.keywords            document properties of the PDF and the workbook
 *
 * The form (src/book/form_schema.h; taseuranta form and import), in a section of its own:
 *   form.sheet.S                        a sheet's name [Ohje, Kierros, Teemat, ... Tiivistelmä]
 *   form.S.about                        what one row of the sheet is
 *   form.S.C form.S.C.help form.S.C.example  a column's head, the note on it, an example value
 *                                       (" | " in an example separates its lines); the Kierros
 *                                       sheet's fields are its columns, form.round.field and
 *                                       form.round.value its two heads
 *   form.task.* form.kind.* form.summary.* the words of the task status, programme kind and
 *                                       summary row lists [Tekemättä ..., Kaupunkiyhteinen
 *                                       hanke ..., Toimenpide, Mittari, Sitova mittari]
 *   form.guide.*                        the Ohje sheet: its title, introduction, section heads,
 *                                       column heads, the word "required", and the text
 *                                       conventions (form.guide.text.X, .help, .example; in an
 *                                       example a line that starts with "+ " is indented two
 *                                       spaces, *word* is bold and _word_ italic)
 */
#ifndef TS_LABELS_H
#define TS_LABELS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "round/model.h"

typedef struct ts_labels ts_labels;

/* The required keys, in sorted order (for the tests and for tools that check a label file). */
size_t ts_label_key_count(void);
const char *ts_label_key_at(size_t i);

/* Loads labels/<lang>.xml under dir (usually "<data>/layouts/labels").  NULL with located
 * errors when the file is missing a key or is malformed. */
const ts_labels *ts_labels_load(const char *dir, ts_lang lang, ts_arena *a, ts_diags *diags);
/* The same for a label file already in memory (data..len), reported as the file `name`. */
const ts_labels *ts_labels_load_memory(const char *name, const char *data, size_t len, ts_lang lang,
                                       ts_arena *a, ts_diags *diags);

/* The label for key; never NULL for a key of the list above (the loader checked). */
const char *ts_label(const ts_labels *l, const char *key);

/* The label with its placeholders filled; a value < 0 or NULL leaves the placeholder empty. */
char *ts_label_fmt(const ts_labels *l, ts_arena *a, const char *key, int year, int round, int n);
/* The label with {name} filled and the others left empty: a link.deck names the measure as
 * its link shows it, never by a number the slide does not show. */
char *ts_label_fmt_name(const ts_labels *l, ts_arena *a, const char *key, const char *name);
/* A label's text, as ts_label gave it, with {name} filled and the others left empty: for a
 * writer handed the text rather than the labels (the PDF layer's web links, link.web). */
char *ts_label_fill_name(ts_arena *a, const char *text, const char *name);

const char *ts_label_status(const ts_labels *l, ts_status s);
const char *ts_label_task_status(const ts_labels *l, ts_task_status s);
const char *ts_label_bool(const ts_labels *l, bool b);
/* role is "owner", "manager" or "preparer"; count picks singular (1) or plural. */
const char *ts_label_role(const ts_labels *l, const char *role, size_t count);
/* "5.10.2020" for a full date, "Lokakuu 2020" for a year-month. */
char *ts_label_date(const ts_labels *l, ts_arena *a, ts_date d);

#endif

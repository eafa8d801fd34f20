/* The document's metadata, written last before the file: the catalog's /Lang and viewer
 * preferences, the information dictionary, the XMP packet, PDF/A's OutputIntent and the /ID.
 *
 * What libharu 2.3.0 does not do, or does wrong, and is done here instead:
 * - no /ID without encryption, and a clock-based one with its PDF/A helper: ours is an MD5 of
 *   what the document is, so two builds are byte-identical;
 * - its PDF/A helper writes unescaped XMP, /SubType and the key "DestOutputProfile " (with a
 *   space), and forces PDF 1.4: the XMP and the OutputIntent are written here;
 * - HPDF_SetViewerPreference replaces the whole /ViewerPreferences: DisplayDocTitle is added
 *   after it;
 * - text strings (info) go through its encoder, which turns characters beyond the BMP into
 *   spaces: they are written as UTF-16BE with surrogate pairs instead (tag.h). */
#include "pdf/meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/fileio.h"

#ifndef TASEURANTA_VERSION
#define TASEURANTA_VERSION "0"
#endif

typedef struct civil {
    int year, month, day, hour, min, sec;
} civil;

/* UTC calendar fields of a time_t without the C library's time zone state (the dates must
 * not depend on TZ).  Howard Hinnant's days-to-civil algorithm. */
static civil civil_from(time_t t)
{
    long long s = (long long)t;
    long long days = s / 86400, rem = s % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil c;
    c.hour = (int)(rem / 3600);
    c.min = (int)(rem % 3600 / 60);
    c.sec = (int)(rem % 60);
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = (int)(yoe + era * 400 + (c.month <= 2));
    return c;
}

/* XML-escaped; control characters that XML 1.0 forbids are dropped. */
static void sb_xml(ts_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            ts_buf_str(b, "&amp;");
            break;
        case '<':
            ts_buf_str(b, "&lt;");
            break;
        case '>':
            ts_buf_str(b, "&gt;");
            break;
        case '"':
            ts_buf_str(b, "&quot;");
            break;
        default:
            if (c >= 0x20 || c == '\t' || c == '\n')
                ts_buf_append(b, s, 1);
        }
    }
}

static void sb_elem(ts_buf *b, const char *open, const char *value, const char *close)
{
    ts_buf_str(b, open);
    sb_xml(b, value);
    ts_buf_str(b, close);
}

static const char *producer(void)
{
    return "taseuranta " TASEURANTA_VERSION " (libHaru " HPDF_VERSION_TEXT ")";
}

static int write_xmp(ts_pdf *pdf, const char *date)
{
    const ts_pdf_info *in = &pdf->info;
    ts_buf b = {0};
    ts_buf_reserve(&b, 1024);
    ts_buf_str(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                   "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                   "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    ts_buf_str(&b,
               "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
               "<dc:format>application/pdf</dc:format>\n");
    if (in->title != NULL)
        sb_elem(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">", in->title,
                "</rdf:li></rdf:Alt></dc:title>\n");
    if (in->author != NULL)
        sb_elem(&b, "<dc:creator><rdf:Seq><rdf:li>", in->author,
                "</rdf:li></rdf:Seq></dc:creator>\n");
    if (in->subject != NULL)
        sb_elem(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">", in->subject,
                "</rdf:li></rdf:Alt></dc:description>\n");
    sb_elem(&b, "<dc:language><rdf:Bag><rdf:li>", ts_lang_name(in->lang),
            "</rdf:li></rdf:Bag></dc:language>\n");
    ts_buf_str(&b, "</rdf:Description>\n");

    ts_buf_str(&b, "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
    sb_elem(&b, "<pdf:Producer>", producer(), "</pdf:Producer>\n");
    if (in->keywords != NULL)
        sb_elem(&b, "<pdf:Keywords>", in->keywords, "</pdf:Keywords>\n");
    ts_buf_str(&b, "</rdf:Description>\n");

    ts_buf_str(&b, "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    if (in->creator != NULL)
        sb_elem(&b, "<xmp:CreatorTool>", in->creator, "</xmp:CreatorTool>\n");
    sb_elem(&b, "<xmp:CreateDate>", date, "</xmp:CreateDate>\n");
    sb_elem(&b, "<xmp:ModifyDate>", date, "</xmp:ModifyDate>\n");
    sb_elem(&b, "<xmp:MetadataDate>", date, "</xmp:MetadataDate>\n");
    ts_buf_str(&b, "</rdf:Description>\n");

    if (!in->untagged)
        ts_buf_str(&b, "<rdf:Description rdf:about=\"\" "
                       "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
                       "<pdfuaid:part>1</pdfuaid:part>\n</rdf:Description>\n");
    if (in->pdfa) {
        ts_buf_str(&b, "<rdf:Description rdf:about=\"\" "
                       "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                       "<pdfaid:part>2</pdfaid:part>\n"
                       "<pdfaid:conformance>A</pdfaid:conformance>\n</rdf:Description>\n");
        /* PDF/A allows only the XMP schemas it predefines, or ones declared here. */
        ts_buf_str(&b,
                   "<rdf:Description rdf:about=\"\" "
                   "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
                   "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
                   "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
                   "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
                   "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
                   "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/"
                   "</pdfaSchema:namespaceURI>\n"
                   "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
                   "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
                   "<pdfaProperty:name>part</pdfaProperty:name>\n"
                   "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
                   "<pdfaProperty:category>internal</pdfaProperty:category>\n"
                   "<pdfaProperty:description>Indicates which part of ISO 14289 standard is "
                   "followed</pdfaProperty:description>\n"
                   "</rdf:li></rdf:Seq></pdfaSchema:property>\n"
                   "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
                   "</rdf:Description>\n");
    }
    ts_buf_str(&b, "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    if (b.failed) {
        ts_buf_free(&b);
        return -1;
    }
    /* A metadata stream is left uncompressed, so that any tool can find it. */
    HPDF_Dict md = ts_shim_stream_new(pdf->doc, b.data, b.len, false);
    ts_buf_free(&b);
    HPDF_STATUS st = md != NULL ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
    if (md != NULL) {
        st |= ts_shim_add_name(md, "Type", "Metadata");
        st |= ts_shim_add_name(md, "Subtype", "XML");
        st |= ts_shim_add(ts_shim_catalog(pdf->doc), "Metadata", md);
    }
    return st == HPDF_OK ? 0 : -1;
}

static int set_info_text(ts_pdf *pdf, const char *key, const char *value)
{
    if (value == NULL)
        return 0;
    void *s = ts_pdf_text_string(pdf->doc, value, strlen(value));
    return s != NULL && ts_shim_add(ts_shim_info(pdf->doc), key, s) == HPDF_OK ? 0 : -1;
}

static int write_info(ts_pdf *pdf, civil c)
{
    HPDF_Doc d = pdf->doc;
    /* Makes the info dictionary; its Producer is then replaced. */
    if (HPDF_SetInfoAttr(d, HPDF_INFO_PRODUCER, "taseuranta") != HPDF_OK || ts_shim_info(d) == NULL)
        return -1;
    HPDF_Date date = {c.year, c.month, c.day, c.hour, c.min, c.sec, 'Z', 0, 0};
    int rc = 0;
    rc |= set_info_text(pdf, "Title", pdf->info.title);
    rc |= set_info_text(pdf, "Author", pdf->info.author);
    rc |= set_info_text(pdf, "Subject", pdf->info.subject);
    rc |= set_info_text(pdf, "Keywords", pdf->info.keywords);
    rc |= set_info_text(pdf, "Creator", pdf->info.creator);
    rc |= set_info_text(pdf, "Producer", producer());
    if (HPDF_SetInfoDateAttr(d, HPDF_INFO_CREATION_DATE, date) != HPDF_OK ||
        HPDF_SetInfoDateAttr(d, HPDF_INFO_MOD_DATE, date) != HPDF_OK)
        rc = -1;
    return rc;
}

static int write_catalog(ts_pdf *pdf)
{
    HPDF_Doc d = pdf->doc;
    HPDF_STATUS st = HPDF_OK;
    const char *lang = ts_lang_name(pdf->info.lang);
    HPDF_Dict catalog = ts_shim_catalog(d);
    st |= ts_shim_add(catalog, "Lang", ts_shim_string(d, lang));
    /* SetViewerPreference replaces the whole dictionary: DisplayDocTitle goes in after it. */
    st |= HPDF_SetViewerPreference(d, 0);
    HPDF_Dict vp = ts_shim_get_dict(catalog, "ViewerPreferences");
    if (vp == NULL) {
        vp = ts_shim_dict_new(d, false);
        if (vp == NULL || ts_shim_add(catalog, "ViewerPreferences", vp) != HPDF_OK)
            return -1;
    }
    st |= ts_shim_add_bool(vp, "DisplayDocTitle", true);
    if (pdf->outlines.len > 0)
        st |= HPDF_SetPageMode(d, HPDF_PAGE_MODE_USE_OUTLINE);
    return st == HPDF_OK ? 0 : -1;
}

static int write_output_intent(ts_pdf *pdf)
{
    HPDF_Doc d = pdf->doc;
    const char *path = pdf->info.icc_path;
    if (path == NULL) {
        ts_diag_add(pdf->diags, NULL, (ts_pos){0, 0}, TS_ERROR,
                    "PDF/A needs an ICC profile, and none was given");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                      "cannot read the ICC profile");
        return -1;
    }
    ts_buf profile = {0};
    unsigned char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ts_buf_append(&profile, chunk, n);
    bool bad = ferror(f) || profile.len < 128;
    fclose(f);
    HPDF_Dict icc =
        !profile.failed && !bad ? ts_shim_stream_new(d, profile.data, profile.len, true) : NULL;
    ts_buf_free(&profile);
    if (icc == NULL) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                      "cannot embed the ICC profile%s", bad ? " (unreadable or too short)" : "");
        return -1;
    }
    HPDF_STATUS st = ts_shim_add_number(icc, "N", 3);
    st |= ts_shim_add_name(icc, "Alternate", "DeviceRGB");

    HPDF_Dict intent = ts_shim_dict_new(d, true);
    if (intent == NULL)
        return -1;
    st |= ts_shim_add_name(intent, "Type", "OutputIntent");
    st |= ts_shim_add_name(intent, "S", "GTS_PDFA1");
    st |= ts_shim_add(intent, "OutputConditionIdentifier", ts_shim_string(d, "sRGB IEC61966-2.1"));
    st |= ts_shim_add(intent, "Info", ts_shim_string(d, "sRGB IEC61966-2.1"));
    st |= ts_shim_add(intent, "DestOutputProfile", icc);
    HPDF_Array intents = ts_shim_array_new(d);
    if (intents == NULL)
        return -1;
    /* An array that cannot be added is freed by libharu: nothing may touch it after that. */
    if (ts_shim_add(ts_shim_catalog(d), "OutputIntents", intents) != HPDF_OK)
        return -1;
    st |= ts_shim_array_add(intents, intent);
    return st == HPDF_OK ? 0 : -1;
}

/* /ID from what the document is (title, author, date, pages, objects), never the clock. */
static int write_id(ts_pdf *pdf)
{
    HPDF_Doc d = pdf->doc;
    const char *parts[] = {"taseuranta", pdf->info.title, pdf->info.author, pdf->info.subject};
    enum { N_PARTS = sizeof parts / sizeof parts[0] };
    ts_shim_bytes pieces[N_PARTS + 1];
    for (size_t i = 0; i < N_PARTS; i++) {
        const char *p = parts[i] != NULL ? parts[i] : "";
        pieces[i] = (ts_shim_bytes){p, strlen(p) + 1};
    }
    char nums[96];
    snprintf(nums, sizeof nums, "%lld/%zu/%u/%d/%d", (long long)pdf->info.now, pdf->pages.len,
             (unsigned)ts_shim_object_count(d), pdf->info.pdfa, pdf->info.untagged);
    pieces[N_PARTS] = (ts_shim_bytes){nums, strlen(nums)};
    unsigned char digest[16];
    ts_shim_md5(pieces, N_PARTS + 1, digest);
    HPDF_Array id = ts_shim_array_new(d);
    if (id == NULL || ts_shim_add(ts_shim_trailer(d), "ID", id) != HPDF_OK)
        return -1;
    HPDF_STATUS st = ts_shim_array_add(id, ts_shim_binary(d, digest, 16));
    st |= ts_shim_array_add(id, ts_shim_binary(d, digest, 16));
    return st == HPDF_OK ? 0 : -1;
}

int ts_pdf_write_meta(ts_pdf *pdf)
{
    civil c = civil_from(pdf->info.now);
    char date[32];
    snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
             c.min, c.sec);
    if (write_catalog(pdf) != 0 || write_info(pdf, c) != 0 || write_xmp(pdf, date) != 0 ||
        (pdf->info.pdfa && write_output_intent(pdf) != 0) || write_id(pdf) != 0)
        return -1;
    return 0;
}

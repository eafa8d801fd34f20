/* What every file of src/pdf/ records in the document's state: libharu's errors and our
 * failures. */
#include "pdf/state.h"

void HPDF_STDCALL ts_pdf_on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    ts_pdf *pdf = user_data;
    if (pdf->hpdf_errors++ == 0) {
        pdf->hpdf_error = error_no;
        pdf->hpdf_detail = detail_no;
    }
}

void ts_pdf_fail(ts_pdf *pdf, const char *what)
{
    pdf->failures++;
    if (pdf->hpdf_errors > 0 && pdf->hpdf_error == HPDF_FAILD_TO_ALLOC_MEM)
        ts_diag_fault(pdf->diags, NULL, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "PDF: out of memory (%s)", what);
    else if (pdf->hpdf_errors > 0)
        ts_diag_fault(pdf->diags, NULL, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                      "PDF: %s failed (libharu error 0x%04X, detail %u)", what,
                      (unsigned)pdf->hpdf_error, (unsigned)pdf->hpdf_detail);
    else
        ts_diag_fault(pdf->diags, NULL, (ts_pos){0, 0}, TS_FAULT_SYSTEM, "PDF: %s failed", what);
}

void ts_pdf_fail_memory(ts_pdf *pdf, const char *what)
{
    pdf->failures++;
    ts_diag_fault(pdf->diags, NULL, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "PDF: out of memory (%s)",
                  what);
}

double ts_pdf_page_h(const ts_pdf *pdf)
{
    return pdf->layout->page_h;
}

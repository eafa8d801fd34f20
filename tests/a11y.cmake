# The pack as an independent reader hands it to assistive technology: pdf.js (Debian's
# libjs-pdf, the reader in Firefox, run by node), with pikepdf and poppler beside it
# (tests/tools/check_pdfjs.py builds the fi, sv and en packs and the fi pack on A4).  Each check
# is a test of its own; each failed on the pack before the slide code was changed to pass it
# (the checker's docstring says on what).
find_program(TASEURANTA_NODE node)
if(NOT TASEURANTA_NODE)
  set(TASEURANTA_NODE node) # the test then fails and says so: scripts/deps installs it
endif()
set(_pdfjs ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_pdfjs.py
    --cli ${TASEURANTA_EXE} --node ${TASEURANTA_NODE})
foreach(check hyphens capheight table-parts row-heads band-rows link-text reading-order empty-column)
  add_test(NAME a11y_pdfjs_${check} COMMAND ${_pdfjs} --check ${check})
  # Each builds four packs; pdf.js reads them in some 25 s (capheight reads only the fonts).
  set_tests_properties(a11y_pdfjs_${check} PROPERTIES LABELS slow)
endforeach()
# A look that pdf.js's boxes show: the last column's head keeps clear of the table's right
# edge; the Swedish heads on A4 too, the narrowest columns for the longest words.
add_test(NAME a11y_pdfjs_head-air COMMAND ${_pdfjs} --check head-air --pack fi --pack sv --pack en
         --pack a4 --pack sv-a4)
set_tests_properties(a11y_pdfjs_head-air PROPERTIES LABELS slow)

# The layouts, the fit policy and how real packs break (the rest of the slide pack's tests are in
# pdf.cmake).
taseuranta_unit_test(layout taseuranta_slides)
# The fit policy on flows built by hand (src/slides/stack.h).
taseuranta_unit_test(stack taseuranta_slides)
taseuranta_unit_test(chart taseuranta_slides)

# docs/labels.md documents every label key, and no key that the label files lack.
add_test(NAME docs_label_keys COMMAND ${TASEURANTA_PYTHON}
         ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_label_docs.py)
set_tests_properties(docs_label_keys PROPERTIES LABELS fast)

# How packs break across slides, read per page with pdftotext from rounds built to break at
# known places (tests/tools/check_breaks.py): a paragraph that carries three lines over, a
# heading at a slide's foot, a table row taller than a slide, a row that moves whole; with both
# shipped layouts.
foreach(case widows heading tall-row whole-row)
  foreach(layout helsinki a4-landscape)
    add_test(NAME slides_breaks_${layout}_${case}
             COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_breaks.py
                     --cli ${TASEURANTA_EXE} --case ${case} --layout ${layout})
  endforeach()
  set_tests_properties(slides_breaks_helsinki_${case} PROPERTIES LABELS fast)
  set_tests_properties(slides_breaks_a4-landscape_${case} PROPERTIES LABELS slow)
endforeach()

# What the council asks first (issue 15): the status picture slide (its chart's /Alt, the
# changes, "no changes", the round-1 line, a list of 30 changes continued over slides), the
# overview's change marks and "14 / 20 kpl", the forecast slide's numbers and value chart, in
# fi, sv and en, on both shipped layouts.
add_test(NAME slides_council COMMAND ${TASEURANTA_PYTHON}
         ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_council.py ${TASEURANTA_EXE}
         ${PROJECT_SOURCE_DIR})
add_test(NAME slides_council_a4 COMMAND ${TASEURANTA_PYTHON}
         ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_council.py ${TASEURANTA_EXE}
         ${PROJECT_SOURCE_DIR} --layout a4-landscape)
set_tests_properties(slides_council slides_council_a4 PROPERTIES LABELS fast)

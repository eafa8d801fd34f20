# The round as a workbook (workbook-form.md): the form's cell text conventions, `form` and
# `import`, and build/check reading a form.
taseuranta_unit_test(formtext taseuranta_book)
taseuranta_unit_test(formread taseuranta_book taseuranta_slides)

# `taseuranta form`: the form of real rounds (fi, sv, en, the sample, the round writer's round
# with every shape of text) as XLSX and ODS, read with openpyxl and as ODF XML; blank forms in
# every language; the command's refusals.
add_test(NAME form_write
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_form.py
                 ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/form-write
                 write ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/parser-writer.xml
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/sv-round.xml
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/en-round.xml
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/multi-measure.xml
                 ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml)
set_tests_properties(form_write PROPERTIES LABELS slow)
foreach(case blank cli docs)
  add_test(NAME form_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_form.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/form-${case}
                   ${case})
endforeach()
set_tests_properties(form_cli form_docs PROPERTIES LABELS fast)
set_tests_properties(form_blank PROPERTIES LABELS slow)
# LibreOffice opens and prints both forms of the sample.
add_test(NAME form_look
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_form.py
                 ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/form-look
                 look ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml)
set_tests_properties(form_look PROPERTIES TIMEOUT 600 LABELS slow)

# Generated rounds (fi, sv, en; bench/gen-round) through the form's cells and back.
add_test(NAME form_read_generated
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/form_generated.py
                 $<TARGET_FILE:test_formread> ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/form-generated)
set_tests_properties(form_read_generated PROPERTIES LABELS fast)

# libxlsxwriter's own leak of a list's formula (tests/sanitizers/lsan.supp) under ASan.
set_tests_properties(form_write form_blank form_cli form_look PROPERTIES ENVIRONMENT
                     "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/sanitizers/lsan.supp")

# The round trip: every valid round, the sample, a round with every element and long texts, and
# generated rounds in fi, sv and en build the very same PDF, XLSX and ODS from their form (XLSX
# and ODS) and from the round file imported from it; and the same after LibreOffice re-saved
# the form.
set(TASEURANTA_FORM_ROUNDS
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/en-round.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/long-forecast.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/minimal.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/multi-measure.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/parser-en.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/parser-fi.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/parser-sv.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/parser-writer.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/sv-round.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/unicode.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/form/every-element.xml
    ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml)
add_test(NAME form_roundtrip
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_form_roundtrip.py
                 ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/form-roundtrip
                 --generated 12 ${TASEURANTA_FORM_ROUNDS})
add_test(NAME form_roundtrip_libreoffice
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_form_roundtrip.py
                 ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/form-roundtrip-lo --libreoffice --generated 12
                 ${TASEURANTA_FORM_ROUNDS})
set_tests_properties(form_roundtrip PROPERTIES TIMEOUT 900 LABELS slow)
set_tests_properties(form_roundtrip_libreoffice PROPERTIES TIMEOUT 1800 LABELS slow)
set_tests_properties(form_roundtrip form_roundtrip_libreoffice PROPERTIES ENVIRONMENT
                     "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/sanitizers/lsan.supp")

# A form edited with openpyxl: the edits import as they were made; each kind of wrong cell, and
# hostile workbooks, refused at their place by import, check and build, nothing written.
foreach(case edits wrong options hostile)
  add_test(NAME form_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_form_edits.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/form-${case}
                   ${case})
  set_tests_properties(form_${case} PROPERTIES TIMEOUT 600 LABELS slow ENVIRONMENT
                       "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/sanitizers/lsan.supp")
endforeach()

# valgrind memcheck on form, import, check and build of a form (not in the sanitizer build).
find_program(VALGRIND valgrind)
if(VALGRIND AND NOT TASEURANTA_SANITIZE AND NOT TASEURANTA_FUZZ)
  add_test(NAME form_memcheck
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/form_memcheck.py
                   ${VALGRIND} ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/form-memcheck)
  set_tests_properties(form_memcheck PROPERTIES TIMEOUT 1200 LABELS slow)
endif()

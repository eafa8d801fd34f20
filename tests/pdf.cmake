# The slide pack: built from rounds with the real clients reading it (tests/tools/check_pdf.py:
# pdftotext, pdffonts, pdfinfo, qpdf, pikepdf).  The PDF writer is reached through
# tests/tools/slides_pdf.c (parse -> labels -> layout -> ts_write_pdf).
add_executable(slides_pdf ${CMAKE_CURRENT_SOURCE_DIR}/tools/slides_pdf.c)
taseuranta_warnings(slides_pdf)
target_link_libraries(slides_pdf PRIVATE taseuranta_cli)
target_compile_definitions(slides_pdf PRIVATE TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

set(_check ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_pdf.py
    --tool $<TARGET_FILE:slides_pdf>)
set(_data ${CMAKE_CURRENT_SOURCE_DIR}/data/valid)
set(_layouts ${PROJECT_SOURCE_DIR}/layouts)
add_test(NAME pdf_kuva_2020 COMMAND ${_check} --round ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml
         --page 960x540 --twice)
add_test(NAME pdf_sv_round COMMAND ${_check} --round ${_data}/sv-round.xml --page 960x540)
add_test(NAME pdf_en_round COMMAND ${_check} --round ${_data}/en-round.xml --page 960x540)
add_test(NAME pdf_long_forecast COMMAND ${_check} --round ${_data}/long-forecast.xml
         --page 960x540 --continued)
add_test(NAME pdf_unicode COMMAND ${_check} --round ${_data}/unicode.xml --page 960x540)
add_test(NAME pdf_minimal COMMAND ${_check} --round ${_data}/minimal.xml --page 960x540)
add_test(NAME pdf_a4_kuva_2020 COMMAND ${_check} --round ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml
         --layout ${_layouts}/a4-landscape.xml --page 842x595)
add_test(NAME pdf_a4_long_forecast COMMAND ${_check} --round ${_data}/long-forecast.xml
         --layout ${_layouts}/a4-landscape.xml --page 842x595 --continued)
set_tests_properties(pdf_kuva_2020 pdf_sv_round pdf_en_round pdf_long_forecast pdf_unicode
                     pdf_minimal pdf_a4_kuva_2020 pdf_a4_long_forecast
                     PROPERTIES ENVIRONMENT "SOURCE_DATE_EPOCH=")
set_tests_properties(pdf_kuva_2020 pdf_sv_round pdf_en_round pdf_long_forecast pdf_unicode
                     pdf_a4_kuva_2020 pdf_a4_long_forecast PROPERTIES LABELS slow)
set_tests_properties(pdf_minimal PROPERTIES LABELS fast)

# The same checks through the build command.
add_test(NAME pdf_cli_kuva_2020 COMMAND ${TASEURANTA_PYTHON}
         ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_pdf.py --cli ${TASEURANTA_EXE}
         --round ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml --page 960x540 --twice)

# The reading order of the structure tree (pdfinfo -struct-text), slide by slide as a sighted
# reader sees it: tests/tools/check_reading_order.py.
set(_order ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_reading_order.py
    --cli ${TASEURANTA_EXE})
add_test(NAME pdf_reading_order_fi COMMAND ${_order} --round ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml)
add_test(NAME pdf_reading_order_sv COMMAND ${_order} --round ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/sv-round.xml)
add_test(NAME pdf_reading_order_en COMMAND ${_order} --round ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/en-round.xml)
add_test(NAME pdf_reading_order_a4 COMMAND ${_order} --round ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml
         --layout ${PROJECT_SOURCE_DIR}/layouts/a4-landscape.xml)
set_tests_properties(pdf_cli_kuva_2020 PROPERTIES LABELS fast)
set_tests_properties(pdf_reading_order_fi pdf_reading_order_sv pdf_reading_order_en
                     pdf_reading_order_a4 PROPERTIES LABELS slow)

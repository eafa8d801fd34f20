# The PDF layer (src/pdf/: the libharu shim, the document, tagging, drawing).
# unit_tag writes the test documents into this folder; the other tests read them.
set(PDFCORE_OUT ${CMAKE_CURRENT_BINARY_DIR}/pdfcore)
file(MAKE_DIRECTORY ${PDFCORE_OUT})
taseuranta_unit_test(tag taseuranta_pdf)
taseuranta_unit_test(pdffast taseuranta_pdf)
target_compile_definitions(test_tag PRIVATE TEST_OUT_DIR="${PDFCORE_OUT}")
set_tests_properties(unit_tag PROPERTIES FIXTURES_SETUP pdfcore_files)

# poppler, qpdf and pikepdf on the test documents (tag.pdf, its second build, the PDF/A one).
add_test(NAME pdfcore_readers
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/pdfcore_readers.py
                 ${PDFCORE_OUT})
# The PDF/UA-1 rule checker passes the good files...
add_test(NAME pdfcore_ua_tagged
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/pdfua_check.py
                 ${PDFCORE_OUT}/tag.pdf)
add_test(NAME pdfcore_ua_pdfa
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/pdfua_check.py
                 ${PDFCORE_OUT}/taga.pdf)
# ...and fails the untagged build (so it is not a checker that passes everything).
add_test(NAME pdfcore_ua_untagged_fails
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/pdfua_check.py
                 ${PDFCORE_OUT}/untagged.pdf)
set_tests_properties(pdfcore_ua_untagged_fails PROPERTIES WILL_FAIL TRUE)
set(PDFCORE_TESTS pdfcore_readers pdfcore_ua_tagged pdfcore_ua_pdfa pdfcore_ua_untagged_fails)
# ...and reports each rule broken on its own.
foreach(rule good paint_outside mcid_parenttree nonstandard_type skipped_heading th_no_scope
        tr_short li_no_lbody figure_no_alt link_no_contents no_lang displaydoctitle_false
        no_pdfuaid wrong_width tounicode_zero headers_dangling headers_not_th headers_no_idtree)
  add_test(NAME pdfcore_break_${rule}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/pdfua_break.py
                   ${PDFCORE_OUT}/tag.pdf ${rule} ${PDFCORE_OUT})
  list(APPEND PDFCORE_TESTS pdfcore_break_${rule})
endforeach()
# A 1,200-page pack: the ParentTree splits into leaves, and the file still passes.
add_test(NAME pdfcore_big
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/pdfcore_big.py
                 $<TARGET_FILE:test_tag> ${PDFCORE_OUT}/big.pdf 1200)
set_tests_properties(${PDFCORE_TESTS} PROPERTIES FIXTURES_REQUIRED pdfcore_files)
set_tests_properties(${PDFCORE_TESTS} pdfcore_big PROPERTIES LABELS slow)

# The shim refuses any libharu but 2.3.0 (src/pdf/shim.h): CMake when it configures against
# libharu 2.4.1's version header, and shim.c's #error when it compiles against it.
add_test(NAME pdfcore_libharu_guard
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_libharu_guard.py
                 ${CMAKE_COMMAND} ${CMAKE_C_COMPILER} ${PROJECT_SOURCE_DIR} ${HPDF_INCLUDE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/libharu-guard)
set_tests_properties(pdfcore_libharu_guard PROPERTIES LABELS fast)

# The page tree past libharu's 32,767 pages (src/pdf/doc.c, "Page tree", through the shim).
taseuranta_unit_test(pagetree taseuranta_pdf)

# Small trees of every shape, written and read back by qpdf and pikepdf.
add_test(NAME pagetree_shapes
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_page_tree.py
                 shapes $<TARGET_FILE:test_pagetree> ${CMAKE_CURRENT_BINARY_DIR}/pagetree)
set_tests_properties(pagetree_shapes PROPERTIES LABELS slow)

# A round of 2,500 measures, some 34,000 slides: built by the program, and checked whole.
add_test(NAME pagetree_big_pack
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_page_tree.py
                 pack ${TASEURANTA_EXE} ${CMAKE_CURRENT_BINARY_DIR}/pagetree
                 ${PROJECT_SOURCE_DIR}/bench/gen-round 2500)
set_tests_properties(pagetree_big_pack PROPERTIES LABELS slow TIMEOUT 3600)

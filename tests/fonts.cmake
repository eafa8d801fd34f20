# Fonts named by a layout: hostile font files (made at test time from a shipped font by
# tests/tools/hostile_fonts.py), FIFOs and devices at a font's path, two fonts of one name.
set(TASEURANTA_HOSTILE_FONTS
    hhea_metrics truncated table_past_eof table_overflow bad_loca loca_past_glyf bad_loca_format
    bad_name name_count units_per_em_16 units_per_em_0 no_glyphs hmtx_short missing_os2
    cmap_outside cmap_no_end cmap_glyph_range no_embedding too_many_tables not_truetype)
foreach(kind ${TASEURANTA_HOSTILE_FONTS})
  add_test(NAME fonts_hostile_${kind}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_fonts.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} hostile:${kind})
  set_tests_properties(fonts_hostile_${kind} PROPERTIES TIMEOUT 300)
endforeach()
foreach(case fifo not_regular same_name)
  add_test(NAME fonts_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_fonts.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${case})
  set_tests_properties(fonts_${case} PROPERTIES TIMEOUT 300)
endforeach()

# The ASan build checks the hostile fonts for leaks and stray accesses through the cases
# above; valgrind, in the other builds, also sees inside the libraries.
find_program(VALGRIND valgrind)
if(VALGRIND AND NOT TASEURANTA_SANITIZE AND NOT TASEURANTA_FUZZ)
  add_test(NAME fonts_valgrind
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_fonts.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} valgrind ${VALGRIND}
                   ${CMAKE_CURRENT_SOURCE_DIR}/valgrind/voikko.supp)
  set_tests_properties(fonts_valgrind PROPERTIES TIMEOUT 900)
endif()

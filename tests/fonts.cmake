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
  set_tests_properties(fonts_hostile_${kind} PROPERTIES TIMEOUT 300 LABELS slow)
endforeach()
foreach(case fifo not_regular same_name)
  add_test(NAME fonts_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_fonts.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${case})
  set_tests_properties(fonts_${case} PROPERTIES TIMEOUT 300 LABELS slow)
endforeach()

# The ASan build checks the hostile fonts for leaks and stray accesses through the cases
# above; valgrind, in the other builds, also sees inside the libraries.
find_program(VALGRIND valgrind)
if(VALGRIND AND NOT TASEURANTA_SANITIZE AND NOT TASEURANTA_FUZZ)
  add_test(NAME fonts_valgrind
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_fonts.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} valgrind ${VALGRIND}
                   ${CMAKE_CURRENT_SOURCE_DIR}/valgrind/voikko.supp)
  set_tests_properties(fonts_valgrind PROPERTIES TIMEOUT 900 LABELS slow)
endif()

# The font fuzz target (tests/fuzz/fuzz_font.c): built for libFuzzer with -DTASEURANTA_FUZZ=ON
# (tests/fuzz/run-font runs it); in every build its path replays the shipped and the hostile
# fonts (what the check passes, libharu must load, draw with and embed).
add_executable(fuzz_font_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_font.c)
taseuranta_warnings(fuzz_font_replay)
target_link_libraries(fuzz_font_replay PRIVATE taseuranta_pdf)
add_test(NAME fonts_fuzz_replay
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_fonts.py
                 ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} replay $<TARGET_FILE:fuzz_font_replay>)
set_tests_properties(fonts_fuzz_replay PROPERTIES TIMEOUT 600 LABELS slow)
if(TASEURANTA_FUZZ)
  add_executable(fuzz_font ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_font.c)
  taseuranta_warnings(fuzz_font)
  target_compile_definitions(fuzz_font PRIVATE TS_LIBFUZZER)
  target_compile_options(fuzz_font PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_font PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_font PRIVATE taseuranta_pdf)
endif()

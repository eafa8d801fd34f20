# The house (docs/architecture.md): the folders of src/ include only the folders below them,
# each third-party header stays in the folder that links its library, and only src/pdf/shim.c
# reaches below libharu's public API.
add_test(NAME house_layers
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_layers.py
                 ${PROJECT_SOURCE_DIR}/src ${HPDF_INCLUDE_DIR}/hpdf.h)
set_tests_properties(house_layers PROPERTIES LABELS fast)

# Every test of the suite is labelled fast or slow (tests/CMakeLists.txt), so that ctest -L fast
# is the edit-build-test loop and the two labels together are the whole suite.
add_test(NAME house_test_labels
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_test_labels.py
                 ${CMAKE_CTEST_COMMAND} ${PROJECT_BINARY_DIR})
set_tests_properties(house_test_labels PROPERTIES LABELS fast)

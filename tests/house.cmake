# The house (docs/architecture.md): the folders of src/ include only the folders below them,
# each third-party header stays in the folder that links its library, and only src/pdf/shim.c
# reaches below libharu's public API.
add_test(NAME house_layers
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_layers.py
                 ${PROJECT_SOURCE_DIR}/src ${HPDF_INCLUDE_DIR}/hpdf.h)

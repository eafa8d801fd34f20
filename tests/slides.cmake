# The layouts (the slide pack's own tests are in pdf.cmake).
taseuranta_unit_test(layout)

# docs/labels.md documents every label key, and no key that the label files lack.
add_test(NAME docs_label_keys COMMAND ${TASEURANTA_PYTHON}
         ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_label_docs.py)

# The layouts (the slide pack's own tests are in pdf.cmake).
taseuranta_unit_test(layout)

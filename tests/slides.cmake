# The layouts and the slide pack.
taseuranta_unit_test(layout)

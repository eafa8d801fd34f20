# The text engine: font metrics, hyphenation, line breaking, blocks and frame filling.
taseuranta_unit_test(fontmetrics)
taseuranta_unit_test(text)

# Diagnostics (src/diag.c): the cap on messages per file, the line that counts the rest,
# moving and renaming, the order and the printed form.
taseuranta_unit_test(diag)

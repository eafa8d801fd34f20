# The round as a workbook (workbook-form.md): the form's cell text conventions, `form` and
# `import`, and build/check reading a form.
taseuranta_unit_test(formtext)

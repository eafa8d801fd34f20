# The workbook area: the label files, the shared table walk, the XLSX and ODS writers.
taseuranta_unit_test(labels)

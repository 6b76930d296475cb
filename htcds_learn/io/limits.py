"""The most any reader takes in, and why: so that a hostile or broken file is refused
quickly, in bounded memory, with a message of its own, instead of hanging a laptop.

Each limit is far above any real HTCDS file, and close to what the tools that make those
files can hold (Excel's own limits), so a file that passes here also opens in a spreadsheet.
The benchmark (``benchmarks/bench_io.py``) measures what reading up to them costs.

>>> MAX_ROWS, MAX_COLUMNS, MAX_CELL
(1048576, 16384, 32767)
"""

from __future__ import annotations

# Bytes in a file. A 1,000,000-row Core CSV is about 620 MB; a 1 GiB file fits the largest
# table the readers accept and still leaves a laptop with 8 GB room to hold it.
MAX_FILE_BYTES = 1024 * 1024 * 1024

# Records (rows below the header). Excel's sheets stop at 1,048,576 rows: a longer table cannot
# have come from a spreadsheet, and cannot be opened in one to check it.
MAX_ROWS = 1_048_576

# Columns. Excel's sheets stop at 16,384 (column XFD). HTCDS has 84 fields; a wider file is a
# misread delimiter or not a case table.
MAX_COLUMNS = 16_384

# Cells (rows x columns). A cell costs about 60 bytes in memory as text; 50 million cells (a
# 1,000,000-row Core table has 41 million) is about 3 GB, the most a course laptop can spare.
MAX_CELLS = 50_000_000

# Characters in one cell: the most an Excel cell holds.
MAX_CELL = 32_767

# Zip containers (.xlsx, .ods). Members: a workbook has about 10-30; 10,000 leaves room for
# many sheets and pictures, and keeps the zip's table of contents small to read.
MAX_ZIP_MEMBERS = 10_000
# Bytes once unpacked, all members together. A 100,000-row Core workbook unpacks to about
# 200 MB of XML; 1 GiB takes a few minutes to read, and more is not a case table.
MAX_INFLATED_BYTES = 1024 * 1024 * 1024
# How much one member may grow when unpacked. Office files compress 5 to 20 times (IOM's
# templates: 9); a zip bomb, 300 to 1,000 times. Small members (under 1 MiB) may grow more.
MAX_RATIO = 100
RATIO_APPLIES_ABOVE = 1024 * 1024

# JSON case documents. A case nests 5 levels (list, case, collection, record, list of
# choices); 64 leaves room for wrappers and stops long before Python's own limit (1,000).
MAX_DEPTH = 64
# JSON files are read whole, and parsed JSON takes 3 times its size in memory (a case: 5 KB
# as JSON, 15 KB parsed). 128 MiB holds 25,000 cases. Larger exports: CSV tables.
MAX_JSON_BYTES = 128 * 1024 * 1024
# Lists and objects in one JSON file, counted before it is parsed: each costs 60 to 200 bytes
# once parsed, so a file of tiny ones ("[[],[],[],...") would take 20 times its size. A case
# has about 50; 5 million keeps the worst file under about 1 GB in memory.
MAX_JSON_CONTAINERS = 5_000_000
# Case documents in one file: as many as 128 MiB holds. Each is then checked against the
# JSON Schema one at a time (100 to 1,000 a second).
MAX_CASES = 25_000
# Digits in a JSON number. No HTCDS number needs more than 20; Python refuses over 4,300.
MAX_NUMBER_DIGITS = 40

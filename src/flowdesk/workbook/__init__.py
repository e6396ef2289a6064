"""Pack workbooks: a pack as an Excel workbook for process owners, and back.

:func:`write_workbook` (``flowdesk pack to-xlsx``) writes a validated pack;
:func:`workbook_to_source` (``flowdesk pack from-xlsx``) reads a workbook
into pack source files, refusing a malformed one with sheet, row and column.
"""

from flowdesk.workbook.reader import read_workbook, workbook_to_source
from flowdesk.workbook.writer import workbook_bytes, write_workbook

__all__ = ["read_workbook", "workbook_bytes", "workbook_to_source", "write_workbook"]

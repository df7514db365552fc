"""Read and write a dataset as one Excel workbook.

The workbook holds the same things as a dataset folder, as plain tables for people who live in
Excel: one sheet per table, a header row, one row per item, no YAML in any cell.

=============  ==========================================================================
sheet          one row per
=============  ==========================================================================
About          setting of the report (organisation, home area, reporting period, report
               title ...) and judgement setting (``settings.tolerance``): setting, value
Areas          other area an observation or comparator names: code, name
Outcomes       outcome, with its published executive summary
Officers       person: the id they belong to, kind (sponsor, lead, contact), name, role
Indicators     population indicator, with the outcome it belongs to and value for money
Measures       performance measure, with the indicator it belongs to
Series         series, with its parent indicator or measure: unit, polarity, target, what
               the published report said ...
Comparators    benchmark or comparator group of a series
Observations   figure: the columns of observations.csv
Inputs         raw input of a series with a method: the columns of inputs.csv
Breakdowns     figure by category (deprivation decile): the columns of breakdowns.csv
Risks          corporate risk: the columns of risks.csv
Narrative      indicator and period: the four narrative sections
=============  ==========================================================================

Reading gives the same :class:`~outcomes.sources.raw.RawDataset` as the folder reader: the
framework sheets become the nested mapping that ``framework.yaml`` would hold, so
:mod:`outcomes.sources.build` validates a workbook and a folder alike. An indicator or measure
with one series whose id is its own is written in the shorthand form (the series' fields on the
item itself), as in ``framework.yaml``.

Cells read back as the text a CSV file would hold (3766 is "3766", 53.8 is "53.8"; a date typed
into a period cell is read back as a period, "March 2018"). Problems name the sheet, the row and
the column.

The package, by concept (import from here): :mod:`.layout` (the sheets and their columns),
:mod:`.cells` (cells as text, both ways), :mod:`.read` (:func:`read_workbook`) and :mod:`.write`
(:func:`write_workbook`).
"""

from outcomes.sources.spreadsheet import cell_text, number_text
from outcomes.sources.workbook.cells import plain_number
from outcomes.sources.workbook.layout import SHEETS, Sheet
from outcomes.sources.workbook.read import WorkbookRaw, read_workbook
from outcomes.sources.workbook.write import write_workbook

__all__ = ["SHEETS", "Sheet", "WorkbookRaw", "cell_text", "number_text", "plain_number", "read_workbook",
           "write_workbook"]

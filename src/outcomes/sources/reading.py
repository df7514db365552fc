"""Read any published table — CSV (any delimiter, gzip), Excel or Parquet — column by column.

National files are large (LAIT's long file has 640,000 rows; a Fingertips extract for every GP
practice more). :func:`read_table` reads them with pyarrow, keeps every cell as *text* (so
suppression markers stay markers and ``9.511E-2`` is read by :func:`~outcomes.sources.table.read_cell`,
never by a guesser), and **filters rows before any Python object is made**: give ``keep`` (column →
values wanted) and only the matching rows become :class:`~outcomes.sources.raw.Row` s, each still
knowing its row number in the file.

A file is recognised by its first bytes, not its name: a Parquet file (``PAR1``), an Excel
workbook (a zip holding ``xl/``), an old ``.xls`` (OLE2), a gzip-compressed CSV, a PDF or a UTF-16
text file is named for what it is, and a text file that is not UTF-8 is reported with the row of the
first offending byte.

>>> sniff_delimiter('"a;b",c,d')
','
>>> sniff_delimiter("Area;Year;Value")
';'
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row
from outcomes.sources.spreadsheet import OLE_SIGNATURE
from outcomes.sources.textfiles import not_utf8_at

__all__ = ["FileKind", "Table", "file_kind", "read_header", "read_table", "sniff_delimiter"]

#: What the first bytes say a file is.
FileKind = str
_DELIMITERS = (",", ";", "\t", "|")
_SAVE_AS = "save it as 'CSV UTF-8 (Comma delimited)' (Excel: File > Save As), or re-encode it as UTF-8."


@dataclass
class Table:
    """The rows kept from a file, as text columns, with their row numbers in the file."""

    label: str
    header: list[str]
    columns: dict[str, list[str]] = field(default_factory=dict)
    numbers: list[int] = field(default_factory=list)  # the row's number in the file (header row = header_row)
    total: int = 0  # rows in the file before filtering

    def __len__(self) -> int:
        return len(self.numbers)

    def rows(self) -> list[Row]:
        """One :class:`Row` per kept row (made only now, after filtering); rows with every cell empty are skipped."""
        names = list(self.columns)
        cols = [self.columns[n] for n in names]
        return [Row(dict(zip(names, cells, strict=True)), self.label, number)
                for number, *cells in zip(self.numbers, *cols, strict=True)
                if any(c and str(c).strip() for c in cells)]


def file_kind(head: bytes, name: str = "") -> FileKind:
    """What a file is, from its first bytes: parquet, xlsx, xls, gzip, zip, pdf, utf16 or text.

    >>> file_kind(b"PAR1\\x15\\x04"), file_kind(b"\\x1f\\x8b\\x08"), file_kind(b"Area,Year"), file_kind(b"%PDF-1.7")
    ('parquet', 'gzip', 'text', 'pdf')
    """
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(OLE_SIGNATURE[:4]):  # an old .xls, or an encrypted .xlsx
        return "xls"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if head.startswith(b"ARROW1"):
        return "arrow"
    return "text"


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a CSV header line: the most frequent of , ; tab | outside quotes (comma on a tie)."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_table(path: Path, problems: Problems, *, label: str | None = None, sheet: str | None = None,
               header_row: int = 1, required: Iterable[str] = (),
               keep: Mapping[str, Iterable[str]] | None = None, any_of: bool = False) -> Table | None:
    """Read a CSV, gzip CSV, Excel or Parquet file; keep only rows whose ``keep`` columns hold a wanted value.

    Values in ``keep`` are compared with the cell's text stripped and in upper case; a row is kept
    when every ``keep`` column matches (or any one, with ``any_of``). Every problem goes
    to ``problems`` with the file, row and column; None when the file cannot be read at all.
    """
    label = label or Path(path).name
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        problems.add(label, "", "", f"cannot be read ({exc.strerror or exc}).", "check the path and that the file is readable.")
        return None
    kind = file_kind(head)
    wanted = {k: {str(v).strip().upper() for v in vals} for k, vals in (keep or {}).items()}
    if kind == "zip":
        if not zipfile.is_zipfile(path):
            problems.add(label, "", "", "is a damaged Excel workbook or zip archive (it cannot be opened).",
                         "download it again, or open it in Excel and save it as .xlsx or CSV UTF-8.")
            return None
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
        if any(n.startswith("xl/") for n in names):
            return _read_excel(path, problems, label, sheet, header_row, required, wanted, any_of)
        problems.add(label, "", "", "is a zip archive, not a table"
                     + (f" (it holds {', '.join(names[:5])}{'...' if len(names) > 5 else ''})" if names else "") + ".",
                     "unzip it and give the CSV, Excel or Parquet file inside.")
        return None
    if kind == "parquet":
        return _read_parquet(path, problems, label, required, wanted, any_of)
    messages = {
        "xls": ("is an old-style Excel 97-2003 workbook (.xls), which cannot be read.",
                "open it in Excel or LibreOffice and save it as .xlsx or as CSV UTF-8."),
        "pdf": ("is a PDF document, not a table.", "download the data as CSV, Excel or Parquet instead."),
        "utf16": ("is UTF-16 text (Excel's 'Unicode Text'), not UTF-8 CSV.", _SAVE_AS),
        "arrow": ("is an Arrow IPC (Feather) file.", "save it as Parquet or CSV."),
    }
    if kind in messages:
        problems.add(label, "", "", *messages[kind])
        return None
    raw = Path(path).read_bytes()
    if kind == "gzip":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            problems.add(label, "", "", f"is a damaged gzip file ({exc}).", "download it again.")
            return None
        inner = file_kind(raw[:8])
        if inner != "text":
            problems.add(label, "", "", f"is a gzip-compressed {inner} file, not a CSV.", "decompress it and give the file inside.")
            return None
    return _read_csv(raw, problems, label, header_row, required, wanted, any_of)


def read_header(path: Path) -> list[str] | None:
    """The column names of a table file (CSV, gzip CSV, Excel's first sheet or Parquet); None if it is not one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return None
    kind = file_kind(head)
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return [str(n).strip() for n in pq.read_schema(path).names]
        if kind == "zip":
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True)
            first = next(book.worksheets[0].iter_rows(max_row=1, values_only=True), ())
            return [str(c).strip() for c in first if c is not None]
        if kind == "gzip":
            with gzip.open(path, "rb") as gz:
                head = gz.read(65536)
        elif kind != "text":
            return None
        line = head.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
        return [h.strip() for h in next(csv.reader([line], delimiter=sniff_delimiter(line)))]
    except Exception:  # noqa: BLE001 - any unreadable file is simply not a table
        return None


def _decode_check(raw: bytes, label: str, problems: Problems) -> bytes | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, sample = not_utf8_at(raw, exc)
        if b"\x00" in raw[:4096]:
            problems.add(label, "", "", "is not a text file (it holds binary data).",
                         "give a CSV, Excel (.xlsx) or Parquet file.")
            return None
        problems.add(label, f"row {line}", "",
                     f"is not UTF-8 text{sample}: it looks like a Windows-1252 file (Excel's plain 'CSV' format).",
                     _SAVE_AS)
        return None
    return raw


def _check_header(header: list[str], label: str, problems: Problems, required: Iterable[str], row: int) -> None:
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            problems.add(label, f"row {row}", name, f"the column '{name}' appears twice.", "rename or remove one of them.")
        seen.add(name)
    need = list(required)
    for name in need:
        if name not in seen:
            close = [h for h in header if h.lower() == name.lower()]
            hint = f" (there is '{close[0]}': the name must match exactly)" if close else ""
            problems.add(label, f"row {row}", name, f"the column '{name}' is missing{hint}.",
                         f"check this is the right file; it needs the columns: {', '.join(need)}.")


def _read_csv(raw: bytes, problems: Problems, label: str, header_row: int, required: Iterable[str],
              wanted: dict[str, set[str]], any_of: bool) -> Table | None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    text = _decode_check(raw, label, problems)
    if text is None:
        return None
    lines = text.split(b"\n", header_row)
    if len(lines) < header_row or not lines[header_row - 1].strip():
        problems.add(label, "", "", "is empty.", "export the table with its header row.")
        return None
    first = lines[header_row - 1].decode("utf-8").rstrip("\r")
    delimiter = sniff_delimiter(first)
    try:
        header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter))]
    except csv.Error as exc:
        problems.add(label, f"row {header_row}", "", f"cannot be read as CSV ({exc}).", "check the header row's quotes.")
        return None
    before = len(problems)
    _check_header(header, label, problems, required, header_row)
    if len(problems) > before:
        return None
    ragged: list[int] = []
    body = lines[header_row] if len(lines) > header_row else b""

    def on_invalid(row: object) -> str:
        number = getattr(row, "number", None)
        if number is None and len(ragged) < 20:  # read in parallel: find the row by its text
            at = body.find(str(getattr(row, "text", "")).encode("utf-8"))
            number = body[:at].count(b"\n") + 1 if at >= 0 else None
        ragged.append(int(number) + header_row if number is not None else 0)
        return "skip"

    names = [f"c{i}" for i in range(len(header))]
    try:
        data = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid as exc:
        problems.add(label, "", "", f"cannot be read as CSV ({exc}).", "check quotes are balanced and one cell per column.")
        return None
    for number in ragged[:20]:
        problems.add(label, f"row {number}" if number else "", "", f"does not have {len(header)} cells like the header.",
                     "put text containing the delimiter in double quotes, and keep one cell per column.")
    if len(ragged) > 20:
        problems.add(label, "", "", f"{len(ragged) - 20} more rows do not have {len(header)} cells like the header.",
                     "check the file was exported whole.")
    data = data.rename_columns(header)
    # row numbers: the header is row `header_row`; empty lines are skipped by the reader, so numbers
    # are the position among the data rows (exact for files without blank lines).
    return _filter(data, label, header_row, wanted, any_of)


def _filter(data: object, label: str, header_row: int, wanted: dict[str, set[str]], any_of: bool) -> Table:
    import pyarrow as pa
    import pyarrow.compute as pc

    table: pa.Table = data  # type: ignore[assignment]
    total = table.num_rows
    numbers = pa.array(range(header_row + 1, header_row + 1 + total), type=pa.int64())
    mask = None
    for column, values in wanted.items():
        if column not in table.column_names:
            continue
        col = pc.utf8_upper(pc.utf8_trim_whitespace(table[column]))
        test = pc.is_in(col, value_set=pa.array(sorted(values), type=pa.string()))
        mask = test if mask is None else (pc.or_(mask, test) if any_of else pc.and_(mask, test))
    if mask is not None:
        table = table.filter(mask)
        numbers = numbers.filter(mask.combine_chunks() if hasattr(mask, "combine_chunks") else mask)
    header = list(table.column_names)
    return Table(label, header, {name: table[name].to_pylist() for name in header}, numbers.to_pylist(), total)


def _read_parquet(path: Path, problems: Problems, label: str, required: Iterable[str],
                  wanted: dict[str, set[str]], any_of: bool) -> Table | None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        data = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        problems.add(label, "", "", f"is a damaged Parquet file ({exc}).", "download or export it again.")
        return None
    header = [str(n).strip() for n in data.column_names]
    before = len(problems)
    _check_header(header, label, problems, required, 1)
    if len(problems) > before:
        return None
    columns = []
    for i, name in enumerate(data.column_names):
        col = data.column(i)
        if pa.types.is_floating(col.type):
            # whole numbers without '.0', so a year or a count reads as it was published
            as_int = pc.cast(col, pa.int64(), safe=False)
            whole = pc.equal(pc.cast(as_int, col.type), col)
            text = pc.if_else(whole, pc.cast(as_int, pa.string()), pc.cast(col, pa.string()))
        elif pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            text = col
        else:
            try:
                text = pc.cast(col, pa.string())
            except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
                problems.add(label, "", name, f"the column '{name}' holds {col.type}, which is not a table cell.",
                             "export the table with plain text and number columns.")
                return None
        columns.append(pc.fill_null(text, ""))
    data = pa.table(columns, names=header)
    # the header is not a row of a Parquet file: rows are numbered from 2 as if it were a CSV
    return _filter(data, label, 1, wanted, any_of)


def _read_excel(path: Path, problems: Problems, label: str, sheet: str | None, header_row: int,
                required: Iterable[str], wanted: dict[str, set[str]], any_of: bool) -> Table | None:
    from outcomes.sources.table import read_xlsx_file

    header, rows = read_xlsx_file(path, problems, sheet=sheet, header_row=header_row, label=label, required=required)
    if not header:
        return None
    total = len(rows)
    if wanted:
        test = any if any_of else all
        rows = [r for r in rows if test(r.get(c).upper() in v for c, v in wanted.items() if c in header)]
    columns = {h: [r.values.get(h, "") for r in rows] for h in header}
    return Table(label, header, columns, [r.number for r in rows], total)

"""A minimal streaming XLSX (Office Open XML spreadsheet) writer: text stays text, dates are dates.

openpyxl without lxml writes about 13,000 rows a second and stamps the clock into the file; a million-row
table would take over a minute per build and two builds would differ. SpreadsheetML needs only a handful
of small XML parts plus one XML stream per sheet, so this module writes them directly: rows go straight
from the caller's iterator into the zip entry (memory stays flat), every string is an inline string
(never a formula, so no spreadsheet injection), and zip entries carry a fixed date. Tests read the result
back with openpyxl.

Ready to read: data sheets have their header row frozen and filters on, column widths measured from the
content (a first streaming pass, see `widths`), and long text wrapped instead of running off the screen.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterable, Iterator
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_ROWS = 1_048_576  # Excel's limit per sheet
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.date(1899, 12, 30)
STYLE_DATE, STYLE_HEADER, STYLE_WRAP = 1, 2, 3
MIN_WIDTH, MAX_WIDTH = 8, 60  # characters; longer text wraps within MAX_WIDTH
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STYLES = (_HEAD + f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
          '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/>'
          '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
          '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
          '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
          'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" '
          'borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
          'applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
          '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment '
          'vertical="top" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
          '</styleSheet>')


@dataclass(frozen=True)
class Sheet:
    """A sheet to write: its name and its rows (the first row is shown bold and frozen); `widths` per
    column in characters; `table` puts filters on the header row."""

    name: str
    rows: Iterable[list[Any]]
    widths: tuple[float, ...] = ()
    table: bool = False


def _shown(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return len(str(value))


def widths(rows: Iterable[list[Any]]) -> tuple[float, ...]:
    """Column widths from the content: the longest value, within MIN_WIDTH..MAX_WIDTH (one pass, O(columns))."""
    found: list[int] = []
    for row in rows:
        while len(found) < len(row):
            found.append(0)
        for i, value in enumerate(row):
            found[i] = max(found[i], _shown(value))
    return tuple(float(min(MAX_WIDTH, max(MIN_WIDTH, n + 2))) for n in found)


def column(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: str) -> str:
    return escape(_BAD_XML.sub("\ufffd", value))


def cell(ref: str, value: Any, style: int = 0) -> str:
    """One `<c>` element; None gives an empty string (no cell)."""
    s = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - _EPOCH).days}</v></c>'
    return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def _sheet_xml(sheet: Sheet, selected: bool, extent: list[int]) -> Iterator[str]:
    """The worksheet XML, streamed; `extent` receives [rows, columns] once the rows are written."""
    tab = ' tabSelected="1"' if selected else ""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(sheet.widths, 1))
    yield (_HEAD + f'<worksheet xmlns="{MAIN}"><sheetViews><sheetView{tab} workbookViewId="0"><pane ySplit="1" '
           'topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
           + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")
    letters: list[str] = []
    limits = [w - 2 for w in sheet.widths]
    number = 0
    for number, row in enumerate(sheet.rows, start=1):
        if number > MAX_ROWS:
            raise ValueError(f"a sheet holds at most {MAX_ROWS} rows")
        while len(letters) < len(row):
            letters.append(column(len(letters)))
        if number == 1:
            cells = "".join(cell(f"{letters[i]}{number}", v, STYLE_HEADER) for i, v in enumerate(row))
        else:
            cells = "".join(cell(f"{letters[i]}{number}", v, STYLE_WRAP if isinstance(v, str) and i < len(limits)
                                 and len(v) > limits[i] else 0) for i, v in enumerate(row))
        yield f'<row r="{number}">{cells}</row>'
    extent[:] = [number, len(letters)]
    yield "</sheetData>"
    if sheet.table and number and letters:
        yield f'<autoFilter ref="A1:{letters[-1]}{number}"/>'
    yield "</worksheet>"


def _defined_names(sheets: list[Sheet], extents: list[list[int]]) -> str:
    """The filter ranges Excel expects beside each `autoFilter`."""
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"'{_text(s.name)}'!$A$1:${column(e[1] - 1)}${e[0]}</definedName>"
        for i, (s, e) in enumerate(zip(sheets, extents)) if s.table and e and e[0] and e[1])
    return f"<definedNames>{names}</definedNames>" if names else ""


def _parts(sheets: list[Sheet], title: str, creator: str, when: dt.date, names: str = "") -> dict[str, str]:
    n = len(sheets)
    stamp = f"{when.isoformat()}T00:00:00Z"
    types = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
    return {
        "[Content_Types].xml": _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' + types +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/'
        'vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
        "_rels/.rels": _HEAD + f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument"'
        ' Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" '
        f'Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>',
        "docProps/core.xml": _HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
        'terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:title>{_text(title)}</dc:title><dc:creator>{_text(creator)}</dc:creator>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>',
        "docProps/app.xml": _HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>ntc-site</Application></Properties>',
        "xl/workbook.xml": _HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>' + "".join(
            f'<sheet name="{_text(s.name)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1)
        ) + "</sheets>" + names + "</workbook>",
        "xl/_rels/workbook.xml.rels": _HEAD + f'<Relationships xmlns="{PKG_REL}">' + "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)) + f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": STYLES,
    }


def write(target: BinaryIO, sheets: list[Sheet], title: str, creator: str, when: dt.date) -> None:
    """Write a workbook to a binary stream; entries dated `when`, sheet rows streamed."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o100644 << 16
        return info

    extents: list[list[int]] = [[] for _ in sheets]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        parts = _parts(sheets, title, creator, when)
        for name in ("[Content_Types].xml", "_rels/.rels"):
            archive.writestr(entry(name), parts.pop(name).encode("utf-8"))
        for i, sheet in enumerate(sheets, start=1):
            with archive.open(entry(f"xl/worksheets/sheet{i}.xml"), "w", force_zip64=True) as out:
                buffer: list[str] = []
                for chunk in _sheet_xml(sheet, i == 1, extents[i - 1]):
                    buffer.append(chunk)
                    if len(buffer) >= 512:
                        out.write("".join(buffer).encode("utf-8"))
                        buffer.clear()
                out.write("".join(buffer).encode("utf-8"))
        parts = _parts(sheets, title, creator, when, _defined_names(sheets, extents))  # filter ranges now known
        for name, text in parts.items():
            if name not in ("[Content_Types].xml", "_rels/.rels"):
                archive.writestr(entry(name), text.encode("utf-8"))

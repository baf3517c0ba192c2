"""Writing case lists to CSV, CSV with HXL hashtags, XLSX, JSON and CTDC's layout.

Spreadsheet cells that start with = + - @ are neutralised in every spreadsheet format, CTDC's
included, so a file opened in Excel or LibreOffice cannot run formulas (CSV injection). JSON
keeps values as they are: it is typed data that no spreadsheet evaluates on opening.
"""

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from quipu.intake.formats import ctdc, quipu_template
from quipu.intake.records import CaseRecord

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "hxl", "xlsx", "json", "ctdc")

# HXL hashtags for the template's columns (humanitarian exchange language, hxlstandard.org).
HXL_TAGS = {
    "case_reference": "#case+id",
    "case_type": "#case+type",
    "case_status": "#status",
    "registration_date": "#date+registered",
    "victim_first_name": "#affected+name+first",
    "victim_surnames": "#affected+name+last",
    "victim_birthdate": "#date+birth",
    "victim_gender": "#affected+gender",
    "victim_citizenship": "#country+code+nationality",
    "victim_age_when_trafficked": "#affected+age",
    "trafficking_status": "#affected+status",
    "exploitation_types": "#indicator+exploitation",
    "control_methods": "#indicator+control",
    "recruitment_methods": "#indicator+recruitment",
    "vulnerabilities": "#indicator+vulnerability",
    "recruitment_country": "#country+code+recruitment",
    "recruitment_city": "#loc+name+recruitment",
    "recruitment_region": "#adm1+name+recruitment",
    "recruitment_date": "#date+recruitment",
    "transit_country": "#country+code+transit",
    "transit_city": "#loc+name+transit",
    "transit_region": "#adm1+name+transit",
    "transit_date": "#date+transit",
    "exploitation_country": "#country+code+exploitation",
    "exploitation_city": "#loc+name+exploitation",
    "exploitation_region": "#adm1+name+exploitation",
    "exploitation_date": "#date+exploitation",
    "phone": "#contact+phone",
    "email": "#contact+email",
    "document_type": "#meta+document+type",
    "document_number": "#meta+document+id",
    "document_country": "#country+code+document",
    "consent": "#meta+consent",
    "consent_share_home_country": "#meta+consent+share",
    "perpetrator_first_name": "#perpetrator+name+first",
    "perpetrator_surnames": "#perpetrator+name+last",
    "perpetrator_roles": "#perpetrator+role",
    "prosecution_stage": "#status+prosecution",
    "prosecution_date": "#date+prosecution",
}


def cell_safe(value: str) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula."""
    return f"'{value}" if value and value.startswith(FORMULA_STARTS) else value


def owner_only_file(path: Path) -> Path:
    """Create (or empty) `path` readable by its owner only, before anything is written to it."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    path.chmod(0o600)
    return path


def _rows(records: Iterable[CaseRecord], fmt: str) -> tuple[list[str], Iterator[dict]]:
    if fmt == "ctdc":
        return ctdc.export_header(), (ctdc.export_row(r) for r in records)
    return quipu_template.export_header(), (quipu_template.export_row(r) for r in records)


def export_write(
    records: Iterable[CaseRecord],
    fmt: str,
    target: Path,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write `records` to `target` in `fmt`; returns the number of rows written."""
    header, rows = _rows(records, fmt)
    owner_only_file(target)  # case data, even de-identified, is for its requester only
    writer = {"csv": _csv, "hxl": _csv, "ctdc": _csv, "xlsx": _xlsx, "json": _json}[fmt]
    return writer(target, header, _counted(rows, progress), hxl=fmt == "hxl", ctdc=fmt == "ctdc")


def _counted(rows: Iterator[dict], progress) -> Iterator[dict]:
    for count, row in enumerate(rows, start=1):
        if progress and count % 1000 == 0:
            progress(count)
        yield row


def _csv(target: Path, header, rows, *, hxl: bool, ctdc: bool) -> int:
    count = 0
    with target.open("w", newline="", encoding="utf-8") as handle:
        # CTDC publishes with Unix line ends; byte-for-byte round trips keep them. Its cells
        # never start with a formula character, so neutralising leaves a round trip intact.
        writer = csv.writer(handle, lineterminator="\n" if ctdc else "\r\n")
        writer.writerow(header)
        if hxl:
            writer.writerow([HXL_TAGS.get(name, "") for name in header])
        for row in rows:
            writer.writerow([cell_safe(row.get(name, "")) for name in header])
            count += 1
    return count


def _xlsx(target: Path, header, rows, *, hxl: bool, ctdc: bool) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("cases")
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([cell_safe(row.get(name, "")) for name in header])
        count += 1
    workbook.save(target)
    return count


def _json(target: Path, header, rows, *, hxl: bool, ctdc: bool) -> int:
    count = 0
    with target.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        for row in rows:
            handle.write(("," if count else "") + json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        handle.write("]\n")
    return count

"""CTDC's public files: layout detection, import into CaseRecords, and an exact round trip."""

import csv
import io
from pathlib import Path

import pytest

from quipu.cases.fields import CodeSet
from quipu.intake.formats import ctdc
from quipu.intake.formats.ctdc_terms import UNMAPPED_COLUMNS
from quipu.intake.records import CaseRecord, PersonRecord
from tests.conftest import shared_reference

KANON_FILE = "ctdc_global_kanon_2021-07-15.csv"
GLOBAL_2020_FILE = "global_dataset_2020-04-14_first33rows.csv"

# The 27 variables of codebook_synthetic_v2024.txt, section 5, in order.
SYNTHETIC_HEADER = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourAgriculture",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
]


def reference_file(name: str) -> Path:
    return shared_reference("ctdc", name)


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        return next(reader), list(reader)


def parsed(values: dict[str, str], layout: str = ctdc.KANON, row: int = 2):
    record, errors = ctdc.parse_row(values, row=row, layout=layout)
    assert errors == []
    return record


def kanon_row(**cells: str) -> dict[str, str]:
    """A kanon_2021 row with every cell blank but those given."""
    return {**dict.fromkeys(ctdc.export_header(), ""), **cells}


@pytest.fixture(scope="module")
def kanon_file():
    header, rows = read_csv(reference_file(KANON_FILE))
    return header, rows


# --- detection ------------------------------------------------------------------------------


def test_every_kanon_column_is_read_from_the_vocabulary_or_the_layout():
    assert UNMAPPED_COLUMNS == ()


def test_kanon_header_is_detected_with_a_bom_and_stray_spaces(kanon_file):
    header, _rows = kanon_file
    assert ctdc.detect(header) == "kanon_2021"
    messy = ["\ufeff" + header[0], *(f" {name} " for name in header[1:])]
    assert ctdc.detect(messy) == "kanon_2021"
    assert ctdc.header_columns(messy, "kanon_2021") == header


def test_export_header_is_the_kanon_file_header(kanon_file):
    header, _rows = kanon_file
    assert ctdc.export_header() == header


def test_global_2020_header_with_terms_of_use_first_cell_is_detected():
    header, _rows = read_csv(reference_file(GLOBAL_2020_FILE))
    assert header[0].startswith("By using this data")
    assert ctdc.detect(header) == "global_2020"
    columns = ctdc.header_columns(header, "global_2020")
    assert len(columns) == len(header)
    assert columns[0] == ""
    assert columns[1:] == ctdc.export_header()
    assert ctdc.detect(["", *ctdc.export_header()]) == "global_2020"


def test_synthetic_2024_header_is_detected_from_the_codebook_columns():
    assert ctdc.detect(SYNTHETIC_HEADER) == "synthetic_2024"
    # The codebook's detailed description spells one column out in full.
    spelled_out = [
        "meansWithholdDocuments" if name == "meansWithholdDocs" else name
        for name in SYNTHETIC_HEADER
    ]
    assert ctdc.detect(spelled_out) == "synthetic_2024"


def test_other_headers_are_not_ctdc():
    assert ctdc.detect([]) is None
    assert ctdc.detect(["case_reference", "victim_gender"]) is None
    assert ctdc.detect(ctdc.export_header()[:-1]) is None
    assert ctdc.detect([*SYNTHETIC_HEADER, "extra"]) is None


# --- the kanon file, row for row --------------------------------------------------------------


def test_kanon_file_round_trips_row_for_row(kanon_file):
    header, rows = kanon_file
    columns = ctdc.header_columns(header, ctdc.detect(header))
    assert len(rows) == 97_750
    with_extras = 0
    for number, cells in enumerate(rows, start=2):
        source = dict(zip(columns, cells, strict=True))
        record, errors = ctdc.parse_row(source, row=number, layout="kanon_2021")
        assert errors == [], number
        assert ctdc.export_row(record) == source, number
        with_extras += bool(record.case["source_extras"])
    # The export derives the text columns from the flags; few rows keep their own text.
    assert with_extras < len(rows) * 0.1


@pytest.mark.parametrize("name", [KANON_FILE, GLOBAL_2020_FILE])
def test_valid_rows_read_by_lookup_tables_equal_the_checked_reading(name):
    # parse_row reads valid rows with precomputed tables and sends any other row through
    # the cell-by-cell checks that name each problem: both must give the same record.
    header, rows = read_csv(reference_file(name))
    layout = ctdc.detect(header)
    columns = ctdc.header_columns(header, layout)
    for number, cells in enumerate(rows, start=2):
        source = dict(zip(columns, cells, strict=True))
        record = parsed(source, layout, number)
        checked, errors = ctdc._parse_kanon_cells(source, row=number, missing=ctdc.MISSING[layout])
        assert errors == [], number
        assert record == checked, number


@pytest.mark.parametrize("name", [KANON_FILE, GLOBAL_2020_FILE])
def test_rows_read_from_their_cells_equal_rows_read_by_column_name(name):
    # The importer hands rows to cells_parser as lists; parse_row takes them by column name.
    header, rows = read_csv(reference_file(name))
    layout = ctdc.detect(header)
    columns = ctdc.header_columns(header, layout)
    parse = ctdc.cells_parser(columns, layout)
    short = rows[0][:-1]
    bad = [*rows[0][:-2], "ZZ", rows[0][-1]]
    for number, cells in enumerate([*rows, short, bad], start=2):
        by_name = ctdc.parse_row(dict(zip(columns, cells, strict=False)), row=number, layout=layout)
        assert parse(cells, number) == by_name, number


def test_kanon_row_becomes_one_closed_case_with_one_victim():
    record = parsed(
        kanon_row(
            yearOfRegistration="2019",
            Datasource="Hotline",
            gender="Female",
            ageBroad="18--20",
            majorityStatus="Adult",
            citizenship="CO",
            CountryOfExploitation="PE",
            meansOfControlDebtBondage="1",
            meansOfControlThreats="0",
            meansOfControlPhysicalAbuse="1",
            meansOfControlConcatenated="Debt bondage;Physical abuse",
            isSexualExploit="1",
            typeOfExploitConcatenated="Sexual exploitation",
            isAbduction="0",
            recruiterRelationFriend="1",
            recruiterRelationOther="1",
            RecruiterRelationship="Friend/Acquaintance; Other",
        )
    )
    assert record.case == {
        "kind": "TIP",
        "status": "Closed",
        "datasource": "Hotline",
        "registration_year": 2019,
        "source_extras": {},
    }
    [victim] = record.people
    assert victim.person == {"gender": "Feminine", "citizenship_id": "CO"}
    assert victim.route_events == [{"event_type": "Exploitation", "country_id": "PE"}]
    assert victim.victim["age_group"] == "18--20"
    assert victim.victim["majority_status"] == "Adult"
    assert victim.victim["majority_at_entry"] == ""
    assert victim.victim["control_methods"] == CodeSet.of(
        {"DebtBondage", "PhysicalAbuse"}, {"PhysicalThreats"}
    )
    assert victim.victim["exploitation_types"] == CodeSet.of({"SexualExploitation"})
    assert victim.victim["labour_industries"] == CodeSet()
    assert victim.victim["recruiter_relations"] == CodeSet.of({"Friend", "Other"})
    assert victim.victim["abducted"] is False


def test_text_columns_that_differ_from_the_flags_are_kept_as_extras():
    source = kanon_row(
        Datasource="Case Management",
        isForcedLabour="1",
        typeOfExploitConcatenated="",
        meansOfControlNotSpecified="1",
        meansOfControlConcatenated="Not specified",
    )
    record = parsed(source)
    assert record.case["source_extras"] == {
        "typeOfExploitConcatenated": "",
        "meansOfControlConcatenated": "Not specified",
    }
    assert ctdc.export_row(record) == source


def test_export_writes_text_columns_as_each_datasource_does():
    victim = {
        "control_methods": CodeSet.of({"Other", "PhysicalAbuse", "DebtBondage"}),
        "recruiter_relations": CodeSet.of({"Other", "Family", "Unknown"}),
        "exploitation_types": CodeSet.of({"ForcedLabour", "SexualExploitation", "SexAndLabour"}),
    }

    def exported(datasource: str) -> dict[str, str]:
        record = CaseRecord(
            row=1,
            source_key="x",
            case={"datasource": datasource},
            people=[PersonRecord(victim=victim)],
        )
        return ctdc.export_row(record)

    hotline = exported("Hotline")
    assert hotline["meansOfControlConcatenated"] == "Debt bondage;Physical abuse;Other"
    assert hotline["RecruiterRelationship"] == "Family/Relative; Not Specified; Other"
    assert hotline["typeOfExploitConcatenated"] == (
        "Forced labour;Sexual exploitation;Combined sexual and labour exploitation"
    )
    managed = exported("CaseManagement")
    assert managed["meansOfControlConcatenated"] == "Debt bondage;Other;Physical Abuse"
    assert managed["RecruiterRelationship"] == "Family/Relative; Other"
    assert managed["Datasource"] == "Case Management"


@pytest.mark.parametrize(
    ("gender", "written", "read_back"),
    [
        ("Feminine", "Female", "Feminine"),
        ("Masculine", "Male", "Masculine"),
        ("TransgenderFeminine", "Transgender/NonConforming", "NonConforming"),
        ("TransgenderMasculine", "Transgender/NonConforming", "NonConforming"),
        ("NonConforming", "Transgender/NonConforming", "NonConforming"),
        ("NonSpecifiedUnknown", "", ""),
    ],
)
def test_export_writes_each_gender_as_the_ctdc_codebook_groups_it(gender, written, read_back):
    victim = PersonRecord(person={"gender": gender}, victim={})
    row = ctdc.export_row(CaseRecord(row=1, source_key="x", people=[victim]))
    assert row["gender"] == written
    reread, errors = ctdc.parse_row(row, row=2, layout=ctdc.KANON)
    assert not errors
    assert reread.people[0].person["gender"] == read_back


def test_export_of_an_empty_record_is_all_blank():
    row = ctdc.export_row(CaseRecord(row=1, source_key="x"))
    assert list(row) == ctdc.export_header()
    assert set(row.values()) == {""}


# --- the older and newer layouts ------------------------------------------------------------


def test_global_2020_rows_parse_like_their_kanon_equivalents():
    header, rows = read_csv(reference_file(GLOBAL_2020_FILE))
    columns = ctdc.header_columns(header, "global_2020")
    assert len(rows) == 33
    for number, cells in enumerate(rows, start=2):
        source = dict(zip(columns, cells, strict=True))
        as_kanon = {c: "" if v == "-99" else v for c, v in source.items() if c}
        assert "-99" in source.values()
        assert parsed(source, "global_2020", number) == parsed(as_kanon, "kanon_2021", number)
    first = parsed(dict(zip(columns, rows[0], strict=True)), "global_2020")
    # -99 is missing: no exploitation country, majority at exploitation unknown, no abduction.
    assert first.people[0].route_events == []
    assert first.people[0].victim["majority_at_exploitation"] == ""
    assert first.people[0].victim["abducted"] is None
    assert first.people[0].victim["control_methods"] == CodeSet.of({"NotSpecified"})


def synthetic_rows(*rows: dict[str, str]) -> list[dict[str, str]]:
    """Rows as the reader gives them for a small synthetic CSV (NULL where not given)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, SYNTHETIC_HEADER, restval="NULL")
    writer.writeheader()
    writer.writerows(rows)
    header, *lines = list(csv.reader(io.StringIO(text.getvalue())))
    layout = ctdc.detect(header)
    assert layout == "synthetic_2024"
    columns = ctdc.header_columns(header, layout)
    return [dict(zip(columns, line, strict=True)) for line in lines]


def test_synthetic_2024_rows_map_iso3_countries_and_renamed_columns():
    [values] = synthetic_rows(
        {
            "yearOfRegistration": "2022",
            "gender": "Woman",
            "ageBroad": "9--17",
            "citizenship": "COL",
            "CountryOfExploitation": "NAM",
            "traffickMonths": "13--24",
            "meansThreats": "1",
            "meansFalsePromises": "1",
            "meansWithholdDocs": "1",
            "isForcedLabour": "1",
            "typeOfLabourDomesticWork": "1",
            "recruiterRelationFamily": "1",
        }
    )
    record = parsed(values, "synthetic_2024")
    assert record.case["datasource"] == ""
    assert record.case["registration_year"] == 2022
    # No field holds the trafficking duration or a merged means of control: kept as written.
    assert record.case["source_extras"] == {"traffickMonths": "13--24", "meansThreats": "1"}
    [victim] = record.people
    assert victim.person == {"gender": "Feminine", "citizenship_id": "CO"}
    assert victim.route_events == [{"event_type": "Exploitation", "country_id": "NA"}]
    assert victim.victim["age_group"] == "9--17"
    # Flags are 1 or NULL: NULL is unknown, never known absent.
    assert victim.victim["control_methods"] == CodeSet.of({"FalsePromises", "WithholdsDocuments"})
    assert victim.victim["exploitation_types"] == CodeSet.of({"ForcedLabour"})
    assert victim.victim["labour_industries"] == CodeSet.of({"T_ActivitiesOfHouseholdsAsEmployers"})
    assert victim.victim["recruiter_relations"] == CodeSet.of({"Family"})
    assert ctdc.export_row(record)["typeOfExploitConcatenated"] == "Forced labour"


def test_synthetic_2024_errors_name_the_files_own_columns():
    [values] = synthetic_rows(
        {"citizenship": "CO", "meansDrugsAlcohol": "yes", "traffickMonths": "forever"}
    )
    record, errors = ctdc.parse_row(values, row=7, layout="synthetic_2024")
    assert record is None
    assert {(e.row, e.column) for e in errors} == {
        (7, "citizenship"),
        (7, "meansDrugsAlcohol"),
        (7, "traffickMonths"),
    }


# --- countries and bad cells ----------------------------------------------------------------


@pytest.mark.parametrize("layout", ["kanon_2021", "global_2020"])
def test_namibia_na_is_a_country_not_a_missing_value(layout):
    record = parsed(kanon_row(citizenship="NA", CountryOfExploitation="NA"), layout)
    [victim] = record.people
    assert victim.person["citizenship_id"] == "NA"
    assert victim.route_events == [{"event_type": "Exploitation", "country_id": "NA"}]
    assert ctdc.export_row(record)["citizenship"] == "NA"


BAD_CELLS = {
    "citizenship": "ZZ",
    "CountryOfExploitation": "Colombia",
    "meansOfControlDebtBondage": "2",
    "isSexualExploit": "yes",
    "isAbduction": "-1",
    "yearOfRegistration": "1850",
    "gender": "Robot",
    "ageBroad": "18-20",
}


def test_invalid_cells_are_all_reported_by_column_without_their_values():
    record, errors = ctdc.parse_row(kanon_row(**BAD_CELLS), row=41, layout="kanon_2021")
    assert record is None
    assert sorted(e.column for e in errors) == sorted(BAD_CELLS)
    assert {e.row for e in errors} == {41}
    for error in errors:
        message = str(error.message % error.params if error.params else error.message)
        assert BAD_CELLS[error.column] not in message


@pytest.mark.parametrize("year", ["99", "20199", "two", "3000", "１９９９", " 2019"])
def test_registration_year_must_be_four_digits_up_to_this_year(year):
    record, [error] = ctdc.parse_row(kanon_row(yearOfRegistration=year), row=3, layout=ctdc.KANON)
    assert record is None
    assert error.column == "yearOfRegistration"
    assert error.params["first"] == 1900


def test_minus_99_is_missing_only_in_the_2020_layout():
    cells = kanon_row(citizenship="-99", isForcedLabour="-99")
    assert parsed(cells, "global_2020").people[0].person["citizenship_id"] is None
    _record, errors = ctdc.parse_row(cells, row=2, layout="kanon_2021")
    assert {e.column for e in errors} == {"citizenship", "isForcedLabour"}

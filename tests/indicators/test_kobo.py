"""Importing KoboToolbox exports of the shipped baseline form into a survey round: CSV (either
delimiter, group or bare headers), JSON with repeats, select_multiple, all-or-nothing reports
by row and field, idempotence, scope, locked values, the page, the API and the command line."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from quipu.audit.models import AuditEntry
from quipu.errors import NotAllowed
from quipu.indicators.kobo_import import KoboImportInvalid, submissions_import
from quipu.indicators.models import Submission
from quipu.indicators.rounds import submission_assign
from quipu.indicators.submissions import submission_review, submission_submit
from quipu.indicators.xlsform.definition import form_definition
from tests.indicators.rounds_helpers import VALID_ANSWERS, round_open

pytestmark = pytest.mark.django_db

META = {
    "start": "2025-03-01T09:12:00.000-05:00",
    "end": "2025-03-01T09:40:00.000-05:00",
    "__version__": "vQuipuBaseline2025",
    "meta/instanceID": "uuid:5f1c2c9e-0b5e-4f55-9a44-0b7e3c6f7d21",
    "_id": "184467",
    "_uuid": "5f1c2c9e-0b5e-4f55-9a44-0b7e3c6f7d21",
    "_submission_time": "2025-03-01T14:40:31",
    "_validation_status": "",
    "_notes": "",
    "_status": "submitted_via_web",
    "_submitted_by": "policia_co",
    "_tags": "",
    "_index": "1",
}
# Kobo's per-option columns of the select_multiple, beside its own column ("both").
OPTIONS = ("police", "labour", "health", "migration", "consulates", "ngo")


@pytest.fixture
def survey_round(region, framework):
    survey_round = round_open("CO", "PE")
    focal_co, focal_pe = region.user("focal.co"), region.user("focal.pe")
    for actor, code, user in (
        (focal_co, "CO-POLICE", "caseworker.co"),
        (focal_co, "CO-PROSECUTOR", "prosecutor.co"),
        (focal_pe, "PE-POLICE", "caseworker.pe"),
    ):
        submission_assign(
            actor=actor,
            survey_round=survey_round,
            institution=region.institution(code),
            responsible=region.user(user),
        )
    return survey_round


def _submission(survey_round, code: str) -> Submission:
    return Submission.objects.get(round=survey_round, institution__code=code)


def _kobo_answers(**changes) -> dict[str, str]:
    """The valid baseline answers as Kobo names them (group paths, no root), no repeats."""
    answers = {
        path.removeprefix("/data/"): value
        for path, value in VALID_ANSWERS.items()
        if not path.startswith("__") and "services[" not in path
    }
    answers["protection/service_count"] = "0"  # Kobo exports calculations too
    answers.update(changes)
    return {key: value for key, value in answers.items() if value is not None}


def _csv(rows: list[dict], *, delimiter=";") -> bytes:
    """A Kobo CSV export with groups in headers: meta columns first and last, and the
    per-option 0/1 columns beside the select_multiple's own column."""
    out = io.StringIO()
    header = ["start", "end", "institution_code"]
    for key in rows[0]:
        if key not in header and key not in META:
            header.append(key)
            if key.endswith("identification_users"):
                header += [f"{key}/{option}" for option in OPTIONS]
    header += [key for key in META if key not in ("start", "end")]
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        chosen = row.get("protection/identification_users", "").split()
        cells = []
        for column in header:
            option = column.rpartition("/")[2]
            if column.startswith("protection/identification_users/"):
                cells.append("1" if option in chosen else "0")
            else:
                cells.append({**META, **row}.get(column, ""))
        writer.writerow(cells)
    return out.getvalue().encode()


def _bare_csv(rows: list[dict], delimiter=",") -> bytes:
    """Kobo's export without groups in headers: `helpline`, `identification_users/police`."""
    text = _csv(rows, delimiter=delimiter).decode()
    header, rest = text.split("\r\n", 1)
    bare = [
        cell.removeprefix('"').removesuffix('"') for cell in header.split(delimiter)
    ]  # headers hold no delimiter
    renamed = []
    for cell in bare:
        parts = cell.split("/")
        if cell.startswith(("meta/", "_")) or len(parts) == 1:
            renamed.append(cell)
        elif parts[-2] == "identification_users":
            renamed.append("/".join(parts[-2:]))
        else:
            renamed.append(parts[-1])
    return (delimiter.join(f'"{c}"' for c in renamed) + "\r\n" + rest).encode()


def _json(results: list[dict]) -> bytes:
    return json.dumps({"count": len(results), "next": None, "results": results}).encode()


def _json_row(code: str, services: list[dict], **changes) -> dict:
    record = {**META, "institution_code": code, **_kobo_answers(**changes)}
    record["protection/service_count"] = str(len(services))
    record["protection/services"] = [
        {f"protection/services/{key}": value for key, value in service.items()}
        for service in services
    ]
    return record


def _import(actor, survey_round, content: bytes, **options):
    return submissions_import(actor=actor, survey_round=survey_round, content=content, **options)


def test_a_semicolon_csv_with_group_headers_becomes_a_submitted_answer(region, survey_round):
    content = _csv([{"institution_code": "CO-POLICE", **_kobo_answers()}], delimiter=";")
    result = _import(region.user("focal.co"), survey_round, content)
    submission = _submission(survey_round, "CO-POLICE")
    assert result.source == "csv" and result.imported == [submission]
    assert submission.state == "submitted" and submission.submitted_at is not None
    assert submission.answers["/data/prevention/helpline_reports"] == "310"
    assert submission.answers["/data/protection/identification_users"] == "police migration"
    assert submission.answers["__count__/data/protection/services"] == "0"
    event = submission.events.get()
    assert (event.action, event.from_state, event.to_state) == (
        "import",
        "not_started",
        "submitted",
    )
    assert "CSV" in event.comment
    entry = AuditEntry.objects.filter(object_type="indicators.submission").latest("seq")
    assert entry.detail["step"] == "import" and entry.detail["kobo_uuid"] == META["_uuid"]


def test_a_comma_csv_with_bare_headers_imports_the_same_answers(region, survey_round):
    rows = [
        {"institution_code": "CO-POLICE", **_kobo_answers()},
        {"institution_code": "CO-PROSECUTOR", **_kobo_answers(**{"prevention/helpline": "no"})},
    ]
    result = _import(region.user("focal.co"), survey_round, _bare_csv(rows, delimiter=","))
    assert len(result.imported) == 2
    police, prosecutor = (
        _submission(survey_round, "CO-POLICE"),
        _submission(survey_round, "CO-PROSECUTOR"),
    )
    assert police.answers["/data/prevention/helpline_reports"] == "310"
    assert police.answers["/data/protection/identification_users"] == "police migration"
    # Not relevant once the helpline is answered "no": dropped, as on the page.
    assert "/data/prevention/helpline_reports" not in prosecutor.answers
    assert prosecutor.state == "submitted"


def test_select_multiple_is_read_from_kobo_option_columns_when_its_own_column_is_missing(
    region, survey_round
):
    content = _csv([{"institution_code": "CO-POLICE", **_kobo_answers()}]).decode()
    reader = list(csv.reader(io.StringIO(content), delimiter=";"))
    keep = [i for i, h in enumerate(reader[0]) if h != "protection/identification_users"]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([[row[i] for i in keep] for row in reader])
    _import(region.user("focal.co"), survey_round, out.getvalue().encode())
    answers = _submission(survey_round, "CO-POLICE").answers
    assert answers["/data/protection/identification_users"] == "police migration"


def test_a_json_export_with_repeat_entries_keeps_their_positions(region, survey_round):
    services = [
        {"service_kind": "shelter", "service_coverage": "60"},
        {
            "service_kind": "other",
            "service_other": "Acompañamiento jurídico",
            "service_coverage": "15.5",
        },
    ]
    content = _json([_json_row("CO-POLICE", services)])
    result = _import(region.user("focal.co"), survey_round, content)
    assert result.source == "json"
    answers = _submission(survey_round, "CO-POLICE").answers
    assert answers["__count__/data/protection/services"] == "2"
    assert answers["/data/protection/services[1]/service_kind"] == "shelter"
    assert answers["/data/protection/services[2]/service_other"] == "Acompañamiento jurídico"
    assert answers["/data/protection/services[2]/service_coverage"] == "15.5"
    assert answers["/data/protection/service_count"] == "2"


def test_a_bare_json_list_is_read_too_and_a_repeat_entry_breaking_a_rule_is_named(
    region, survey_round
):
    services = [{"service_kind": "shelter", "service_coverage": "140"}, {"service_kind": "other"}]
    content = json.dumps([_json_row("CO-POLICE", services)]).encode()
    with pytest.raises(KoboImportInvalid) as raised:
        _import(region.user("focal.co"), survey_round, content)
    found = {(p.row, p.field) for p in raised.value.problems}
    assert found == {
        (1, "protection/services[1]/service_coverage"),
        (1, "protection/services[2]/service_other"),
    }


def test_rule4_a_bad_row_names_row_and_field_writes_nothing_and_shows_no_value(
    region, survey_round
):
    secret = "Comisaria Rosa Quispe"
    wrong = {
        "respondent_role": "",
        "prevention/awareness_campaigns": "cuatro",
        "prevention/has_action_plan": secret,
    }
    rows = [
        {"institution_code": "CO-POLICE", "victim_name": secret, **_kobo_answers()},
        {"institution_code": "CO-PROSECUTOR", "victim_name": secret, **_kobo_answers(**wrong)},
    ]
    content = _csv(rows)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(KoboImportInvalid) as raised:
        _import(region.user("focal.co"), survey_round, content)
    problems = raised.value.problems
    found = {(p.row, p.field) for p in problems}
    assert found == {
        (2, "victim_name"),
        (3, "victim_name"),
        (3, "respondent_role"),
        (3, "prevention/awareness_campaigns"),
        (3, "prevention/has_action_plan"),
    }
    assert all(secret not in str(p) and "cuatro" not in str(p) for p in problems)
    assert str(problems[0]).startswith(("Fila 2", "Row 2"))
    assert not Submission.objects.filter(round=survey_round).exclude(state="not_started").exists()
    assert AuditEntry.objects.count() == audit_before


def test_rule4_importing_the_same_file_twice_gives_the_same_database(region, survey_round):
    content = _json([_json_row("CO-POLICE", [{"service_kind": "legal", "service_coverage": "30"}])])
    focal = region.user("focal.co")
    _import(focal, survey_round, content)
    audit = AuditEntry.objects.count()
    again = _import(focal, survey_round, content)
    assert again.imported == [] and [s.institution.code for s in again.unchanged] == ["CO-POLICE"]
    assert _submission(survey_round, "CO-POLICE").events.count() == 1
    assert AuditEntry.objects.count() == audit


def test_a_focal_point_cannot_import_answers_for_another_country(region, survey_round):
    rows = [
        {"institution_code": "CO-POLICE", **_kobo_answers()},
        {"institution_code": "PE-POLICE", **_kobo_answers()},
    ]
    with pytest.raises(KoboImportInvalid) as raised:
        _import(region.user("focal.co"), survey_round, _csv(rows))
    assert [(p.row, p.field) for p in raised.value.problems] == [(3, "institution_code")]
    assert _submission(survey_round, "PE-POLICE").state == "not_started"
    assert _submission(survey_round, "CO-POLICE").state == "not_started"
    assert AuditEntry.objects.filter(
        action="denied", object_id=str(_submission(survey_round, "PE-POLICE").pk)
    ).exists()
    # The secretariat imports for any country of the round.
    result = _import(region.user("secretariat"), survey_round, _csv(rows))
    assert len(result.imported) == 2


def test_only_focal_points_and_the_secretariat_import(region, survey_round):
    content = _csv([{"institution_code": "CO-POLICE", **_kobo_answers()}])
    with pytest.raises(NotAllowed):
        _import(region.user("caseworker.co"), survey_round, content)


def test_locked_values_are_not_overwritten_by_an_import(region, survey_round):
    submission = _submission(survey_round, "CO-POLICE")
    submission_submit(
        actor=region.user("caseworker.co"), submission=submission, answers=VALID_ANSWERS
    )
    submission_review(actor=region.user("focal.co"), submission=submission, action="approve")
    submission_review(actor=region.user("secretariat"), submission=submission, action="accept")
    changed = _kobo_answers(**{"prevention/awareness_campaigns": "9"})
    content = _csv([{"institution_code": "CO-POLICE", **changed}])
    with pytest.raises(KoboImportInvalid) as raised:
        _import(region.user("secretariat"), survey_round, content)
    assert [(p.row, p.field) for p in raised.value.problems] == [(2, "institution_code")]
    submission.refresh_from_db()
    assert submission.state == "accepted"
    assert submission.answers["/data/prevention/awareness_campaigns"] == "4"


def test_an_answer_awaiting_review_must_be_returned_before_a_new_import(region, survey_round):
    focal = region.user("focal.co")
    _import(focal, survey_round, _csv([{"institution_code": "CO-POLICE", **_kobo_answers()}]))
    changed = _kobo_answers(**{"prevention/awareness_campaigns": "9"})
    with pytest.raises(KoboImportInvalid):
        _import(focal, survey_round, _csv([{"institution_code": "CO-POLICE", **changed}]))
    submission = _submission(survey_round, "CO-POLICE")
    submission_review(actor=focal, submission=submission, action="return", comment="Revisar")
    _import(focal, survey_round, _csv([{"institution_code": "CO-POLICE", **changed}]))
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert submission.answers["/data/prevention/awareness_campaigns"] == "9"


def test_the_institution_option_serves_a_file_of_one_submission(region, survey_round):
    content = _csv([{**_kobo_answers()}])
    focal = region.user("focal.co")
    with pytest.raises(KoboImportInvalid) as raised:
        _import(focal, survey_round, content)
    assert [(p.row, p.field) for p in raised.value.problems] == [(2, "institution_code")]
    _import(focal, survey_round, content, institution_code="CO-PROSECUTOR")
    assert _submission(survey_round, "CO-PROSECUTOR").state == "submitted"
    two = _csv([_kobo_answers(), _kobo_answers()])
    with pytest.raises(KoboImportInvalid) as raised:
        _import(focal, survey_round, two, institution_code="CO-POLICE")
    assert raised.value.problems[0].row is None


def test_a_labels_export_is_refused_as_a_whole(region, survey_round):
    definition = form_definition(survey_round.survey)
    labels = {
        q.path.removeprefix("/data/"): q.label["English (en)"]
        for q in definition.walk()
        if isinstance(q.label, dict)
    }
    content = _csv([{"institution_code": "CO-POLICE", **_kobo_answers()}]).decode()
    header, rest = content.split("\r\n", 1)
    for path, label in labels.items():
        header = header.replace(f'"{path}"', f'"{label}"')
    with pytest.raises(KoboImportInvalid) as raised:
        _import(region.user("focal.co"), survey_round, (header + "\r\n" + rest).encode())
    assert [p.row for p in raised.value.problems] == [None]
    assert "XML" in raised.value.problems[0].message


def test_the_round_page_links_to_the_upload_which_imports_or_reports(login, survey_round):
    client = login("focal.co")
    url = reverse("indicators:submission_import", args=[survey_round.pk])
    assert (
        url
        in client.get(reverse("indicators:round_detail", args=[survey_round.pk])).content.decode()
    )
    page = client.get(url)
    assert (
        page.status_code == 200
        and "CO-PROSECUTOR" in page.content.decode()
        and "PE-POLICE" not in page.content.decode()
    )
    bad = _csv([{"institution_code": "CO-POLICE", **_kobo_answers(answer_date="2999-01-01")}])
    response = client.post(url, {"file": SimpleUploadedFile("kobo.csv", bad)})
    assert response.status_code == 422
    assert "answer_date" in response.content.decode() and "2999" not in response.content.decode()
    good = _csv([_kobo_answers()])
    response = client.post(
        url, {"file": SimpleUploadedFile("kobo.csv", good), "institution": "CO-PROSECUTOR"}
    )
    assert response.status_code == 302
    assert _submission(survey_round, "CO-PROSECUTOR").state == "submitted"


def test_another_countrys_focal_point_cannot_open_the_upload_page(login, survey_round):
    client = login("focal.ar")
    url = reverse("indicators:submission_import", args=[survey_round.pk])
    assert client.get(url).status_code == 404


def test_the_api_imports_a_json_export(login, survey_round):
    client = login("focal.co")
    url = reverse("api:indicator-round-import", args=[survey_round.pk])
    content = _json([_json_row("CO-POLICE", [{"service_kind": "health"}])])
    response = client.post(url, {"file": SimpleUploadedFile("kobo.json", content)})
    assert response.status_code == 200, response.content
    assert response.json()["imported"] == [_submission(survey_round, "CO-POLICE").pk]
    bad = _json([_json_row("CO-PROSECUTOR", [{"service_kind": "spa"}])])
    response = client.post(url, {"file": SimpleUploadedFile("kobo.json", bad)})
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [(p["row"], p["field"]) for p in problems] == [
        (1, "protection/services[1]/service_kind")
    ]
    assert "spa" not in problems[0]["message"]


def test_the_command_imports_a_file_and_fails_with_the_report(
    region, survey_round, tmp_path, capsys
):
    good = tmp_path / "kobo.csv"
    good.write_bytes(_csv([{"institution_code": "CO-POLICE", **_kobo_answers()}]))
    call_command(
        "survey",
        "import-submissions",
        str(good),
        "--round",
        str(survey_round.pk),
        "--actor",
        "focal.co",
    )
    assert "1" in capsys.readouterr().out
    assert _submission(survey_round, "CO-POLICE").state == "submitted"
    bad = tmp_path / "kobo.json"
    bad.write_bytes(_json([_json_row("CO-PROSECUTOR", [], respondent_role=None)]))
    with pytest.raises(CommandError):
        call_command("survey", "import-submissions", str(bad), "--round", str(survey_round.pk))
    assert "respondent_role" in capsys.readouterr().err
    assert _submission(survey_round, "CO-PROSECUTOR").state == "not_started"


def test_rows_for_the_same_institution_misplaced_repeats_and_a_wrong_form_are_reported(
    region, survey_round
):
    focal = region.user("focal.co")
    twice = _csv([{"institution_code": "CO-POLICE", **_kobo_answers()}] * 2)
    with pytest.raises(KoboImportInvalid) as raised:
        _import(focal, survey_round, twice)
    assert [(p.row, p.field) for p in raised.value.problems] == [(3, "institution_code")]
    repeat_in_csv = _csv(
        [{"institution_code": "CO-POLICE", "protection/services/service_kind": "legal"}]
    )
    with pytest.raises(KoboImportInvalid) as raised:
        _import(focal, survey_round, repeat_in_csv)
    assert (2, "protection/services/service_kind") in {
        (p.row, p.field) for p in raised.value.problems
    }
    record = _json_row("CO-POLICE", [])
    record["protection/services/service_kind"] = "legal"  # outside any repeat entry
    with pytest.raises(KoboImportInvalid) as raised:
        _import(focal, survey_round, _json([record]))
    assert [(p.row, p.field) for p in raised.value.problems] == [
        (1, "protection/services/service_kind")
    ]
    other_form = b"name;age\r\nAna;31\r\n"
    with pytest.raises(KoboImportInvalid) as raised:
        _import(focal, survey_round, other_form)
    assert [p.row for p in raised.value.problems] == [None]
    assert not Submission.objects.filter(round=survey_round).exclude(state="not_started").exists()

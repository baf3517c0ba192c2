"""Every supported XLSForm feature, enforced server-side on the instance document."""

import pytest
from django.http import QueryDict

from quipu.indicators.xlsform.definition import form_definition, language_pick
from quipu.indicators.xlsform.engine import form_fill

pytestmark = pytest.mark.django_db

VALID = {
    "/data/who": "Analyst",
    "/data/age": "40",
    "/data/share": "12.5",
    "/data/since": "2020-01-31",
    "/data/has_plan": "yes",
    "/data/plan/plan_year": "2019",
    "/data/plan/kinds": ["adults", "children"],
    "__count__/data/people": "2",
    "/data/people[1]/person_name": "A",
    "/data/people[1]/minors": "3",
    "/data/people[2]/person_name": "B",
    "/data/people[2]/code": "AB-12",
}


def posted(values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def fill(survey, values, language="English (en)", check=True):
    return form_fill(form_definition(survey), posted(values), language=language, check=check)


def errors_of(form) -> dict[str, str]:
    return {node.path: node.error for node in form.errors}


def test_a_complete_answer_meets_every_rule(features_survey):
    form = fill(features_survey, VALID)
    assert form.is_valid, errors_of(form)
    answers = form.answers()
    assert answers["/data/plan/kinds"] == "adults children"
    assert answers["/data/people[2]/code"] == "AB-12"
    assert "<people><person_name>A</person_name><minors>3</minors>" in form.instance_xml()


def test_required_questions_need_an_answer(features_survey):
    form = fill(features_survey, {**VALID, "/data/who": "", "/data/people[2]/person_name": ""})
    assert set(errors_of(form)) == {"/data/who", "/data/people[2]/person_name"}


def test_types_are_enforced(features_survey):
    form = fill(
        features_survey,
        {
            **VALID,
            "/data/age": "forty",
            "/data/share": "1,5",
            "/data/since": "31/01/2020",
            "/data/plan/kinds": ["adults", "pets"],
        },
    )
    assert set(errors_of(form)) == {"/data/age", "/data/share", "/data/since", "/data/plan/kinds"}
    # An option the list does not have is refused (and the group it opens stays closed).
    assert set(errors_of(fill(features_survey, {**VALID, "/data/has_plan": "maybe"}))) == {
        "/data/has_plan"
    }


def test_constraint_shows_its_message_in_the_form_language(features_survey):
    english = fill(features_survey, {**VALID, "/data/age": "130"})
    assert errors_of(english) == {"/data/age": "Impossible age"}
    spanish = fill(features_survey, {**VALID, "/data/age": "130"}, language="Español (es)")
    assert errors_of(spanish) == {"/data/age": "Edad imposible"}


def test_constraints_with_today_and_regex(features_survey):
    form = fill(
        features_survey,
        {**VALID, "/data/since": "2999-01-01", "/data/people[2]/code": "ab12"},
    )
    assert errors_of(form) == {
        "/data/since": "Not in the future",
        "/data/people[2]/code": "Write it like AB-12",
    }


def test_constraint_without_message_gets_a_generic_one(features_survey):
    form = fill(features_survey, {**VALID, "/data/share": "150"})
    assert list(errors_of(form)) == ["/data/share"]
    assert errors_of(form)["/data/share"]


def test_skip_logic_hides_a_group_and_drops_its_answers(features_survey):
    form = fill(features_survey, {**VALID, "/data/has_plan": "no", "/data/plan/plan_year": ""})
    assert form.is_valid, errors_of(form)  # the group's required year is not asked
    plan = next(node for node in form.walk() if node.path == "/data/plan")
    assert not plan.relevant and not plan.children[0].relevant
    assert "/data/plan/kinds" not in form.answers()
    assert "<kinds />" in form.instance_xml() or "<kinds></kinds>" in form.instance_xml()


def test_skip_logic_inside_a_repeat_uses_selected(features_survey):
    form = fill(features_survey, {**VALID, "/data/plan/kinds": ["adults"]})
    minors = [node for node in form.walk() if node.question.name == "minors"]
    assert [node.relevant for node in minors] == [False, False]
    assert "/data/people[1]/minors" not in form.answers()


def test_calculations_if_count_and_label_references(features_survey):
    form = fill(features_survey, VALID)
    answers = form.answers()
    assert answers["/data/double_age"] == "80"
    assert answers["/data/band"] == "adult"
    assert answers["/data/people_count"] == "2"
    summary = next(node for node in form.walk() if node.question.name == "summary")
    assert summary.label == "Double: 80; adult"
    child = fill(features_survey, {**VALID, "/data/age": "12"})
    assert child.answers()["/data/band"] == "child"


def test_repeat_entries_are_added_and_removed(features_survey):
    added = fill(features_survey, {**VALID, "__add__": "/data/people"}, check=False)
    people = next(node for node in added.walk() if node.path == "/data/people")
    assert len(people.instances) == 3
    removed = fill(features_survey, {**VALID, "__remove__": "/data/people"}, check=False)
    people = next(node for node in removed.walk() if node.path == "/data/people")
    assert len(people.instances) == 1


def test_a_blank_form_shows_one_entry_of_each_repeat_and_no_errors(features_survey):
    form = form_fill(form_definition(features_survey), None, language="English (en)")
    assert not form.errors and not form.checked
    assert [n.label for n in form.nodes[:2]] == ["Who", "Age"]


def test_labels_and_hints_come_in_the_readers_language(features_survey):
    definition = form_definition(features_survey)
    assert language_pick(definition.languages, definition.default_language, "es") == (
        "Español (es)"
    )
    assert language_pick(definition.languages, definition.default_language, "pt-br") == (
        "English (en)"  # no Portuguese in this form: its default language
    )
    spanish = form_fill(definition, None, language="Español (es)")
    assert spanish.nodes[0].label == "Quién"
    assert spanish.nodes[0].hint == "Your position"  # no Spanish hint: the default's


def test_repeat_count_sets_the_number_of_entries(framework):
    from quipu.indicators.surveys import survey_store
    from tests.indicators.conftest import xlsform_bytes

    content = xlsform_bytes(
        [
            ["type", "name", "label", "repeat_count", "required"],
            ["integer", "children", "Children", "", ""],
            ["begin_repeat", "child", "Child", "${children}", ""],
            ["integer", "child_age", "Age", "", "yes"],
            ["end_repeat", "child", "", "", ""],
        ],
        settings={"form_id": "counted", "version": "1"},
    )
    survey = survey_store(content=content, file_name="counted.xlsx")[0]
    form = fill(survey, {"/data/children": "3", "/data/child[2]/child_age": "7"}, language="")
    child = next(node for node in form.walk() if node.path == "/data/child")
    assert len(child.instances) == 3
    assert set(errors_of(form)) == {"/data/child[1]/child_age", "/data/child[3]/child_age"}


def test_form_expressions_cannot_read_files_on_the_server():
    from xml.etree import ElementTree as ET

    from quipu.indicators.xlsform.expressions import xpath_text, xpath_true

    root = ET.Element("data")
    ET.SubElement(root, "a").text = "1"
    document = ET.ElementTree(root)
    assert xpath_text("string(doc('file:///etc/hostname'))", document, root) == ""
    assert not xpath_true("doc-available('file:///etc/hostname')", document, root)
    assert xpath_text("count(collection('file:///etc'))", document, root) == ""

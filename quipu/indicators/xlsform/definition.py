"""A survey's questions as a tree: pyxform's JSON for labels, hints, choices and types, the
XForm's binds for the expressions (pyxform has already turned `${name}` into paths there)."""

from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree import ElementTree as ET

XFORMS = "{http://www.w3.org/2002/xforms}"
JR = "{http://openrosa.org/javarosa}"

# Types pyxform fills in itself (metadata) and that have no control in the form.
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
}
SELECT_ONE = {"select one", "select_one"}
SELECT_MULTIPLE = {"select all that apply", "select_multiple"}
CONTAINERS = {"group", "repeat"}


@dataclass
class Question:
    """One node of the form: a question, a note, a calculation, a group or a repeat."""

    name: str
    path: str  # the XForm nodeset, without repeat positions: /data/group/name
    kind: str
    label: dict[str, str] | str = ""
    hint: dict[str, str] | str = ""
    choices: list[dict] = field(default_factory=list)
    required: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] | str = ""
    calculate: str = ""
    readonly: str = ""
    repeat_count: str = ""
    indicator: str = ""
    relevant_source: str = ""  # as written in the XLSForm, with ${name}s, for the guide
    constraint_source: str = ""
    bodyless: bool = False
    children: list["Question"] = field(default_factory=list)

    @property
    def is_container(self) -> bool:
        return self.kind in CONTAINERS

    @property
    def is_metadata(self) -> bool:
        return self.kind in METADATA

    @property
    def has_control(self) -> bool:
        """Shown to the person answering (notes included; calculations and metadata not)."""
        return not (self.bodyless or self.is_metadata or self.kind == "calculate")


@dataclass
class FormDefinition:
    root: str
    title: str
    languages: list[str]
    default_language: str
    children: list[Question]

    def walk(self, questions: list[Question] | None = None):
        for question in self.children if questions is None else questions:
            yield question
            if question.children:
                yield from self.walk(question.children)


def _binds(xform: str) -> dict[str, dict[str, str]]:
    root = ET.fromstring(xform)  # noqa: S314 - pyxform wrote this XML, not a user
    binds = {}
    for bind in root.iter(f"{XFORMS}bind"):
        attributes = {key.replace(JR, "jr:"): value for key, value in bind.attrib.items()}
        binds[attributes.get("nodeset", "")] = attributes
    counts = {}
    for repeat in root.iter(f"{XFORMS}repeat"):
        if repeat.get(f"{JR}count"):
            counts[repeat.get("nodeset", "")] = repeat.get(f"{JR}count")
    for nodeset, count in counts.items():
        binds.setdefault(nodeset, {})["jr:count"] = count
    return binds


def _expression(bind: dict[str, str], key: str) -> str:
    value = (bind.get(key) or "").strip()
    return "" if value in ("false()", "") else value


def _question(raw: dict, parent: str, binds: dict, choices: dict) -> Question:
    path = f"{parent}/{raw['name']}"
    bind = binds.get(path, {})
    json_bind = raw.get("bind") or {}
    kind = raw.get("type", "")
    options = raw.get("choices") or choices.get(raw.get("itemset") or raw.get("list_name"), [])
    question = Question(
        name=raw["name"],
        path=path,
        kind=kind,
        label=raw.get("label", ""),
        hint=raw.get("hint", ""),
        choices=list(options) if (kind in SELECT_ONE | SELECT_MULTIPLE) else [],
        required=_expression(bind, "required"),
        relevant=_expression(bind, "relevant"),
        constraint=_expression(bind, "constraint"),
        constraint_message=json_bind.get("jr:constraintMsg", ""),
        calculate=_expression(bind, "calculate"),
        readonly=_expression(bind, "readonly"),
        repeat_count=_expression(bind, "jr:count"),
        indicator=str(raw.get("quipu_indicator") or "").strip(),
        relevant_source=str(json_bind.get("relevant") or ""),
        constraint_source=str(json_bind.get("constraint") or ""),
        bodyless=bool((raw.get("control") or {}).get("bodyless")),
    )
    for child in raw.get("children", []) if kind in CONTAINERS else []:
        question.children.append(_question(child, path, binds, choices))
    return question


def form_languages(survey_json: dict) -> list[str]:
    """The languages the form's labels are written in, as XLSForm names them."""
    found: dict[str, None] = {}

    def visit(node: dict) -> None:
        for key in ("label", "hint"):
            if isinstance(node.get(key), dict):
                found.update(dict.fromkeys(node[key]))
        for child in node.get("children", []):
            visit(child)
        for choice in node.get("choices", []) if isinstance(node.get("choices"), list) else []:
            visit(choice)

    visit(survey_json)
    return list(found)


def form_definition_build(survey_json: dict, xform: str) -> FormDefinition:
    binds = _binds(xform)
    root = f"/{survey_json.get('name', 'data')}"
    choices = survey_json.get("choices") or {}
    children = [
        _question(raw, root, binds, choices)
        for raw in survey_json.get("children", [])
        if raw.get("name") != "meta"
    ]
    return FormDefinition(
        root=root,
        title=survey_json.get("title", ""),
        languages=form_languages(survey_json),
        default_language=survey_json.get("default_language", ""),
        children=children,
    )


@lru_cache(maxsize=16)
def _cached(survey_id: int, stamp: str, sha: str) -> FormDefinition:
    from quipu.indicators.models import Survey

    survey = Survey.objects.get(pk=survey_id)
    return form_definition_build(survey.survey_json, survey.xform)


def form_definition(survey) -> FormDefinition:
    """The survey's tree, cached per stored version of the survey."""
    return _cached(survey.pk, str(survey.imported_at), survey.file_sha256)


def language_pick(definition_languages: list[str], default: str, active: str) -> str:
    """The form language for the reader's language code ('es', 'pt-br', 'en'): the one whose
    XLSForm name ends in that code, like `Português (pt)`; else the form's default."""
    wanted = (active or "es").lower().replace("_", "-")
    for candidates in (wanted, wanted[:2]):
        for language in definition_languages:
            code = language.rsplit("(", 1)[-1].rstrip(")").strip().lower().replace("_", "-")
            if "(" in language and (code == candidates or code.split("-")[0] == candidates):
                return language
    if default in definition_languages:
        return default
    return definition_languages[0] if definition_languages else ""


def text_in(value: dict[str, str] | str, language: str, default: str = "") -> str:
    """A label, hint or message in `language`, falling back to the default and then any."""
    if isinstance(value, str):
        return value
    if not value:
        return ""
    return value.get(language) or value.get(default) or next(iter(value.values()), "")

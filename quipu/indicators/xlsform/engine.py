"""Filling a form: answers in, an XForm instance out, with the form's rules enforced server-side.

The instance document is built from the posted answers; calculations and relevance (skip logic)
are evaluated on it with elementpath; non-relevant answers are left out of the instance, as
XForms clients do; then types, `required` and `constraint` are checked on what is relevant.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree as ET

from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.indicators.xlsform.definition import (
    SELECT_MULTIPLE,
    SELECT_ONE,
    FormDefinition,
    Question,
    text_in,
)
from quipu.indicators.xlsform.expressions import xpath_text, xpath_true

COUNT_PREFIX = "__count__"
ADD, REMOVE = "__add__", "__remove__"
MAX_REPEATS = 200
_REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")
_INTEGER = re.compile(r"^[-+]?\d+$")


@dataclass
class FilledNode:
    question: Question
    path: str  # with repeat positions: /data/people[2]/age
    element: ET.Element
    value: str = ""
    relevant: bool = True
    error: str = ""
    label: str = ""
    hint: str = ""
    children: list["FilledNode"] = field(default_factory=list)
    instances: list[list["FilledNode"]] = field(default_factory=list)
    instance_elements: list[ET.Element] = field(default_factory=list)
    choices_shown: list[dict] = field(default_factory=list)
    indicator: object = None  # the Indicator the question feeds, set by the page

    @property
    def input_id(self) -> str:
        return "q" + re.sub(r"[^A-Za-z0-9]+", "-", self.path).rstrip("-")

    @property
    def widget(self) -> str:
        kind = self.question.kind
        if kind in SELECT_ONE:
            return "radio" if len(self.question.choices) <= 12 else "select"
        if kind in SELECT_MULTIPLE:
            return "checkbox"
        return {
            "integer": "integer",
            "decimal": "decimal",
            "date": "date",
            "time": "time",
            "dateTime": "datetime",
            "note": "note",
            "group": "group",
            "repeat": "repeat",
        }.get(kind, "text")

    @property
    def is_required(self) -> bool:
        return self.question.required == "true()"

    @property
    def selected(self) -> list[str]:
        return self.value.split() if self.question.kind in SELECT_MULTIPLE else [self.value]

    def options(self, language: str, default: str) -> list[dict]:
        chosen = set(self.selected)
        return [
            {
                "value": str(choice.get("name", "")),
                "label": text_in(choice.get("label", ""), language, default)
                or str(choice.get("name", "")),
                "checked": str(choice.get("name", "")) in chosen,
            }
            for choice in self.question.choices
        ]


@dataclass
class FilledForm:
    definition: FormDefinition
    language: str
    document: ET.ElementTree
    nodes: list[FilledNode]
    checked: bool = False

    def walk(self, nodes: list[FilledNode] | None = None):
        for node in self.nodes if nodes is None else nodes:
            yield node
            yield from self.walk(node.children)
            for instance in node.instances:
                yield from self.walk(instance)

    @property
    def errors(self) -> list[FilledNode]:
        return [node for node in self.walk() if node.error]

    @property
    def is_valid(self) -> bool:
        return self.checked and not self.errors

    def answers(self) -> dict[str, str]:
        """Relevant answers by path (repeat positions included), for storage and indicators."""
        return {
            node.path: node.element.text or ""
            for node in self.walk()
            if node.relevant and not node.question.is_container and node.element.text
        }

    def instance_xml(self) -> str:
        """The XForm instance as a client would submit it."""
        root = self.document.getroot()
        meta = root.find("meta")
        if meta is None:
            meta = ET.SubElement(root, "meta")
            ET.SubElement(meta, "instanceID").text = f"uuid:{uuid.uuid4()}"
        return ET.tostring(root, encoding="unicode")


def _posted(data, name: str, multiple: bool) -> str:
    if data is None:
        return ""
    if multiple:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        if isinstance(values, str):
            values = values.split()
        return " ".join(str(v).strip() for v in values if str(v).strip())
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _repeat_count(data, path: str) -> int:
    raw = _posted(data, COUNT_PREFIX + path, False)
    count = int(raw) if raw.isdigit() else 1
    if _posted(data, ADD, False) == path:
        count += 1
    if _posted(data, REMOVE, False) == path:
        count -= 1
    return max(0, min(count, MAX_REPEATS))


def _build(questions, parent: ET.Element, parent_path: str, data, counts) -> list[FilledNode]:
    nodes = []
    for question in questions:
        path = f"{parent_path}/{question.name}"
        element = ET.SubElement(parent, question.name)
        node = FilledNode(question=question, path=path, element=element)
        if question.kind == "repeat":
            parent.remove(element)
            count = counts.get(path, _repeat_count(data, path))
            for position in range(1, count + 1):
                instance = ET.SubElement(parent, question.name)
                node.instance_elements.append(instance)
                node.instances.append(
                    _build(question.children, instance, f"{path}[{position}]", data, counts)
                )
            node.element = parent
        elif question.kind == "group":
            node.children = _build(question.children, element, path, data, counts)
        elif question.is_metadata:
            if question.kind in ("start", "end"):
                element.text = timezone.now().isoformat(timespec="seconds")
            elif question.kind == "today":
                element.text = date.today().isoformat()
        elif question.has_control and question.kind != "note":
            node.value = _posted(data, path, question.kind in SELECT_MULTIPLE)
            element.text = node.value
        nodes.append(node)
    return nodes


def _evaluate(form: FilledForm) -> None:
    """Calculations and relevance, twice over so that forward references settle."""
    document = form.document
    for _pass in range(2):
        for node in form.walk():
            if node.question.calculate:
                node.element.text = xpath_text(node.question.calculate, document, node.element)
                node.value = node.element.text
        _relevance(form.nodes, document, parent_relevant=True)


def _relevance(nodes: list[FilledNode], document, *, parent_relevant: bool) -> None:
    for node in nodes:
        question = node.question
        context = node.element
        own = not question.relevant or xpath_true(question.relevant, document, context)
        node.relevant = parent_relevant and own
        if question.kind == "repeat":
            for instance, element in zip(node.instances, node.instance_elements, strict=True):
                own_instance = not question.relevant or xpath_true(
                    question.relevant, document, element
                )
                _relevance(instance, document, parent_relevant=node.relevant and own_instance)
        else:
            _relevance(node.children, document, parent_relevant=node.relevant)
            if not node.relevant and not question.is_container:
                node.element.text = ""


def _type_error(node: FilledNode) -> str:
    value, kind = node.value, node.question.kind
    if kind == "integer" and not _INTEGER.match(value):
        return _("Enter a whole number.")
    if kind == "decimal":
        try:
            Decimal(value)
        except InvalidOperation:
            return _("Enter a number.")
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return _("Enter a date as YYYY-MM-DD.")
    if kind == "dateTime":
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return _("Enter a date and time.")
    if kind in SELECT_ONE | SELECT_MULTIPLE:
        allowed = {str(choice.get("name", "")) for choice in node.question.choices}
        if any(part not in allowed for part in node.selected):
            return _("Choose one of the options given.")
    return ""


def _check(form: FilledForm) -> None:
    document = form.document
    for node in form.walk():
        question = node.question
        if not node.relevant or not question.has_control or question.kind == "note":
            continue
        if question.is_container:
            continue
        if node.value == "":
            if question.required and xpath_true(question.required, document, node.element):
                node.error = _("This question needs an answer.")
            continue
        node.error = _type_error(node)
        if node.error or not question.constraint:
            continue
        if not xpath_true(question.constraint, document, node.element):
            message = text_in(
                question.constraint_message, form.language, form.definition.default_language
            )
            node.error = message or _("This answer is not allowed by the form's rules.")


def _labels(form: FilledForm) -> None:
    """Labels and hints in the form's language, `${name}` replaced by the current answer."""
    values: dict[str, str] = {}
    default = form.definition.default_language
    for node in form.walk():
        if not node.question.is_container:
            values[node.question.name] = node.element.text or ""

    def fill(text: str) -> str:
        return _REFERENCE.sub(lambda match: values.get(match.group(1), ""), text)

    for node in form.walk():
        node.label = fill(text_in(node.question.label, form.language, default))
        node.hint = fill(text_in(node.question.hint, form.language, default))
        if node.question.choices:
            node.choices_shown = node.options(form.language, default)


def form_fill(
    definition: FormDefinition, data=None, *, language: str, check: bool = False
) -> FilledForm:
    """The form with `data`'s answers (a QueryDict or dict keyed by path); `check` enforces
    types, required and constraints (False while the person is still typing)."""
    root = ET.Element(definition.root.strip("/"))
    nodes = _build(definition.children, root, definition.root, data, {})
    form = FilledForm(definition, language, ET.ElementTree(root), nodes)
    _evaluate(form)
    counts = _counted_repeats(form)
    if counts:
        root = ET.Element(definition.root.strip("/"))
        nodes = _build(definition.children, root, definition.root, data, counts)
        form = FilledForm(definition, language, ET.ElementTree(root), nodes)
        _evaluate(form)
    if check:
        _check(form)
        form.checked = True
    _labels(form)
    return form


def _counted_repeats(form: FilledForm) -> dict[str, int]:
    """Repeats whose number of entries the form computes (`repeat_count`), outside repeats."""
    counts = {}
    for node in _top_level(form.nodes):
        count_expression = node.question.repeat_count
        if node.question.kind == "repeat" and count_expression:
            text = xpath_text(count_expression, form.document, form.document.getroot())
            number = int(float(text)) if text.replace(".", "", 1).isdigit() else 0
            counts[node.path] = max(0, min(number, MAX_REPEATS))
    return counts


def _top_level(nodes: list[FilledNode]):
    for node in nodes:
        yield node
        yield from _top_level(node.children)

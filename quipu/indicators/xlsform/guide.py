"""The form guide: every question with its hint, rules and the indicator it feeds, generated
from the form so that it never drifts from it."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quipu.indicators.models import Indicator, Survey
from quipu.indicators.xlsform.definition import (
    SELECT_MULTIPLE,
    SELECT_ONE,
    Question,
    form_definition,
    text_in,
)

_REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")
KIND_LABELS = {
    "text": gettext_lazy("Text"),
    "integer": gettext_lazy("Whole number"),
    "decimal": gettext_lazy("Number"),
    "date": gettext_lazy("Date"),
    "note": gettext_lazy("Note (nothing to answer)"),
    "calculate": gettext_lazy("Calculated by the form"),
    "repeat": gettext_lazy("Repeated section: add as many entries as needed"),
}


@dataclass
class GuideItem:
    number: str
    question: Question
    label: str
    kind: str
    hint: str = ""
    required: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    calculate: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    indicator: Indicator | None = None
    depth: int = 0


@dataclass
class GuideSection:
    title: str
    items: list[GuideItem]


def _kind(question: Question) -> str:
    if question.kind in SELECT_ONE:
        return str(_("Choose one option"))
    if question.kind in SELECT_MULTIPLE:
        return str(_("Choose one or more options"))
    return str(KIND_LABELS.get(question.kind, question.kind))


def guide_build(survey: Survey, *, language: str) -> list[GuideSection]:
    definition = form_definition(survey)
    default = definition.default_language
    labels = {q.name: text_in(q.label, language, default) or q.name for q in definition.walk()}
    codes = {q.indicator for q in definition.walk() if q.indicator}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}

    def readable(expression: str) -> str:
        return _REFERENCE.sub(lambda m: f"«{labels.get(m.group(1), m.group(1))}»", expression)

    def item(question: Question, number: str, depth: int) -> GuideItem:
        required = ""
        if question.required == "true()":
            required = _("Required")
        elif question.required:
            required = _("Required when the form's rule says so")
        return GuideItem(
            number=number,
            question=question,
            label=text_in(question.label, language, default) or question.name,
            kind=_kind(question),
            hint=text_in(question.hint, language, default),
            required=required,
            relevant=readable(question.relevant_source),
            constraint=readable(question.constraint_source),
            constraint_message=text_in(question.constraint_message, language, default),
            calculate=question.calculate,
            choices=[
                (str(c.get("name", "")), text_in(c.get("label", ""), language, default))
                for c in question.choices
            ],
            indicator=indicators.get(question.indicator),
            depth=depth,
        )

    sections: list[GuideSection] = []
    loose: list[GuideItem] = []
    counter = 0

    def collect(questions: list[Question], out: list[GuideItem], depth: int) -> None:
        nonlocal counter
        for question in questions:
            if question.is_metadata or question.bodyless:
                continue
            if question.kind == "group":
                collect(question.children, out, depth)
                continue
            counter += 1
            out.append(item(question, str(counter), depth))
            if question.kind == "repeat":
                collect(question.children, out, depth + 1)

    for question in definition.children:
        if question.kind == "group" and not question.bodyless:
            if loose:
                sections.append(GuideSection(str(_("General")), loose))
                loose = []
            items: list[GuideItem] = []
            collect(question.children, items, 0)
            title = text_in(question.label, language, default) or question.name
            sections.append(GuideSection(title, items))
        else:
            collect([question], loose, 0)
    if loose:
        sections.append(GuideSection(str(_("General")), loose))
    return sections

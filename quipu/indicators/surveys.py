"""Writes for surveys: importing an XLSForm (web page, command line, shipped baseline)."""

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import InvalidInput
from quipu.indicators.models import Indicator, Survey, SurveyQuestion
from quipu.indicators.xlsform.importer import XLSFormInvalid, xlsform_convert
from quipu.tenancy.permissions import require
from quipu.tenancy.roles import Capability


class SurveyInvalid(InvalidInput):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(_("The form was not imported."))


def survey_store(*, content: bytes, file_name: str) -> tuple[Survey, str]:
    """Store an XLSForm by (form id, version): ("created" | "updated" | "unchanged").
    The same file twice gives the same database; a new version is a new survey."""
    try:
        converted = xlsform_convert(content, file_name)
    except XLSFormInvalid as error:
        raise SurveyInvalid(error.problems) from None
    if not converted.form_id:
        raise SurveyInvalid([_("The form has no form_id in its settings sheet.")])
    questions = converted.questions()
    codes = {q.indicator for q in questions if q.indicator}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    unknown = sorted(codes - set(indicators))
    if unknown:
        raise SurveyInvalid(
            [
                _("Question %(name)s, column quipu_indicator: no indicator has the code %(code)s.")
                % {"name": q.name, "code": q.indicator}
                for q in questions
                if q.indicator in unknown
            ]
        )
    sha = hashlib.sha256(content).hexdigest()
    fields = {
        "title": converted.title[:300],
        "languages": converted.definition.languages,
        "default_language": converted.definition.default_language,
        "survey_json": converted.survey_json,
        "xform": converted.xform,
        "file_name": file_name[:255],
        "file_sha256": sha,
    }
    with transaction.atomic():
        survey = Survey.objects.filter(form_id=converted.form_id, version=converted.version).first()
        if survey is not None and survey.file_sha256 == sha:
            return survey, "unchanged"
        outcome = "updated" if survey else "created"
        if survey is None:
            survey = Survey.objects.create(
                form_id=converted.form_id, version=converted.version, **fields
            )
        else:
            for name, value in fields.items():
                setattr(survey, name, value)
            survey.save()
            survey.questions.all().delete()
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(
                survey=survey,
                position=position,
                path=question.path[:500],
                name=question.name[:200],
                question_type=question.kind[:60],
                indicator=indicators.get(question.indicator),
            )
            for position, question in enumerate(questions, start=1)
        )
    return survey, outcome


def survey_import(*, actor, content: bytes, file_name: str, request=None) -> tuple[Survey, str]:
    """The secretariat imports an XLSForm through the web page; audited."""
    require(actor, Capability.MANAGE_REGION, request=request)
    survey, outcome = survey_store(content=content, file_name=file_name)
    survey_import_audit(actor=actor, survey=survey, outcome=outcome, request=request)
    return survey, outcome


def survey_import_audit(*, actor, survey: Survey, outcome: str, request=None) -> None:
    if outcome == "unchanged":
        return
    audit_record(
        actor=actor,
        action=Action.CREATE if outcome == "created" else Action.UPDATE,
        obj=survey,
        detail={"form_id": survey.form_id, "version": survey.version, "sha256": survey.file_sha256},
        request=request,
    )

"""Every write of the surveys core: uploading a questionnaire version, importing a built-in, storing answers."""

import hashlib
import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.audit.actions import AuditAction
from socmon.audit.services import PUBLIC, SYSTEM, record_event

from . import access, scoring
from .models import IndicatorAnswer, Invitation, Questionnaire, QuestionnaireVersion, Response
from .xlsform import ParsedForm, XLSFormError, read_xlsform


class AlreadyAnswered(Exception):
    """The invitation's client has answered this campaign already (or the invitation is no longer open)."""


def _problems(error: XLSFormError) -> ValidationError:
    return ValidationError({"file": [ValidationError(p) for p in error.problems]})


def _add_version(questionnaire: Questionnaire, parsed: ParsedForm, data: bytes, name: str, by) -> QuestionnaireVersion:
    latest = (QuestionnaireVersion.objects.select_for_update().filter(questionnaire=questionnaire)
              .order_by("-number").first())
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=(latest.number if latest else 0) + 1, source=data,
        source_name=name[:200], form=parsed.form, languages=parsed.languages,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None)
    record_event(by=by, action=AuditAction.QUESTIONNAIRE_VERSION_UPLOADED, target=version,
                 org_path=questionnaire.org_unit.path if questionnaire.org_unit else "",
                 questionnaire=questionnaire.code, number=version.number, file=version.source_name)
    return version


@transaction.atomic
def upload_version(*, by, data: bytes, name: str = "", questionnaire: Questionnaire | None = None,
                   org_unit=None, title: str = "", purpose: str = Questionnaire.Purpose.OTHER) -> QuestionnaireVersion:
    """A new version of `questionnaire`, or a new questionnaire owned by `org_unit`, from an XLSForm's bytes.

    Nothing is stored when the form has a problem: `ValidationError` keyed by "file" lists them all.
    """
    try:
        parsed = read_xlsform(data)
    except XLSFormError as error:
        raise _problems(error) from None
    if questionnaire is None:
        if org_unit is None or not access.upload_units(by).filter(pk=org_unit.pk).exists():
            raise PermissionDenied
        code = (parsed.form_id or "form")[:40]
        base, n = code, 1
        while Questionnaire.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{n}"
        try:
            with transaction.atomic():
                questionnaire = Questionnaire.objects.create(
                    code=code, title=(title or parsed.title or code)[:200], title_i18n=parsed.titles,
                    purpose=purpose, org_unit=org_unit)
        except IntegrityError:  # the same form uploaded twice at once: the other upload took the code
            raise ValidationError({"file": _("This questionnaire is being uploaded by someone else right now. "
                                             "Look at the list of questionnaires before you try again.")}) from None
    else:
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if not access.may_manage(by, questionnaire):
            raise PermissionDenied
    return _add_version(questionnaire, parsed, data, name, by)


def _fingerprint(form: dict) -> str:
    return hashlib.sha256(json.dumps(form, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def import_builtin(path, *, purpose: str = Questionnaire.Purpose.OTHER, by=SYSTEM) -> QuestionnaireVersion:
    """Create or refresh the built-in questionnaire of an XLSForm file shipped with socmon (its code is the
    form_id); a new version only when the form changed. Raises XLSFormError for a form socmon cannot render."""
    path = Path(path)
    data = path.read_bytes()
    parsed = read_xlsform(data)
    code = (parsed.form_id or path.stem)[:64]
    questionnaire, _created = Questionnaire.objects.select_for_update().get_or_create(
        code=code, defaults={"title": (parsed.title or code)[:200], "title_i18n": parsed.titles,
                             "purpose": purpose, "built_in": True})
    if not questionnaire.built_in:
        raise XLSFormError([_("A questionnaire with the code “%(code)s” exists already.") % {"code": code}])
    Questionnaire.objects.filter(pk=questionnaire.pk).update(title=(parsed.title or code)[:200],
                                                             title_i18n=parsed.titles, purpose=purpose)
    latest = questionnaire.versions.order_by("-number").first()
    if latest is not None and _fingerprint(latest.form) == _fingerprint(parsed.form):
        return latest
    return _add_version(questionnaire, parsed, data, path.name, by)


@transaction.atomic
def submit_response(*, by, invitation: Invitation, answers: dict, language: str, mode: str | None = None,
                    now=None) -> Response:
    """Store the one response of the invitation's client to its campaign, mark the invitation answered and store
    the indicator answers. `answers` are already checked against the version (socmon.surveys.flow).

    One winner: the invitation row is locked and must still be "invited"; the unique constraint is the last line.
    Raises AlreadyAnswered otherwise.
    """
    now = now or timezone.now()
    invitation = (Invitation.objects.select_for_update().select_related("campaign__version", "client__org_unit")
                  .get(pk=invitation.pk))
    campaign = invitation.campaign
    if invitation.status != Invitation.Status.INVITED or Response.objects.filter(
            campaign=campaign, client=invitation.client).exists():
        raise AlreadyAnswered
    if campaign.status != campaign.Status.OPEN:
        raise ValidationError(_("This survey is closed."))
    interviewer = by if by not in (PUBLIC, SYSTEM) else None
    try:
        with transaction.atomic():
            response = Response.objects.create(
                campaign=campaign, version=campaign.version, invitation=invitation, client=invitation.client,
                org_unit=campaign.org_unit, mode=mode or invitation.mode, language=language, answers=answers,
                submitted_at=now, entered_by=interviewer)
    except IntegrityError:
        raise AlreadyAnswered from None
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.ANSWERED)
    day = timezone.localdate(now)
    for indicator, counts in scoring.indicator_answers(campaign.version, answers).items():
        IndicatorAnswer.objects.create(response=response, indicator=indicator, counts=counts,
                                       client=invitation.client, org_unit=campaign.org_unit, answered_on=day)
    record_event(by=by, action=AuditAction.SURVEY_RESPONSE_SUBMITTED, target=response,
                 org_path=campaign.org_unit.path, campaign=campaign.pk, mode=response.mode)
    return response

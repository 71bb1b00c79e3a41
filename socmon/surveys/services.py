"""Every write of the surveys core: uploading a questionnaire version, importing a built-in, storing answers.

Campaigns: every write of survey campaigns: create, invite the served clients, draw the yearly sample, set how a client
answers, record a decline (and invite the replacement), close the campaign. Each is audited; one winner under
concurrency.

**Closing** (`close_campaign`) is for the M&E specialist who runs the campaign (MANAGE_SURVEYS over its unit), once:
afterwards its answer pages say "this survey is closed" in the client's language, nothing more is answered,
invited, drawn, changed or declined, and the results say when it closed. Reopening is not offered, by choice: a
closed campaign's figures are what was reported; a survey that must go on is a new campaign.

**The yearly random sample** (000: "a yearly survey of 10 randomly chosen participants" per provider): the frame
is the clients the unit's subtree served in the campaign's period, by id (`selectors.served_client_ids`); the
seed is random and stored with the frame. The *drawn order* is `random.Random(seed).sample(frame, len(frame))`,
a shuffle of the whole frame: its first `sample_size` clients are invited, and when one declines, the next
client of the drawn order not yet invited replaces them. The same seed and frame always give the same order,
so anyone can repeat the draw (`drawn_order`).
"""

import datetime
import hashlib
import json
import random
import secrets
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.audit.actions import AuditAction
from socmon.audit.services import PUBLIC, SYSTEM, record_event
from socmon.clients.models import Client
from socmon.lib.dates import field_error
from socmon.orgs.models import OrgUnit

from . import access, scoring, selectors
from .models import Campaign, Invitation, Questionnaire, QuestionnaireVersion, Response
from .xlsform import ParsedForm, XLSFormError, read_xlsform


class AlreadyAnswered(Exception):
    """The invitation's client has answered this campaign already (or the invitation is no longer open)."""


class SurveyClosed(Exception):
    """The campaign was closed: nothing more is answered. The page says so in the client's language."""


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


BUILT_IN_DIR = Path(__file__).resolve().parent / "builtin"
BUILT_IN = {"client_survey.xlsx": Questionnaire.Purpose.CLIENT_SURVEY,
            "expert_survey.xlsx": Questionnaire.Purpose.EXPERT_SURVEY}


def install_builtins() -> list[QuestionnaireVersion]:
    """The questionnaires shipped with socmon (socmon/surveys/builtin/), each refreshed from its file: run at
    set-up (`manage.py install_questionnaires`, part of `make run`); again after an upgrade adds a version only
    where the file changed."""
    return [import_builtin(BUILT_IN_DIR / name, purpose=purpose) for name, purpose in BUILT_IN.items()]


@transaction.atomic
def submit_response(*, by, invitation: Invitation, answers: dict, language: str, mode: str | None = None,
                    now=None) -> Response:
    """Store the one response of the invitation's client to its campaign, mark the invitation answered and store
    the indicator answers. `answers` are already checked against the version (socmon.surveys.flow).

    One winner: the campaign row, then the invitation row, are locked (the order `close_campaign` and
    `record_decline` lock them in): a closing that came first is seen (SurveyClosed), a closing that comes later
    waits for this response. The invitation must still be "invited"; the unique constraint is the last line.
    Raises AlreadyAnswered otherwise.
    """
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().select_related("version", "org_unit").get(
        pk=invitation.campaign_id)
    invitation = (Invitation.objects.select_for_update().select_related("client__org_unit")
                  .get(pk=invitation.pk))
    if invitation.status != Invitation.Status.INVITED or Response.objects.filter(
            campaign=campaign, client=invitation.client).exists():
        raise AlreadyAnswered
    if campaign.status != campaign.Status.OPEN:
        raise SurveyClosed
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
    scoring.store_indicator_answers(response)
    record_event(by=by, action=AuditAction.SURVEY_RESPONSE_SUBMITTED, target=response,
                 org_path=campaign.org_unit.path, campaign=campaign.pk, mode=response.mode)
    return response


# --- Campaigns: create, invite the served clients, draw the yearly sample, modes and declines ---

DEFAULT_SAMPLE_SIZE = 10


def drawn_order(seed: str, frame: list[int]) -> list[int]:
    """The whole frame in the order the draw gives it: reproducible from the seed and the frame alone."""
    return random.Random(seed).sample(list(frame), len(frame))


@transaction.atomic
def create_campaign(*, by, unit: OrgUnit, version: QuestionnaireVersion, kind: str, title: str,
                    period_start: datetime.date, period_end: datetime.date,
                    sample_size: int | None = None) -> Campaign:
    if not access.may_manage_campaigns(by, unit):
        raise ValidationError(_("You may not run surveys for this unit."))
    if period_end < period_start:
        raise field_error("period_end", _("The end of the period must not be before its start."), "order")
    size = None
    if kind == Campaign.Kind.YEARLY_SAMPLE:
        size = sample_size or DEFAULT_SAMPLE_SIZE
    campaign = Campaign.objects.create(version=version, org_unit=unit, kind=kind, title=title.strip(),
                                       period_start=period_start, period_end=period_end, sample_size=size,
                                       created_by=by)
    record_event(by=by, action=AuditAction.SURVEY_CAMPAIGN_CREATED, target=campaign, org_path=unit.path,
                 kind=kind, version=version.pk)
    return campaign


def _claim(campaign: Campaign, now) -> Campaign:
    """Lock the campaign and mark it invited; the loser of two at once (or a second try) gets a message."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.invited_at is not None or locked.invitations.exists():
        raise ValidationError(_("The clients of this campaign have already been invited."))
    if locked.status != Campaign.Status.OPEN:
        raise ValidationError(_("This campaign is closed."))
    if not Campaign.objects.filter(pk=locked.pk, invited_at=None).update(invited_at=now):
        raise ValidationError(_("The clients of this campaign have already been invited."))
    locked.invited_at = now
    return locked


def _create_invitations(campaign: Campaign, client_ids: list[int]) -> None:
    try:
        with transaction.atomic():
            Invitation.objects.bulk_create([Invitation(campaign=campaign, client_id=pk, position=i)
                                            for i, pk in enumerate(client_ids)])
    except IntegrityError:
        raise ValidationError(_("The clients of this campaign have already been invited.")) from None


@transaction.atomic
def invite_served_clients(*, by, campaign: Campaign, now=None) -> int:
    """The 6-monthly survey (or another): invite every client the unit's subtree served in the period."""
    now = now or timezone.now()
    if not access.may_manage_campaigns(by, campaign.org_unit):
        raise ValidationError(_("You may not run surveys for this unit."))
    if campaign.kind == Campaign.Kind.YEARLY_SAMPLE:
        raise ValidationError(_("This campaign surveys a random sample: draw the sample instead."))
    campaign = _claim(campaign, now)
    ids = selectors.served_client_ids(campaign.org_unit, campaign.period_start, campaign.period_end)
    _create_invitations(campaign, ids)
    record_event(by=by, action=AuditAction.SURVEY_CLIENTS_INVITED, target=campaign,
                 org_path=campaign.org_unit.path, invited=len(ids))
    return len(ids)


@transaction.atomic
def draw_sample(*, by, campaign: Campaign, seed: str | None = None, now=None) -> list[int]:
    """The yearly random sample: store a random seed and the frame, invite the first `sample_size` drawn."""
    now = now or timezone.now()
    if not access.may_manage_campaigns(by, campaign.org_unit):
        raise ValidationError(_("You may not run surveys for this unit."))
    if campaign.kind != Campaign.Kind.YEARLY_SAMPLE:
        raise ValidationError(_("Only a campaign of a random sample draws one."))
    campaign = _claim(campaign, now)
    frame = selectors.served_client_ids(campaign.org_unit, campaign.period_start, campaign.period_end)
    seed = seed or secrets.token_hex(8)
    size = campaign.sample_size or DEFAULT_SAMPLE_SIZE
    drawn = drawn_order(seed, frame)[:size]
    Campaign.objects.filter(pk=campaign.pk).update(sample_seed=seed, sample_frame=frame, sample_size=size)
    campaign.sample_seed, campaign.sample_frame, campaign.sample_size = seed, frame, size
    _create_invitations(campaign, drawn)
    record_event(by=by, action=AuditAction.SURVEY_SAMPLE_DRAWN, target=campaign, org_path=campaign.org_unit.path,
                 seed=seed, frame_size=len(frame), drawn=len(drawn))
    return drawn


def closed_message() -> str:
    return _("This campaign is closed: its invitations can no longer change.")


@transaction.atomic
def close_campaign(*, by, campaign: Campaign, now=None) -> Campaign:
    """Close the campaign: no more answers, invitations, sample draws, mode changes or declines. Reopening is not
    offered: the results of a closed campaign stay as they were when it closed (start a new campaign instead).

    One winner: the campaign's row lock decides (a response being stored holds it too), then a conditional update
    from "open"; the loser of two closings is told the campaign was closed already. The time of closing is read
    after the lock, so a response stored first is never later than the close."""
    if not access.may_manage_campaigns(by, campaign.org_unit):
        raise PermissionDenied
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    now = now or timezone.now()
    closed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.OPEN).update(
        status=Campaign.Status.CLOSED, closed_at=now, closed_by=by)
    if not closed:
        raise ValidationError(_("This campaign was closed already."), code="closed_already")
    campaign = Campaign.objects.select_related("org_unit").get(pk=campaign.pk)
    counts = selectors.status_counts(campaign)
    record_event(by=by, action=AuditAction.SURVEY_CAMPAIGN_CLOSED, target=campaign, org_path=campaign.org_unit.path,
                 answered=counts[Invitation.Status.ANSWERED], waiting=counts[Invitation.Status.INVITED],
                 declined=counts[Invitation.Status.DECLINED])
    return campaign


def _require_open(campaign_pk: int) -> Campaign:
    """Lock the campaign row (before the invitation's) and refuse a change to a closed campaign."""
    campaign = Campaign.objects.select_for_update().select_related("org_unit").get(pk=campaign_pk)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(closed_message(), code="campaign_closed")
    return campaign


@transaction.atomic
def change_mode(*, by, invitation: Invitation, mode: str) -> Invitation:
    if not access.may_conduct(by, invitation):
        raise ValidationError(_("You may not change this invitation."))
    _require_open(invitation.campaign_id)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.INVITED:
        raise field_error("mode", _("Only a client who has not answered or declined can change how they answer."),
                          "status")
    if mode not in Invitation.Mode.values:
        raise field_error("mode", _("Choose how the client answers."), "invalid")
    before = locked.mode
    locked.mode = mode
    locked.save(update_fields=["mode"])
    record_event(by=by, action=AuditAction.SURVEY_INVITATION_MODE_CHANGED, target=locked,
                 org_path=locked.campaign.org_unit.path, before=before, after=mode)
    return locked


@transaction.atomic
def record_decline(*, by, invitation: Invitation, reason: str, now=None) -> Invitation | None:
    """The client declined: mark it with the reason; in a random sample the next client of the drawn order not
    yet invited replaces them (returned), recorded through `Invitation.replaces`."""
    now = now or timezone.now()
    if not access.may_conduct(by, invitation):
        raise ValidationError(_("You may not change this invitation."))
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the client declined."), "required")
    campaign = _require_open(invitation.campaign_id)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.INVITED:
        raise ValidationError(_("This client has already answered or declined."))
    locked.status, locked.decline_reason = Invitation.Status.DECLINED, reason
    locked.declined_at, locked.declined_by = now, by
    locked.save(update_fields=["status", "decline_reason", "declined_at", "declined_by"])
    replacement = None
    if campaign.kind == Campaign.Kind.YEARLY_SAMPLE and campaign.sample_seed:
        invited = set(campaign.invitations.values_list("client_id", flat=True))
        order = drawn_order(campaign.sample_seed, campaign.sample_frame)
        following = [(i, pk) for i, pk in enumerate(order) if pk not in invited]
        if following and Client.objects.filter(pk=following[0][1]).exists():
            position, client_id = following[0]
            replacement = Invitation.objects.create(campaign=campaign, client_id=client_id, position=position,
                                                    mode=locked.mode, replaces=locked)
    record_event(by=by, action=AuditAction.SURVEY_INVITATION_DECLINED, target=locked, org_path=campaign.org_unit.path,
                 replaced_by=replacement.pk if replacement else None)
    return replacement

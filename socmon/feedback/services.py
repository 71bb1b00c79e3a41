"""Every write to feedback: received, answered, extended once, escalated level by level, closed, reopened by
its sender, confirmed by the client. Each decides on the locked row, so of two heads answering at once one
wins and the other is told who answered; each writes a timeline step and an audit event."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from socmon.audit.actions import AuditAction
from socmon.audit.services import Actor, record_event
from socmon.lib.dates import add_working_days, field_error
from socmon.orgs.models import OrgLevel, OrgUnit

from .models import Feedback, FeedbackCategory, FeedbackStep


def tracking_hash(code: str) -> str:
    return hashlib.sha256((code or "").strip().encode()).hexdigest()


def answer_days(category: FeedbackCategory) -> int:
    return settings.SOCMON_FEEDBACK_URGENT_DAYS if category.urgent else settings.SOCMON_FEEDBACK_ANSWER_DAYS


def due_date(category: FeedbackCategory, received_on: datetime.date, unit=None) -> datetime.date:
    """The day the answer is due: the category's number of working days after the day it was received (the
    public holidays of the country and of the unit it is about not counted)."""
    return add_working_days(received_on, answer_days(category), unit_path=unit.path if unit else None)


def _user(by):
    return None if isinstance(by, Actor) else by


def _step(feedback: Feedback, kind: str, *, by, now, note: str = "", to_unit=None) -> None:
    FeedbackStep.objects.create(feedback=feedback, kind=kind, at=now, by=_user(by), note=note, to_unit=to_unit)


def _locked(pk) -> Feedback:
    feedback = (Feedback.objects.select_for_update(of=("self",)).select_related("category", "org_unit",
                                                                                   "responsible_unit")
                .filter(pk=pk).first())
    if feedback is None:
        raise ValidationError(_("This feedback no longer exists."))
    return feedback


def _plain(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise field_error(field, message, "required")
    return text


@transaction.atomic
def submit_feedback(*, by, source: str, kind: str, category: FeedbackCategory, text: str, org_unit,
                    client=None, channel: str = Feedback.Channel.WEB, anonymous: bool = False,
                    sender_name: str = "", sender_contact: str = "", language: str = "en",
                    now: datetime.datetime | None = None) -> tuple[Feedback, str]:
    """Record feedback; returns it with its tracking code, which is shown once and stored only as a hash.

    A client's feedback is about their own department; the public's about an institution."""
    now = now or timezone.now()
    text = _plain(text, "text", _("Write what you would like to tell us."))
    if source == Feedback.Source.CLIENT:
        if client is None:
            raise ValidationError(_("Feedback from a client needs the client."))
        org_unit = client.org_unit
    elif org_unit is None:
        raise field_error("org_unit", _("Choose the institution your feedback is about."), "required")
    elif source == Feedback.Source.PUBLIC and org_unit.level.kind != OrgLevel.Kind.INSTITUTION:
        raise field_error("org_unit", _("Choose the institution your feedback is about."), "invalid")
    if anonymous:
        sender_name = sender_contact = ""
    received_on = timezone.localdate(now)
    due_on = due_date(category, received_on, org_unit)
    code = secrets.token_urlsafe(18)
    feedback = Feedback.objects.create(
        kind=kind, category=category, source=source, channel=channel, text=text, anonymous=anonymous,
        sender_name=sender_name.strip(), sender_contact=sender_contact.strip(), language=language,
        client=client, org_unit=org_unit, responsible_unit=org_unit, received_on=received_on, due_on=due_on,
        escalate_after=due_on, tracking_hash=tracking_hash(code), created_by=_user(by))
    _step(feedback, FeedbackStep.Kind.RECEIVED, by=by, now=now)
    record_event(by=by, action=AuditAction.FEEDBACK_RECEIVED, target=feedback, org_path=org_unit.path,
                 source=source, kind=kind)
    return feedback, code


@transaction.atomic
def answer_feedback(*, by, feedback_id: int, answer: str, channel: str,
                    now: datetime.datetime | None = None) -> Feedback:
    now = now or timezone.now()
    answer = _plain(answer, "answer", _("Write the answer in plain words."))
    feedback = _locked(feedback_id)
    if feedback.status != Feedback.Status.OPEN:
        who = feedback.answered_by.get_full_name() if feedback.answered_by else ""
        raise ValidationError(_("This feedback has just been answered by %(name)s. Read their answer below.")
                              % {"name": who or _("someone else")})
    feedback.answer, feedback.answer_channel = answer, channel
    feedback.answered_at, feedback.answered_by, feedback.status = now, _user(by), Feedback.Status.ANSWERED
    feedback.save(update_fields=["answer", "answer_channel", "answered_at", "answered_by", "status"])
    _step(feedback, FeedbackStep.Kind.ANSWERED, by=by, now=now, note=answer)
    record_event(by=by, action=AuditAction.FEEDBACK_ANSWERED, target=feedback, org_path=feedback.org_unit.path,
                 channel=channel)
    return feedback


@transaction.atomic
def extend_deadline(*, by, feedback_id: int, reason: str, now: datetime.datetime | None = None) -> Feedback:
    """Once only, by the category's number of working days from the current deadline; the sender sees why."""
    now = now or timezone.now()
    reason = _plain(reason, "reason", _("Say why the answer needs more time: the sender will read it."))
    feedback = _locked(feedback_id)
    if feedback.status != Feedback.Status.OPEN:
        raise ValidationError(_("Only feedback waiting for an answer can get more time."))
    if feedback.extended_at is not None:
        raise ValidationError(_("The deadline has already been extended once; it cannot be extended again."))
    feedback.due_on = add_working_days(feedback.due_on, answer_days(feedback.category),
                                       unit_path=feedback.org_unit.path)
    feedback.escalate_after = max(feedback.escalate_after, feedback.due_on)
    feedback.extended_at, feedback.extension_reason = now, reason
    feedback.save(update_fields=["due_on", "escalate_after", "extended_at", "extension_reason"])
    _step(feedback, FeedbackStep.Kind.EXTENDED, by=by, now=now, note=reason)
    record_event(by=by, action=AuditAction.FEEDBACK_EXTENDED, target=feedback, org_path=feedback.org_unit.path,
                 due_on=feedback.due_on.isoformat())
    return feedback


def _escalate(feedback: Feedback, *, by, reason: str, now: datetime.datetime) -> bool:
    parent = OrgUnit.objects.get_parent(feedback.responsible_unit)
    if parent is None:
        return False
    feedback.responsible_unit = parent
    feedback.escalation_level += 1
    feedback.escalate_after = add_working_days(timezone.localdate(now), settings.SOCMON_FEEDBACK_ESCALATION_DAYS,
                                               unit_path=parent.path)
    feedback.save(update_fields=["responsible_unit", "escalation_level", "escalate_after"])
    _step(feedback, FeedbackStep.Kind.ESCALATED, by=by, now=now, note=reason, to_unit=parent)
    record_event(by=by, action=AuditAction.FEEDBACK_ESCALATED, target=feedback, org_path=feedback.org_unit.path,
                 to_unit=parent.pk, reason=reason)
    return True


@transaction.atomic
def escalate_feedback(*, by, feedback_id: int, reason: str, now: datetime.datetime | None = None) -> Feedback:
    """A head sends feedback to the level above by hand, saying why."""
    now = now or timezone.now()
    reason = _plain(reason, "reason", _("Say why the level above should answer."))
    feedback = _locked(feedback_id)
    if feedback.status != Feedback.Status.OPEN:
        raise ValidationError(_("Only feedback waiting for an answer can be escalated."))
    if not _escalate(feedback, by=by, reason=reason, now=now):
        raise ValidationError(_("This feedback is already at the top level."))
    return feedback


def escalate_overdue(*, by, now: datetime.datetime | None = None) -> int:
    """Move every unanswered feedback whose time at its level has passed up one level, with the reason.
    Idempotent: an escalated feedback waits SOCMON_FEEDBACK_ESCALATION_DAYS working days at its new level."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    pks = list(Feedback.objects.filter(status=Feedback.Status.OPEN, escalate_after__lt=today)
               .values_list("pk", flat=True))
    for pk in pks:
        with transaction.atomic():
            feedback = _locked(pk)
            if feedback.status != Feedback.Status.OPEN or feedback.escalate_after >= today:
                continue
            days = (today - feedback.due_on).days
            reason = ngettext("Not answered in time: overdue by %(days)s day.",
                              "Not answered in time: overdue by %(days)s days.", days) % {"days": days}
            count += _escalate(feedback, by=by, reason=reason, now=now)
    return count


@transaction.atomic
def close_feedback(*, by, feedback_id: int, now: datetime.datetime | None = None) -> Feedback:
    now = now or timezone.now()
    feedback = _locked(feedback_id)
    if feedback.status == Feedback.Status.CLOSED:
        raise ValidationError(_("This feedback is already closed."))
    if not feedback.answer:
        raise ValidationError(_("Answer the feedback in plain words before closing it."))
    feedback.status, feedback.closed_at = Feedback.Status.CLOSED, now
    feedback.save(update_fields=["status", "closed_at"])
    _step(feedback, FeedbackStep.Kind.CLOSED, by=by, now=now)
    record_event(by=by, action=AuditAction.FEEDBACK_CLOSED, target=feedback, org_path=feedback.org_unit.path)
    return feedback


@transaction.atomic
def reopen_feedback(*, by, feedback_id: int, reason: str = "", now: datetime.datetime | None = None) -> Feedback:
    """The sender says the answer did not resolve it: waiting for an answer again, with a new deadline."""
    now = now or timezone.now()
    feedback = _locked(feedback_id)
    if feedback.status == Feedback.Status.OPEN:
        raise ValidationError(_("This feedback is already waiting for an answer."))
    feedback.status, feedback.closed_at = Feedback.Status.OPEN, None
    feedback.due_on = due_date(feedback.category, timezone.localdate(now), feedback.org_unit)
    feedback.escalate_after = feedback.due_on
    feedback.save(update_fields=["status", "closed_at", "due_on", "escalate_after"])
    _step(feedback, FeedbackStep.Kind.REOPENED, by=by, now=now, note=(reason or "").strip()[:4000])
    record_event(by=by, action=AuditAction.FEEDBACK_REOPENED, target=feedback, org_path=feedback.org_unit.path)
    return feedback


@transaction.atomic
def confirm_answer(*, by, feedback_id: int, now: datetime.datetime | None = None) -> Feedback:
    """The client says they received an answer (through their code, or to a worker): what IP6 counts."""
    now = now or timezone.now()
    feedback = _locked(feedback_id)
    if feedback.client_id is None:
        raise ValidationError(_("Only a client's own feedback can be confirmed."))
    if not feedback.answer:
        raise ValidationError(_("There is no answer to confirm yet."))
    if feedback.confirmed_at is not None:
        raise ValidationError(_("Receiving the answer has already been confirmed."))
    feedback.confirmed_at = now
    feedback.save(update_fields=["confirmed_at"])
    _step(feedback, FeedbackStep.Kind.CONFIRMED, by=by, now=now)
    record_event(by=by, action=AuditAction.FEEDBACK_CONFIRMED, target=feedback, org_path=feedback.org_unit.path)
    return feedback

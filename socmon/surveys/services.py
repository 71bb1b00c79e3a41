"""Every write of survey campaigns: create, invite the served clients, draw the yearly sample, set how a client
answers, record a decline (and invite the replacement). Each is audited; one winner under concurrency.

**The yearly random sample** (000: "a yearly survey of 10 randomly chosen participants" per provider): the frame
is the clients the unit's subtree served in the campaign's period, by id (`selectors.served_client_ids`); the
seed is random and stored with the frame. The *drawn order* is `random.Random(seed).sample(frame, len(frame))`,
a shuffle of the whole frame: its first `sample_size` clients are invited, and when one declines, the next
client of the drawn order not yet invited replaces them. The same seed and frame always give the same order,
so anyone can repeat the draw (`drawn_order`).
"""

import datetime
import random
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event
from socmon.clients.models import Client
from socmon.lib.dates import field_error
from socmon.orgs.models import OrgUnit

from . import access, selectors
from .models import Campaign, Invitation, QuestionnaireVersion

DEFAULT_SAMPLE_SIZE = 10


def drawn_order(seed: str, frame: list[int]) -> list[int]:
    """The whole frame in the order the draw gives it: reproducible from the seed and the frame alone."""
    return random.Random(seed).sample(list(frame), len(frame))


@transaction.atomic
def create_campaign(*, by, unit: OrgUnit, version: QuestionnaireVersion, kind: str, title: str,
                    period_start: datetime.date, period_end: datetime.date,
                    sample_size: int | None = None) -> Campaign:
    if not access.may_manage(by, unit):
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
    if not access.may_manage(by, campaign.org_unit):
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
    if not access.may_manage(by, campaign.org_unit):
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


@transaction.atomic
def change_mode(*, by, invitation: Invitation, mode: str) -> Invitation:
    if not access.may_conduct(by, invitation):
        raise ValidationError(_("You may not change this invitation."))
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
    campaign = Campaign.objects.select_for_update().get(pk=invitation.campaign_id)
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

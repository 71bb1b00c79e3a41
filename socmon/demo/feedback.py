"""Demo feedback (issue 9, R-7.2), through socmon.feedback.services: in Talgar's Home Care Department a client's
complaint answered and confirmed (counts for IP6), a suggestion waiting, one overdue and escalated, a thanks
noted by phone; and a member of the public's complaint in Romanian about the institution, answered.
Does nothing without demo clients."""

import datetime

from django.utils import timezone

from socmon.accounts.models import Role, User
from socmon.audit.services import PUBLIC, SYSTEM
from socmon.clients.models import Client
from socmon.feedback import services
from socmon.feedback.models import Feedback, FeedbackCategory
from socmon.orgs.models import OrgUnit

HOME_CARE = "talgar-csc-d1"


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def build() -> None:
    department = OrgUnit.objects.filter(code=HOME_CARE).first()
    clients = list(Client.objects.filter(org_unit=department).order_by("pk")[:3]) if department else []
    head = User.objects.filter(memberships__org_unit=department, memberships__role=Role.HEAD).first()
    if len(clients) < 3 or head is None or Feedback.objects.exists():
        return
    institution = OrgUnit.objects.get_parent(department)
    category = {c.code: c for c in FeedbackCategory.objects.all()}

    answered, _code = services.submit_feedback(
        by=PUBLIC, source=Feedback.Source.CLIENT, kind=Feedback.Kind.COMPLAINT, category=category["waiting"],
        text="The worker came two hours late twice this month.", org_unit=None, client=clients[0],
        language=clients[0].language, now=_at(12))
    services.answer_feedback(by=head, feedback_id=answered.pk, channel=Feedback.Channel.PHONE, now=_at(9),
                             answer="We changed the route so that your visit is first in the morning.")
    services.confirm_answer(by=PUBLIC, feedback_id=answered.pk, now=_at(8))

    services.submit_feedback(
        by=PUBLIC, source=Feedback.Source.CLIENT, kind=Feedback.Kind.SUGGESTION, category=category["information"],
        text="Please call the day before a visit.", org_unit=None, client=clients[1],
        language=clients[1].language, now=_at(2))

    late, _code = services.submit_feedback(
        by=PUBLIC, source=Feedback.Source.CLIENT, kind=Feedback.Kind.COMPLAINT,
        category=category["service-quality"], text="The shopping was not delivered.", org_unit=None,
        client=clients[2], language=clients[2].language, now=_at(30))
    services.escalate_overdue(by=SYSTEM, now=_at(10))

    services.submit_feedback(
        by=head, source=Feedback.Source.STAFF, channel=Feedback.Channel.PHONE, kind=Feedback.Kind.THANKS,
        category=category["staff-attitude"], text="A neighbour called to thank the worker.", org_unit=department,
        anonymous=True, now=_at(3))

    public, _code = services.submit_feedback(
        by=PUBLIC, source=Feedback.Source.PUBLIC, kind=Feedback.Kind.COMPLAINT, category=category["information"],
        text="Nu am găsit programul de lucru al centrului.", org_unit=institution, language="ro", now=_at(6))
    services.answer_feedback(by=head, feedback_id=public.pk, channel=Feedback.Channel.WEB, now=_at(4),
                             answer="Programul este acum afișat la intrare: luni–vineri, 9:00–18:00.")

"""Demo cases (issue #3): cases in every state for clients of Talgar's Home Care Department, decisions
waiting for the demo "head", and an urgent referral waiting in Family Support's inbox. For the home pages
(issue #8): an assessment the head returned to the demo "worker", and a referral to an outside organisation
left unanswered past its deadline. For indicator IR1: referrals of several kinds of programme, among them a
legal aid one waiting for an answer and housing ones the person joined.

Built through the services, so every case has a believable timeline. Needs the demo clients
(socmon.demo.clients); without clients in that department it does nothing.
"""

import datetime

from django.utils import timezone

from socmon.accounts.models import User
from socmon.cases import services
from socmon.cases.models import Assessment, Case, CaseEvent, Referral
from socmon.catalogue.models import ServiceKind
from socmon.clients.access import current_assignments
from socmon.clients.models import Client
from socmon.orgs.models import OrgUnit

HOME_CARE = "talgar-csc-d1"
FAMILY_SUPPORT = "talgar-csc-d2"
# The stage each successive client's case is brought to.
STAGES = ["assessment", "assessment_submitted", "plan_submitted", "active", "closure_proposed", "closed",
          "active_referred", "assessment_returned"]
OVERDUE_BY = datetime.timedelta(days=3)
# Plans started three weeks ago: the demo's past visits (socmon.demo.visits) deliver them, so the case page's
# "Planned and delivered" has figures.
PLAN_STARTED_AGO = datetime.timedelta(days=21)  # the outside organisation's answer is this late
SCORES = {
    "health": (2, "Type 2 diabetes; forgets medication some days."),
    "self_care": (2, "Needs help with bathing and shopping."),
    "housing": (1, "Ground-floor flat; stove is old."),
    "family": (1, "Daughter visits at weekends."),
    "income": (1, "Pension; no debts."),
    "safety": (0, ""),
    "education": (0, ""),
    "legal": (1, "Disability status to be renewed in spring."),
}


def _worker_for(client: Client, default: User) -> User:
    assignment = current_assignments().filter(client=client).select_related("worker").first()
    return assignment.worker if assignment else default


def _service() -> ServiceKind:
    found = ServiceKind.objects.filter(is_active=True).order_by("pk").first()
    if found:
        return found
    return ServiceKind.objects.get_or_create(code="demo-home-help", defaults={
        "name": "Help at home", "domain": ServiceKind.Domain.HOUSEHOLD, "norm_minutes": 60})[0]


def _advance(case: Case, stage: str, worker: User, head: User, family: OrgUnit | None) -> None:
    order = ["assessment", "assessment_submitted", "plan_submitted", "active", "closure_proposed", "closed"]
    target = {"active_referred": "active", "assessment_returned": "assessment_submitted"}.get(stage, stage)
    reached = order.index(target)
    services.save_assessment(by=worker, case=case, summary="Lives alone; wants to stay at home.",
                             scores={d: SCORES.get(d, (0, "")) for d in Assessment.Domain.values})
    if reached < 1:
        return
    services.submit_assessment(by=worker, case=_fresh(case), version=_fresh(case).version)
    if stage == "assessment_returned":  # back on the worker's home page, with the head's comment
        services.decide_assessment(by=head, case=_fresh(case), version=_fresh(case).version, approve=False,
                                   comment="Say who helps with shopping on weekdays, and score safety again.")
        return
    if reached < 2:
        return
    services.decide_assessment(by=head, case=_fresh(case), version=_fresh(case).version, approve=True,
                               comment="Agreed.")
    today = timezone.localdate()
    services.save_plan(by=worker, case=_fresh(case), goals="Takes medication every day\nBathes safely twice a week",
                       starts_on=today - PLAN_STARTED_AGO, ends_on=today + datetime.timedelta(days=180),
                       responsible=worker)
    services.add_plan_service(by=worker, case=_fresh(case), service=_service(), times=2, period="week")
    services.submit_plan(by=worker, case=_fresh(case), version=_fresh(case).version)
    if reached < 3:
        return
    services.decide_plan(by=head, case=_fresh(case), version=_fresh(case).version, approve=True)
    services.record_review(by=worker, case=_fresh(case), held_on=today, progress="improved",
                           summary="Takes medication with a pill box; bathing with help on Tuesdays and Fridays.",
                           next_review_on=today + datetime.timedelta(days=30))
    if stage == "active_referred" and family is not None:
        services.send_referral(by=worker, case=_fresh(case), to_unit=family, kind="neglect",
                               programme="Family support for a grandchild in the person's care",
                               notes="Grandson (9) often alone after school. Please call the worker first.")
        # An outside organisation: the referral page shows the link it answers through.
        services.send_referral(by=worker, case=_fresh(case), to_external="Riverside Day Centre (NGO)",
                               kind="standard", programme_kind=Referral.ProgrammeKind.CARE,
                               programme="Day care with a hot lunch, twice a week",
                               notes="Would like company; walks with a stick. The person agreed to this referral.")
        # The assessment's legal need: a legal aid referral, still waiting for an answer.
        services.send_referral(by=worker, case=_fresh(case), to_external="Almaty Region Legal Aid Centre (NGO)",
                               kind="standard", programme_kind=Referral.ProgrammeKind.LEGAL,
                               programme="Free legal help to renew the disability status",
                               notes="Status expires in spring; the person has the old decision and an ID card.")
    if stage == "active":
        _overdue_referral(case, worker)
    if reached < 4:
        return
    _housing_referral(case, worker)
    services.propose_closure(by=worker, case=_fresh(case), version=_fresh(case).version, reason="goals_achieved",
                             outcome="Manages medication alone; daughter now helps with bathing.")
    if reached < 5:
        return
    services.decide_closure(by=head, case=_fresh(case), version=_fresh(case).version, approve=True)


def _housing_referral(case: Case, worker: User) -> None:
    """The assessment's housing need: a housing programme the person joined (what indicator IR1 counts)."""
    referral = services.send_referral(by=worker, case=_fresh(case), to_external="Talgar District Housing Office",
                                      kind=Referral.Kind.STANDARD, programme_kind=Referral.ProgrammeKind.HOUSING,
                                      programme="Repairs in the homes of older people: a new stove",
                                      notes="Ground-floor flat; the stove is old and unsafe. The person agreed.")
    services.answer_referral(by=worker, referral=referral, accept=True)
    services.record_referral_outcome(by=worker, referral=referral, joined=True, joined_on=timezone.localdate(),
                                     notes="The stove was replaced.")


def _overdue_referral(case: Case, worker: User) -> None:
    """A referral to an outside organisation sent earlier and never answered: overdue for the worker and the head.
    Sent through the service, then moved back in time (with its timeline event), as if sent days ago."""
    referral = services.send_referral(by=worker, case=_fresh(case), to_external="Talgar Volunteers' Society",
                                      kind=Referral.Kind.STANDARD, programme="A volunteer to walk with the person",
                                      notes="Goes out only with someone beside her. The person agreed to it.")
    sent_at = timezone.now() - datetime.timedelta(days=services.standard_referral_days()) - OVERDUE_BY
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=sent_at, link_issued_at=sent_at, respond_by=services.response_deadline(referral.kind, sent_at))
    CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REFERRAL_SENT).update(at=sent_at)


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("client", "org_unit").get(pk=case.pk)


def build() -> None:
    department = OrgUnit.objects.filter(code=HOME_CARE).first()
    head = User.objects.filter(username="head").first()
    default_worker = User.objects.filter(username="worker").first()
    if department is None or head is None or default_worker is None:
        return
    clients = list(Client.objects.filter(org_unit=department).exclude(cases__isnull=False)
                   .select_related("org_unit").order_by("pk")[: len(STAGES)])
    family = OrgUnit.objects.filter(code=FAMILY_SUPPORT).first()
    for client, stage in zip(clients, STAGES, strict=False):
        worker = _worker_for(client, default_worker)
        if worker == head:
            worker = default_worker
        case = services.open_case(by=worker, client=client)
        _advance(case, stage, worker, head, family)

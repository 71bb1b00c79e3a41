"""The access matrix: every URL pattern × every persona × every object that persona must not see.

The URL patterns are read from the URL configuration (includes and namespaces, allauth's and the admin's
too). ACCESS_TABLE says, for each URL name, which kind of object its address names and how to build the
address for a given object, or why the URL needs no check. A new URL without a row fails
`test_every_url_has_a_row_in_the_access_table`: add its row the day it lands.

For each object page, each persona who must not reach the object (TARGETS says who, and why) asks for it
with GET and with POST (the page's own form fields, filled in as its legitimate user sees them; the test
client does not enforce CSRF). The answer must be a refusal (403, 404; 405 where the method does not exist;
a redirect to sign in for someone not signed in), show none of the object's identifying values (client
code, names, document number, address, phone), and nothing may be written. Lists and other pages without an
object answer every signed-in person, but must not show what that person may not see.

The admin site is covered by one rule for its whole namespace (staff only, and no persona is staff), so a
newly registered model needs no row; allauth's pages act on one's own account only. PENDING lists leaks
whose fix has not landed yet (none today): each must still fail, and the test says when it no longer does.

`root` is left out: a superuser reaches everything by design. The whole matrix runs on one world built once
per module, at a fixed Wednesday morning; the terminal summary says how many requests it made.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.test import Client as Browser
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse

from socmon.accounts.models import Membership, User
from socmon.activities.models import Activity, ActivityPhoto, Attendance, OtherParticipants
from socmon.audit.models import AuditEvent
from socmon.cases.models import Assessment, Case, CaseEvent, Decision, Plan, PlanService, Referral, Review
from socmon.catalogue.models import ClientCategory, ServiceKind
from socmon.clients.models import Application, CaseloadAssignment, Client, ClientAccessLog, name_key
from socmon.feedback.models import Feedback, FeedbackCategory, FeedbackStep
from socmon.indicators.models import Indicator
from socmon.indicators.models import Target as IndicatorTarget
from socmon.orgs.models import OrgUnit
from socmon.programmes.models import Evaluation as PlanEvaluation
from socmon.programmes.models import Goal, Outcome, PlanIndicator, PlanVersion, Programme, ResourceItem
from socmon.surveys.models import Campaign, Invitation, Questionnaire, QuestionnaireVersion
from socmon.surveys.models import Response as SurveyResponse
from socmon.test import ALLAUTH_BACKEND, build_world
from socmon.visits import tokens
from socmon.visits.models import ClientCard, FlagCheck, Rating, ServiceDelivery, Visit

from .conftest import MATRIX_REQUESTS

NOW = datetime.datetime(2026, 3, 11, 10, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))  # a Wednesday morning
TODAY = NOW.date()
PERSONAS = ("anonymous", "alice", "bob", "heidi", "fiona", "dora", "walt", "sam", "ann", "eve", "adam")
EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()
SEES_NO_PEOPLE = frozenset({"eve"})  # the external evaluator: structure and aggregates, no client, no worker

# --- Who must not reach what -------------------------------------------------------------------------------


@dataclass
class Target:
    """Objects of one client (or the national catalogue), and the personas who must not reach them."""

    name: str
    strangers: frozenset[str]  # must not see the client, its case, visits, card, referrals or worker's day
    colleagues: frozenset[str] = NOBODY  # read the record and case after stating a purpose; nothing else
    unit_strangers: frozenset[str] = NOBODY  # do not see the client's department in the org tree
    unit_managers: frozenset[str] = NOBODY  # may change that department
    indicator_readers: frozenset[str] = NOBODY  # read the department's indicator values (VIEW_INDICATORS)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def secrets(self) -> list[str]:
        client = self.objects.get("client")
        if client is None:
            return []
        return [client.code, client.first_name, client.last_name, client.document_number, client.address,
                client.phone]


# Who is refused each kind of object, given the target and whether the page writes.
REFUSED: dict[str, Callable[[Target, bool], frozenset[str]]] = {
    # The record and the case: a colleague may read them after stating a purpose, never write.
    "client": lambda t, write: t.strangers | (t.colleagues if write else NOBODY),
    "case": lambda t, write: t.strangers | (t.colleagues if write else NOBODY),
    # Visits, cards, referrals, a worker's day and a department's caseload have no break-glass view.
    "visit": lambda t, write: t.strangers | t.colleagues,
    "card": lambda t, write: t.strangers | t.colleagues,
    "referral": lambda t, write: t.strangers | t.colleagues,
    "worker": lambda t, write: t.strangers | t.colleagues,
    "people": lambda t, write: t.strangers | t.colleagues,
    # The org structure is seen through the tree; changing it is for its administrators.
    "unit": lambda t, write: t.unit_strangers | ((EVERYONE - t.unit_managers) if write else NOBODY),
    "membership": lambda t, write: EVERYONE - t.unit_managers,
    # A person's account (a temporary password): only the administrator of every unit where they hold a role.
    "person": lambda t, write: EVERYONE - t.unit_managers,
    "catalogue": lambda t, write: t.strangers,
    # Questionnaires of the target's unit: read with VIEW_SURVEYS over it (not by workers, the evaluator or the
    # administrator); a new version only by the specialist (MANAGE_SURVEYS).
    "questionnaire": lambda t, write: (t.strangers | t.colleagues | frozenset({"alice", "bob", "fiona", "walt", "eve",
                                                                            "adam"})
                                       | ((EVERYONE - {"sam"}) if write else NOBODY)),
    # Interviewing an invited client: the client's own worker or head (WORK_CASES), like working on the case.
    "invitation": lambda t, write: t.strangers | t.colleagues,
    # Activities belong to the client's department: its workers and head record them, the chain above reads them.
    "activity": lambda t, write: t.strangers,
    # Feedback about the client's department: those who answer feedback there (socmon.feedback.access).
    "feedback": lambda t, write: t.strangers | t.colleagues,
    # Noting feedback about the client's department: those who reach it.
    "feedback_unit": lambda t, write: t.strangers,
    # The department's indicator values (aggregates, no person): those with VIEW_INDICATORS over it.
    "indicators": lambda t, write: EVERYONE - t.indicator_readers,
    # Indicator definitions are national: only M&E specialists (MANAGE_INDICATORS) define, replace and retire them.
    "indicator": lambda t, write: t.strangers,
    # Programmes of the department and their M&E plans: read with VIEW_INDICATORS over it (written and approved
    # by some of those readers only: see ROLES).
    "programme": lambda t, write: EVERYONE - t.indicator_readers,
}
# Kinds of object that belong to no client: their own target, named here (the others go to the client targets).
NATIONAL = {"catalogue": "catalogue", "indicator": "indicators"}
# A minimal stored form for the matrix's questionnaires (pyxform's JSON shape).
MATRIX_FORM = {"type": "survey", "name": "data", "children": [
    {"type": "select one", "name": "better", "label": "Better?", "bind": {"required": "yes"},
     "choices": [{"name": "yes", "label": "Yes"}, {"name": "no", "label": "No"}]}]}

# --- The world -----------------------------------------------------------------------------------------------


def _client_with_everything(world, name: str, unit: OrgUnit, worker: User, first: str, last: str,
                            document: str) -> dict:
    """A client on `worker`'s caseload with an active case (plan, planned service, referral out), a visit in
    progress and an issued card."""
    client = Client.objects.create(
        org_unit=unit, first_name=first, last_name=last, search_name=name_key(first, last),
        birth_date=datetime.date(1941, 2, 3), sex=Client.Sex.FEMALE,
        category=ClientCategory.objects.get(code="older-person"), document_number=document,
        address=f"14 {last} Yard", phone=f"+7 701 {document[-6:]}", consent_given_on=datetime.date(2025, 1, 10),
        consent_scope="Social services", created_by=worker)
    CaseloadAssignment.objects.create(client=client, worker=worker, starts_on=datetime.date(2025, 1, 10),
                                      assigned_by=worker)
    case = Case.objects.create(client=client, org_unit=unit, status=Case.Status.ACTIVE, opened_by=worker,
                               responsible=worker)
    plan = Plan.objects.create(case=case, status=Decision.APPROVED, goals=f"Keep {first} living at home",
                               starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 7, 5),
                               responsible=worker, created_by=worker)
    service = ServiceKind.objects.filter(is_active=True).order_by("pk").first()
    item = PlanService.objects.create(plan=plan, service=service, times=2, period=PlanService.Period.WEEK)
    referral = Referral.objects.create(
        case=case, client=client, from_unit=unit, to_external="Lakeside Day Centre", programme="Day care",
        notes=f"{first} would like company", respond_by=NOW + datetime.timedelta(days=7), sent_by=worker)
    visit = Visit.objects.create(client=client, worker=worker, org_unit=unit, planned_for=TODAY,
                                 status=Visit.Status.IN_PROGRESS, planned_minutes=45,
                                 checked_in_at=NOW - datetime.timedelta(minutes=20), created_by=worker)
    delivery = ServiceDelivery.objects.create(visit=visit, service=service, minutes=20)
    card = ClientCard.objects.create(client=client, version=1, issued_by=worker)
    membership = Membership.objects.get(user=worker, org_unit=unit)
    questionnaire = Questionnaire.objects.create(code=f"matrix-{document.lower()}", title=f"Survey {name}",
                                                 org_unit=unit)
    QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, source=b"",
                                                  form=MATRIX_FORM, languages=["en"])
    campaign, invitation = _survey_of(unit, client)
    activity = Activity.objects.create(org_unit=unit, kind=Activity.Kind.GROUP, title=f"{first}'s group",
                                       held_on=TODAY, starts_at=datetime.time(9), ends_at=datetime.time(10),
                                       place="Centre hall", created_by=worker)
    activity.facilitators.set([worker])
    attendance = Attendance.objects.create(activity=activity, client=client, method=Attendance.Method.CODE,
                                           recorded_by=worker)
    photo = ActivityPhoto.objects.create(activity=activity, image="activities/matrix-probe.jpg", width=1, height=1,
                                         clients_consented=True, uploaded_by=worker)
    return {"questionnaire": questionnaire, "campaign": campaign, "invitation": invitation, "activity": activity,
            "attendance": attendance, "photo": photo,
            "client": client, "case": case, "item": item, "referral": referral, "visit": visit, "delivery": delivery,
            "card": card, "worker": worker, "unit": unit, "membership": membership, "service": service}


def _survey_of(unit: OrgUnit, client: Client) -> tuple[Campaign, Invitation]:
    """A 6-monthly survey campaign of the client's unit: the client invited, one other client answered."""
    questionnaire, _new = Questionnaire.objects.get_or_create(
        code="matrix-survey", defaults={"title": "Matrix survey", "purpose": Questionnaire.Purpose.CLIENT_SURVEY})
    version, _new = QuestionnaireVersion.objects.get_or_create(questionnaire=questionnaire, number=1, defaults={
        "source": b"", "form": {"type": "survey", "children": [
            {"type": "select one", "name": "feels_important", "label": "Role grown?",
             "choices": [{"name": "yes", "label": "Yes"}, {"name": "no", "label": "No"}]}]}})
    campaign = Campaign.objects.create(version=version, org_unit=unit, kind=Campaign.Kind.SIX_MONTHLY,
                                       title="Matrix campaign", period_start=datetime.date(2025, 7, 1),
                                       period_end=datetime.date(2025, 12, 31), created_by=client.created_by,
                                       invited_at=NOW)
    invitation = Invitation.objects.create(campaign=campaign, client=client, position=0)
    return campaign, invitation


def build_targets(world) -> list[Target]:
    for name, value in vars(world).items():  # tree paths move as siblings are added: read them again
        if isinstance(value, OrgUnit):
            setattr(world, name, OrgUnit.objects.get(pk=value.pk))
    home = Target(
        "home",
        # Riverside Centre's Family Support (fiona), another institution (walt), the evaluator (no person
        # at all) and the administrator (structure and accounts, no client data).
        strangers=frozenset({"anonymous", "fiona", "walt", "eve", "adam"}),
        colleagues=frozenset({"bob"}),  # Home Care's other worker
        unit_strangers=frozenset({"anonymous", "fiona", "walt"}),
        unit_managers=frozenset({"adam"}),
        indicator_readers=frozenset({"heidi", "dora", "sam", "ann", "eve"}),
        objects=_client_with_everything(world, "home", world.home_care, world.alice, "Zemfira", "Quillstone",
                                        "MX771204"))
    family = Target(
        "family",
        # Home Care's people (another department), another institution, the evaluator and the administrator.
        strangers=frozenset({"anonymous", "alice", "bob", "heidi", "walt", "eve", "adam"}),
        unit_strangers=frozenset({"anonymous", "alice", "bob", "heidi", "walt"}),
        unit_managers=frozenset({"adam"}),
        indicator_readers=frozenset({"dora", "sam", "ann", "eve"}),
        objects=_client_with_everything(world, "family", world.family, world.fiona, "Oksana", "Thistlewood",
                                        "KT530918"))
    hill = Target(
        "hill",
        # Everyone of North and Riverside; only the country's analyst sees Hilltown's clients.
        strangers=EVERYONE - {"walt", "ann"},
        unit_strangers=frozenset({"anonymous", "alice", "bob", "heidi", "fiona", "dora", "sam", "adam"}),
        unit_managers=NOBODY,  # adam administers North only
        indicator_readers=frozenset({"ann", "eve"}),
        objects=_client_with_everything(world, "hill", world.hill_care, world.walt, "Vasilisa", "Brackenridge",
                                        "HB284467"))
    catalogue = Target(
        "catalogue",
        strangers=EVERYONE - {"adam"},  # the national catalogue is changed by administrators only
        objects={"service": ServiceKind.objects.filter(is_active=True).order_by("pk").last()})
    indicators = Target(
        "indicators",
        strangers=EVERYONE - {"sam"},  # the M&E specialist only (the evaluator and analyst read values elsewhere)
        objects={"indicator": Indicator.objects.get(code="IP1", version=1)})
    for target in (home, family, hill):
        target.objects["feedback"] = _feedback_about(target)
        target.objects["programme"] = _programme_of(target)
    return [home, family, hill, catalogue, indicators]


def _feedback_about(target: Target) -> Feedback:
    """The client's complaint about their department, waiting for an answer."""
    client = target.objects["client"]
    feedback = Feedback.objects.create(
        kind="complaint", category=FeedbackCategory.objects.get(code="waiting"), source="client", text="Matrix probe",
        client=client, org_unit=client.org_unit, responsible_unit=client.org_unit, received_on=TODAY,
        due_on=TODAY + datetime.timedelta(days=14), escalate_after=TODAY + datetime.timedelta(days=14),
        tracking_hash=f"matrix-{target.name}")
    FeedbackStep.objects.create(feedback=feedback, kind="received", at=NOW)
    return feedback


def _programme_of(target: Target) -> Programme:
    """A programme of the client's department: version 1 approved (with an evaluation), version 2 submitted."""
    unit, author = target.objects["unit"], target.objects["worker"]
    programme = Programme.objects.create(name=f"Programme of {unit.name}", org_unit=unit, created_by=author,
                                         stage=Programme.Stage.APPROVAL)
    approver = User.objects.get(username="root")
    for number, status in ((1, "approved"), (2, "submitted")):
        version = PlanVersion.objects.create(
            programme=programme, number=number, status=status, created_by=author, created_at=NOW,
            submitted_by=author, submitted_at=NOW, **({"approved_by": approver, "approved_at": NOW}
                                                      if status == "approved" else {}))
        goal = Goal.objects.create(version=version, text="Matrix goal")
        outcome = Outcome.objects.create(goal=goal, text="Matrix outcome")
        PlanIndicator.objects.create(outcome=outcome, indicator=Indicator.objects.get(code="IP1", version=1),
                                     method="Report", frequency="month", responsible="Head")
        ResourceItem.objects.create(version=version, kind="transport", item="Car")
    PlanEvaluation.objects.create(version=programme.versions.get(number=1), kind="interim", held_on=TODAY,
                                  findings="Matrix probe", recorded_by=approver, recorded_at=NOW)
    return programme


# --- The access table ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    kind: str | None = None  # the kind of object the URL names (see REFUSED); None: a page without one
    args: Callable[[Target], dict] | None = None  # the address's arguments for a target
    query: Callable[[Target], list[dict]] | None = None  # GET parameters naming the object (one request each)
    data: Callable[[Target], dict] | None = None  # POST data; else the page's own form, as its user sees it
    write: bool = False  # the page changes something: colleagues are refused too
    also: frozenset[str] = NOBODY  # refused by role even where they see the object (see ROLES)
    listing: bool = False  # answers every signed-in person, but must not show the object
    open_get: bool = False  # GET shows an empty form to anyone; POST with the object must be refused
    exempt: str = ""  # why the URL is not requested

    @property
    def in_request(self) -> bool:
        """The object travels in the query or the form, so "not a valid choice" (400) is a refusal too."""
        return self.args is None and self.kind is not None


def page(kind, args=None, **options) -> Row:
    return Row(kind=kind, args=args, **options)


def listing(kind=None, **options) -> Row:
    return Row(kind=kind, listing=True, **options)


def exempt(reason: str) -> Row:
    return Row(exempt=reason)


# Who may see an object in their reach but not do what the page does, by role (socmon.accounts.access).
ROLES = {
    "work on cases": frozenset({"dora", "sam", "ann"}),  # WORK_CASES: workers and heads only
    "decide on cases": frozenset({"alice", "dora", "sam", "ann"}),  # APPROVE_CASES: heads only
    "change clients": frozenset({"sam", "ann"}),  # REGISTER_CLIENTS: workers, heads, directors
    "read who opened a record": frozenset({"alice", "sam", "ann"}),  # heads and directors
    "issue and print cards": frozenset({"sam", "ann"}),  # those who serve the client
    "record a visit": frozenset({"heidi", "dora", "sam", "ann"}),  # the visit's own worker only
    "move a visit": frozenset({"alice", "dora", "sam", "ann"}),  # heads, never for their own visits
    "plan a worker's day": frozenset({"dora", "sam", "ann"}),  # the worker and their head
    "manage caseloads": frozenset({"alice", "dora", "sam", "ann"}),  # heads only
    "follow visits live": frozenset({"alice"}),  # heads, directors, specialists, analysts
    "check flags": frozenset({"alice", "bob", "fiona", "walt", "dora", "sam", "ann"}),  # heads of the department
    "record activities": frozenset({"dora", "sam", "ann"}),  # workers and heads of the department only
    "answer feedback": frozenset({"alice", "bob", "fiona", "walt", "ann"}),  # heads, directors, specialists
    "note feedback": frozenset({"sam", "ann"}),  # workers, heads and directors
    "run surveys": frozenset({"alice", "bob", "heidi", "fiona", "dora", "walt", "ann"}),  # the M&E specialist only
    "see survey campaigns": frozenset({"alice", "bob", "fiona", "walt"}),  # those who oversee the unit's clients
    "read survey results": frozenset({"alice", "bob", "fiona", "walt", "adam"}),  # REPORT_SURVEYS
    "answer for a client": frozenset({"ann"}),  # the client's workers, heads, directors and the M&E specialist
    "set indicator targets": frozenset({"heidi", "dora", "ann", "eve"}),  # MANAGE_INDICATORS: the M&E specialist
    "write programmes": frozenset({"heidi", "dora", "ann", "eve"}),  # MANAGE_INDICATORS: the M&E specialist
    "approve plans": frozenset({"heidi", "ann", "eve"}),  # APPROVE_PLANS: directors and M&E specialists
}
PK = {
    "client": lambda t: {"pk": t.client.pk},
    "client_pk": lambda t: {"client_pk": t.client.pk},
    "case": lambda t: {"pk": t.case.pk},
    "referral": lambda t: {"pk": t.referral.pk},
    "visit": lambda t: {"pk": t.visit.pk},
    "delivery": lambda t: {"pk": t.visit.pk, "delivery_pk": t.delivery.pk},
    "unit": lambda t: {"pk": t.unit.pk},
    "worker": lambda t: {"worker_pk": t.worker.pk},
}
VERSION = {"data": lambda t: {"version": t.case.version}}
REPORT = {"query": lambda t: [{"unit": t.unit.pk, "date_from": "2026-03-01", "date_to": TODAY.isoformat()}],
          "data": lambda t: {}}
OWN_ACCOUNT = "allauth: acts only on the signed-in person's own account (or on a key sent to them); no object"
RATING = ("public on purpose: the signed rating code in the address is the only authority and names no person "
          "(socmon/visits/tests/test_rating.py, test_tokens.py)")
FEEDBACK_PUBLIC = ("public on purpose: anyone may send feedback; a sender reaches only their own through its "
                   "unguessable tracking code or their card's rating code (socmon/feedback/tests/test_feedback.py)")
CAMPAIGN = {"pk": lambda t: {"pk": t.campaign.pk}, "invitation": lambda t: {"pk": t.invitation.pk}}
REFERRAL_LINK = ("public on purpose: the outside organisation's signed link is the only authority; it shows a client "
                 "code, never a name, and only for its own referral (socmon/cases/tests/test_referral_link.py)")

PROGRAMME = {"args": lambda t: {"pk": t.programme.pk}}
PROGRAMME_PART = lambda part: lambda t: {"pk": t.programme.pk, "part": part,  # noqa: E731
                                         "item_pk": t.programme.versions.get(number=2).resources.get().pk}
INDICATOR_UNIT = {"args": lambda t: {"code": "IP2"}, "query": lambda t: [{"unit": t.unit.pk}]}

ACCESS_TABLE: dict[str, Row] = {
    "home": listing(),
    "accessibility": exempt("a static page about accessibility: no object, no personal data"),
    "switch_language": exempt("changes the interface language of one's own session and account: no object"),
    "text_size": exempt("toggles large text in one's own browser: no object"),
    # Org structure and people.
    "orgs:tree": listing(),
    "orgs:unit": page("unit", PK["unit"]),
    "orgs:add_child": page("unit", PK["unit"], write=True),
    "orgs:edit": page("unit", PK["unit"], write=True),
    "orgs:move": page("unit", PK["unit"], write=True),
    "orgs:person_new": page("unit", PK["unit"], write=True),
    "orgs:membership_add": page("unit", PK["unit"], write=True),
    "orgs:membership_remove": page("membership", lambda t: {"pk": t.membership.pk}, write=True),
    "orgs:people": listing(),  # administrators only (403 for others); finds only people in reach (test_people_page)
    "orgs:password_reset": page("person", lambda t: {"pk": t.worker.pk}, write=True, data=lambda t: {}),
    # Clients and caseloads.
    "clients:list": listing("client", query=lambda t: [{"q": t.client.code}, {"q": t.client.last_name}]),
    "clients:mine": listing(),
    "clients:register": listing(),
    "clients:detail": page("client", PK["client"]),
    "clients:purpose": page("client", PK["client"]),
    "clients:edit": page("client", PK["client"], write=True, also=ROLES["change clients"]),
    "clients:application_new": page("client", PK["client"], write=True, also=ROLES["change clients"]),
    "clients:access_report": page("client", PK["client"], also=ROLES["read who opened a record"]),
    "clients:timeline": page("client", PK["client"]),
    "clients:caseloads": listing(),
    "clients:caseload": page("people", PK["unit"], also=ROLES["manage caseloads"]),
    "clients:caseload_assign": page("people", PK["unit"], write=True,
                                    data=lambda t: {"clients": [t.client.pk], "worker": t.worker.pk},
                                    also=ROLES["manage caseloads"]),
    "clients:caseload_handover": page("people", PK["unit"], write=True,
                                      data=lambda t: {"from_worker": t.worker.pk, "to_worker": t.worker.pk},
                                      also=ROLES["manage caseloads"]),
    # The national catalogue of services: no personal data; administrators change it.
    "catalogue:services": listing(),
    "catalogue:service_add": page("catalogue", write=True),
    "catalogue:service_edit": page("catalogue", lambda t: {"pk": t.service.pk}, write=True),
    # Cases and referrals.
    "cases:list": listing(),
    "cases:new": page("client", PK["client_pk"], write=True, also=ROLES["work on cases"]),
    "cases:detail": page("case", PK["case"]),
    "cases:assessment": page("case", PK["case"], write=True, also=ROLES["work on cases"]),
    "cases:assessment_submit": page("case", PK["case"], write=True, **VERSION, also=ROLES["work on cases"]),
    "cases:assessment_decide": page("case", PK["case"], write=True, also=ROLES["decide on cases"]),
    "cases:plan": page("case", PK["case"], write=True, also=ROLES["work on cases"]),
    "cases:plan_service_add": page("case", PK["case"], write=True, also=ROLES["work on cases"]),
    "cases:plan_service_remove": page("case", lambda t: {"pk": t.case.pk, "item_pk": t.item.pk}, write=True,
                                      data=lambda t: {}, also=ROLES["work on cases"]),
    "cases:plan_submit": page("case", PK["case"], write=True, **VERSION, also=ROLES["work on cases"]),
    "cases:plan_decide": page("case", PK["case"], write=True, also=ROLES["decide on cases"]),
    "cases:review_new": page("case", PK["case"], write=True, also=ROLES["work on cases"]),
    "cases:closure": page("case", PK["case"], write=True, also=ROLES["work on cases"]),
    "cases:closure_decide": page("case", PK["case"], write=True, also=ROLES["decide on cases"]),
    "cases:reopen": page("case", PK["case"], write=True, also=ROLES["work on cases"]),
    "cases:referral_new": page("case", PK["case"], write=True, also=ROLES["work on cases"]),
    "cases:referrals_inbox": listing(),
    "cases:referrals_outbox": listing(),
    "cases:referral": page("referral", PK["referral"]),
    "cases:referral_answer": page("referral", PK["referral"], write=True, also=ROLES["work on cases"]),
    "cases:referral_outcome": page("referral", PK["referral"], write=True, also=ROLES["work on cases"]),
    "cases:referral_link_issue": page("referral", PK["referral"], write=True, data=lambda t: {},
                                      also=ROLES["work on cases"]),
    # Home visits, cards, days, the live view and reports.
    "visits:check_in": page("card", open_get=True, write=True,
                            data=lambda t: {"code": tokens.check_in_short(t.card)}),
    # Without the card: the client's own caseload worker only, as a scanned check-in.
    "visits:check_in_without_card": page("visit", PK["client_pk"], write=True,
                                         data=lambda t: {"reason": "lost", "note": "Matrix probe"},
                                         also=ROLES["record a visit"]),
    "visits:visit": page("visit", PK["visit"]),
    "visits:record_service": page("visit", PK["visit"], write=True,
                                  data=lambda t: {"service": t.service.pk, "minutes": "30"},
                                  also=ROLES["record a visit"]),
    "visits:check_out": page("visit", PK["visit"], write=True, data=lambda t: {"notes": "Matrix probe"},
                             also=ROLES["record a visit"]),
    # Undoing mistakes: the visit's own worker while it is open (the matrix's visit is), the head after.
    "visits:cancel_visit": page("visit", PK["visit"], write=True, data=lambda t: {"reason": "Matrix probe"},
                                also=ROLES["record a visit"]),
    "visits:service_edit": page("visit", PK["delivery"], write=True,
                                data=lambda t: {"minutes": "25", "reason": "Matrix probe"},
                                also=ROLES["record a visit"]),
    "visits:service_remove": page("visit", PK["delivery"], write=True, data=lambda t: {},
                                  also=ROLES["record a visit"]),
    "visits:move_visit": page("visit", PK["visit"], write=True, also=ROLES["move a visit"]),
    "visits:cards_caseload": page("worker", open_get=True, data=lambda t: {"worker": t.worker.pk}),
    "visits:cards_without_card": listing(),  # prints only the signed-in worker's own clients
    "visits:card": page("card", PK["client_pk"]),
    "visits:card_issue": page("card", PK["client_pk"], write=True, data=lambda t: {},
                              also=ROLES["issue and print cards"]),
    "visits:card_pdf": page("card", PK["client_pk"], data=lambda t: {}, also=ROLES["issue and print cards"]),
    "visits:my_day": listing(),
    "visits:worker_day": page("worker", PK["worker"]),
    "visits:plan_day": page("worker", PK["worker"], write=True, data=lambda t: {"date": TODAY.isoformat()},
                            also=ROLES["plan a worker's day"]),
    "visits:add_visit": page("worker", PK["worker"], write=True, also=ROLES["plan a worker's day"]),
    "visits:live_index": listing(),
    "visits:live": page("people", lambda t: {"unit_pk": t.unit.pk}, also=ROLES["follow visits live"]),
    "visits:check_visit_flag": page("visit", lambda t: {"pk": t.visit.pk, "kind": "short"}, write=True,
                                    data=lambda t: {"comment": "Matrix probe"}, also=ROLES["check flags"]),
    "visits:check_worker_flag": page("worker", lambda t: {"worker_pk": t.worker.pk, "kind": "top_ratings"},
                                     write=True, data=lambda t: {"comment": "Matrix probe"},
                                     also=ROLES["check flags"]),
    "visits:report": page("unit", **REPORT),
    "visits:report_export": page("unit", **REPORT),
    # Activities (issue 9): the department's workers and head record them; the chain above reads them.
    "activities:list": listing(),
    "activities:export": listing(),
    "activities:new": listing(),  # one's own departments only: another unit is not a valid choice
    "activities:summary": page("unit", query=lambda t: [{"unit": t.unit.pk, "month": TODAY.strftime("%Y-%m")}],
                               data=lambda t: {}),
    "activities:detail": page("activity", lambda t: {"pk": t.activity.pk}),
    # Correcting and removing: the department's workers and head, as for recording.
    "activities:edit": page("activity", lambda t: {"pk": t.activity.pk}, write=True,
                            also=ROLES["record activities"]),
    "activities:remove": page("activity", lambda t: {"pk": t.activity.pk}, write=True, data=lambda t: {},
                              also=ROLES["record activities"]),
    "activities:attend": page("activity", lambda t: {"pk": t.activity.pk}, write=True,
                              data=lambda t: {"code": t.client.code}, also=ROLES["record activities"]),
    "activities:attend_pick": page("activity", lambda t: {"pk": t.activity.pk}, write=True,
                                   data=lambda t: {"client": t.client.pk}, also=ROLES["record activities"]),
    "activities:attendance_remove": page("activity", lambda t: {"pk": t.activity.pk,
                                                                "attendance_pk": t.attendance.pk},
                                         write=True, data=lambda t: {}, also=ROLES["record activities"]),
    "activities:others": page("activity", lambda t: {"pk": t.activity.pk}, write=True,
                              data=lambda t: {"count": "2", "category": "Matrix probe"},
                              also=ROLES["record activities"]),
    "activities:photo_upload": page("activity", lambda t: {"pk": t.activity.pk}, write=True,
                                    data=lambda t: {"clients_consented": "on"}, also=ROLES["record activities"]),
    "activities:photo": page("activity", lambda t: {"pk": t.activity.pk, "photo_pk": t.photo.pk}),
    # Survey campaigns, invitations, slips, results and exports.
    "surveys:campaigns": listing(),
    "surveys:mine": listing(),
    "surveys:campaign_new": page("people", lambda t: {"unit_pk": t.unit.pk}, write=True, also=ROLES["run surveys"]),
    "surveys:campaign": page("people", CAMPAIGN["pk"], also=ROLES["see survey campaigns"]),
    "surveys:campaign_invite": page("people", CAMPAIGN["pk"], write=True, data=lambda t: {},
                                    also=ROLES["run surveys"]),
    "surveys:campaign_close": page("people", CAMPAIGN["pk"], write=True, data=lambda t: {},
                                   also=ROLES["run surveys"]),
    "surveys:slips": page("people", CAMPAIGN["pk"], also=ROLES["see survey campaigns"]),
    # The evaluator reads the results with small counts hidden (no client code on the page).
    "surveys:results": page("unit", CAMPAIGN["pk"], also=ROLES["read survey results"]),
    "surveys:export_xlsx": page("people", CAMPAIGN["pk"], also=ROLES["see survey campaigns"]),
    "surveys:export_csv": page("people", CAMPAIGN["pk"], also=ROLES["see survey campaigns"]),
    "surveys:invitation": page("visit", CAMPAIGN["invitation"]),
    "surveys:invitation_mode": page("visit", CAMPAIGN["invitation"], write=True, data=lambda t: {"mode": "phone"},
                                    also=ROLES["answer for a client"]),
    "surveys:invitation_decline": page("visit", CAMPAIGN["invitation"], write=True,
                                       data=lambda t: {"reason": "Matrix probe"}, also=ROLES["answer for a client"]),
    "rating:enter": exempt(RATING),
    "rating:thanks": exempt(RATING),
    "rating:rate": exempt(RATING),
    # Questionnaires (XLSForms), their versions and interviews.
    "surveys:questionnaires": listing(),
    "surveys:questionnaire_new": listing(),  # specialists only (403 for others); units from their own reach
    "surveys:questionnaire": page("questionnaire", lambda t: {"pk": t.questionnaire.pk}),
    "surveys:questionnaire_changes": page("questionnaire", lambda t: {"pk": t.questionnaire.pk}),
    "surveys:version_upload": page("questionnaire", lambda t: {"pk": t.questionnaire.pk}, write=True),
    "surveys:interview": page("invitation", lambda t: {"pk": t.invitation.pk}, write=True,
                              also=ROLES["work on cases"]),
    "survey:answer": exempt("public on purpose: the invitation's random nonce in the address is the only authority; "
                            "the page shows the questionnaire, never a name (socmon/surveys/tests/test_answer.py)"),
    "survey:thanks": exempt("a thank-you text in the chosen language: no object, no personal data"),
    # Feedback.
    "feedback:list": listing(),
    "feedback:new": page("feedback_unit", open_get=True, write=True, also=ROLES["note feedback"],
                         data=lambda t: {"channel": "phone", "kind": "thanks", "org_unit": t.unit.pk,
                                         "category": FeedbackCategory.objects.get(code="other").pk,
                                         "text": "Matrix probe"}),
    "feedback:detail": page("feedback", lambda t: {"pk": t.feedback.pk}, also=ROLES["answer feedback"]),
    "feedback:answer": page("feedback", lambda t: {"pk": t.feedback.pk}, write=True, also=ROLES["answer feedback"],
                            data=lambda t: {"answer": "Matrix probe", "channel": "web"}),
    "feedback:extend": page("feedback", lambda t: {"pk": t.feedback.pk}, write=True, also=ROLES["answer feedback"],
                            data=lambda t: {"extend-reason": "Matrix probe"}),
    "feedback:escalate": page("feedback", lambda t: {"pk": t.feedback.pk}, write=True,
                              also=ROLES["answer feedback"], data=lambda t: {"escalate-reason": "Matrix probe"}),
    "feedback:close": page("feedback", lambda t: {"pk": t.feedback.pk}, write=True, also=ROLES["answer feedback"],
                           data=lambda t: {}),
    "feedback:confirm_for_client": page("client", lambda t: {"client_pk": t.client.pk, "pk": t.feedback.pk},
                                        write=True, data=lambda t: {}, also=ROLES["change clients"]),
    "feedback_public:send": exempt(FEEDBACK_PUBLIC),
    "feedback_public:track_enter": exempt(FEEDBACK_PUBLIC),
    "feedback_public:track": exempt(FEEDBACK_PUBLIC),
    "feedback_public:code_enter": exempt(FEEDBACK_PUBLIC),
    "feedback_public:client": exempt(FEEDBACK_PUBLIC),
    "referral_link:answer": exempt(REFERRAL_LINK),
    "referral_link:thanks": exempt(REFERRAL_LINK),
    # Indicators (issue 10): the catalogue is the same for every reader; values of a unit in reach only (the
    # evaluator's protected); targets by the M&E specialist within reach.
    "indicators:catalogue": listing(),
    "indicators:detail": page("indicators", **INDICATOR_UNIT),
    "indicators:dashboard": page("indicators", query=lambda t: [{"unit": t.unit.pk}]),
    "indicators:export_xlsx": page("indicators", **INDICATOR_UNIT),
    "indicators:export_csv": page("indicators", **INDICATOR_UNIT),
    "indicators:targets": page("indicators", **INDICATOR_UNIT, write=True, also=ROLES["set indicator targets"],
                               data=lambda t: {"org_unit": t.unit.pk, "period": "2026", "member": "",
                                               "target": "5"}),
    # The custom-indicator builder (issue 10): definitions, new ones, new versions and retirements.
    "indicators_custom:list": page("indicator"),
    "indicators_custom:new": page("indicator", write=True),
    "indicators_custom:replace": page("indicator", lambda t: {"code": t.indicator.code}, write=True),
    "indicators_custom:retire": page("indicator", lambda t: {"code": t.indicator.code}, write=True),
    # Programmes and M&E plans (issue 11): read within VIEW_INDICATORS' reach, written by the M&E specialist,
    # approved by a director or specialist of the owning tree (never by the version's author).
    "programmes:list": listing(),
    "programmes:new": page("programme", open_get=True, write=True, also=ROLES["write programmes"],
                           data=lambda t: {"org_unit": t.unit.pk, "name": "Matrix probe", "stage": "design",
                                           "basis": "contract"}),
    "programmes:detail": page("programme", **PROGRAMME),
    "programmes:dashboard": page("programme", **PROGRAMME),
    "programmes:stage": page("programme", **PROGRAMME, write=True, also=ROLES["write programmes"],
                             data=lambda t: {"stage": "evaluation"}),
    "programmes:plan_start": page("programme", **PROGRAMME, write=True, data=lambda t: {},
                                  also=ROLES["write programmes"]),
    "programmes:plan_edit": page("programme", **PROGRAMME, write=True, also=ROLES["write programmes"]),
    "programmes:plan_add": page("programme", lambda t: {"pk": t.programme.pk, "part": "goal"}, write=True,
                                data=lambda t: {"goal-text": "Matrix probe"}, also=ROLES["write programmes"]),
    "programmes:plan_remove": page("programme", PROGRAMME_PART("resource"), write=True, data=lambda t: {},
                                   also=ROLES["write programmes"]),
    "programmes:resource_edit": page("programme", lambda t: {"pk": t.programme.pk,
                                                             "item_pk": PROGRAMME_PART("")(t)["item_pk"]},
                                     write=True, data=lambda t: {"status": "missing"},
                                     also=ROLES["write programmes"]),
    "programmes:plan_submit": page("programme", **PROGRAMME, write=True, data=lambda t: {},
                                   also=ROLES["write programmes"]),
    "programmes:plan_decide": page("programme", **PROGRAMME, write=True, data=lambda t: {"decision": "approve"},
                                   also=ROLES["approve plans"]),
    "programmes:compare": page("programme", **PROGRAMME),
    "programmes:version": page("programme", lambda t: {"pk": t.programme.pk, "number": 1}),
    "programmes:evaluation_new": page("programme", lambda t: {"pk": t.programme.pk, "number": 1}, write=True,
                                      also=ROLES["write programmes"],
                                      data=lambda t: {"kind": "final", "held_on": TODAY.isoformat(),
                                                      "findings": "Matrix probe"}),
}
# allauth's pages depend on its settings (features switched on or off): their rows may outlive a page.
ALLAUTH_TABLE: dict[str, Row] = {name: exempt(OWN_ACCOUNT) for name in (
    "account_login", "account_logout", "account_inactive", "account_signup", "account_reauthenticate",
    "account_email", "account_email_verification_sent", "account_change_password", "account_set_password",
    "account_reset_password", "account_confirm_login_code", "account_confirm_email",
    "account_reset_password_from_key_done", "account_reset_password_from_key", "account_reset_password_done",
    "mfa_index", "mfa_authenticate", "mfa_reauthenticate", "mfa_activate_totp", "mfa_deactivate_totp",
    "mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_download_recovery_codes")}
# The admin site is for staff only and no persona is staff: every page of it sends them to its sign-in.
ADMIN_EXEMPT = {
    "admin:login": "the admin's sign-in page itself",
    "admin:logout": "signs the person out of their own session: no object",
    "admin:javascript-catalog": "treebeard's translations for its tree widget: public strings, no data",
}
# Staff status is what the admin checks: the administrator, a worker, the evaluator and someone signed out.
ADMIN_PERSONAS = ("anonymous", "adam", "walt", "eve")

# Known leaks whose fix has not landed yet: (URL name, persona) → the fix. Each must still fail here; once the
# fix lands the test says so, and the entry goes. Empty: keep it that way.
PENDING: dict[tuple[str, str], str] = {}


def row_for(name: str) -> Row:
    if name in ACCESS_TABLE:
        return ACCESS_TABLE[name]
    if name in ALLAUTH_TABLE:
        return ALLAUTH_TABLE[name]
    if name.startswith("admin:"):
        return exempt(ADMIN_EXEMPT[name]) if name in ADMIN_EXEMPT else Row(kind="admin")
    raise KeyError(name)


# --- The URL configuration -----------------------------------------------------------------------------------


def url_patterns(patterns=None, namespace: str = "") -> list[tuple[str, object]]:
    """(name, pattern) of every URL pattern, through includes and namespaces; unnamed ones as "(unnamed) …"."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += [(name, p) for name, p in url_patterns(pattern.url_patterns, inner)]
        elif pattern.name:
            found.append((f"{namespace}{pattern.name}", pattern))
        elif not namespace.startswith("admin:"):  # the admin's catch-all answers like its other pages
            found.append((f"(unnamed) {namespace}{pattern.pattern}", pattern))
    return found


URL_NAMES = sorted({name for name, _pattern in url_patterns()})
CHECKED = [name for name in URL_NAMES
           if (name in ACCESS_TABLE or name.startswith("admin:")) and not row_for(name).exempt]

# --- Requests and checks -------------------------------------------------------------------------------------

WATCHED = [Client, CaseloadAssignment, Application, ClientAccessLog, Case, CaseEvent, Assessment, Plan, PlanService,
           Review, Referral, Visit, ServiceDelivery, Rating, ClientCard, OrgUnit, Membership, User, ServiceKind,
           FlagCheck, Activity, Attendance, OtherParticipants, ActivityPhoto, AuditEvent, Feedback, FeedbackStep,
           Campaign, Invitation, SurveyResponse, IndicatorTarget, Indicator, Programme, PlanVersion, Goal, Outcome,
           PlanIndicator, ResourceItem, PlanEvaluation]


def counts() -> tuple:
    """Row counts of the main tables, in one query (every service also writes an audit event)."""
    tables = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})" for m in WATCHED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {tables}")
        return tuple(cursor.fetchone())


def state(targets: list[Target]) -> dict:
    """Every target object as stored, and the accounts."""
    found = {}
    for key, model in (("client", Client), ("case", Case), ("referral", Referral), ("visit", Visit),
                       ("card", ClientCard), ("unit", OrgUnit), ("membership", Membership), ("service", ServiceKind),
                       ("questionnaire", Questionnaire), ("invitation", Invitation), ("feedback", Feedback),
                       ("indicator", Indicator)):
        pks = [t.objects[key].pk for t in targets if key in t.objects]
        found[key] = list(model.objects.filter(pk__in=pks).order_by("pk").values_list())
    found["accounts"] = list(User.objects.order_by("pk").values_list(
        "pk", "username", "first_name", "last_name", "is_active", "is_staff", "is_superuser", "password"))
    return found


class FormFields(HTMLParser):
    """The fields of a page's POST forms, each with a plausible value: what the page shows, the first choice
    of a list, today's date for a date, a small number for a number, else a line of text."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self.in_post = False
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.in_post = a.get("method", "").lower() == "post"
        if tag == "option" and self.select and a.get("value"):
            self.data.setdefault(self.select, a["value"])
        name = a.get("name")
        if not self.in_post or not name or name == "csrfmiddlewaretoken":
            return
        kind = a.get("type", "text")
        if tag == "input" and kind in ("radio", "checkbox"):
            self.data.setdefault(name, a.get("value") or "on")
        elif tag == "input" and kind not in ("submit", "button", "file", "image", "reset"):
            self.data.setdefault(name, a.get("value") or plausible(name, kind))
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.data.setdefault(name, "Matrix probe")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post = False
        elif tag == "select":
            self.select = None


PLAUSIBLE = {"latitude": "43.25", "longitude": "76.95", "phone": "+7 700 123 45 67", "code": "matrix-probe",
             "username": "matrix-probe", "password": "a-long-matrix-probe-passphrase", "window_start": "10:00",
             "window_end": "11:00"}


def plausible(name: str, kind: str) -> str:
    if any(word in name for word in PLAUSIBLE):
        return next(value for word, value in PLAUSIBLE.items() if word in name)
    if kind == "date" or "date" in name or name.endswith(("_on", "_from", "_to", "_for")):
        return TODAY.isoformat()
    if kind == "time":
        return "10:00"
    if kind == "number" or any(word in name for word in ("minutes", "times", "score", "version")):
        return "2"
    return "Matrix probe"


class Matrix:
    """The signed-in personas, the targets, and a count of the requests made."""

    def __init__(self, world, targets: list[Target]):
        self.targets = targets
        self.browsers = {"anonymous": Browser(), "root": Browser()}
        for name in PERSONAS[1:] + ("root",):
            self.browsers[name] = Browser()
            self.browsers[name].force_login(getattr(world, name), backend=ALLAUTH_BACKEND)
        self.requests = 0
        self.last_names = {name: getattr(world, name).last_name for name in PERSONAS[1:]}
        self._forms: dict[str, dict] = {}

    def people_hidden_from(self, persona: str) -> list[str]:
        """Names of the staff that `persona` may not see at all (the evaluator sees no person)."""
        if persona not in SEES_NO_PEOPLE:
            return []
        return [last for name, last in self.last_names.items() if name != persona]

    def targets_for(self, kind: str) -> list[Target]:
        if kind in NATIONAL:
            return [t for t in self.targets if t.name == NATIONAL[kind]]
        return [t for t in self.targets if t.name not in NATIONAL.values()]

    def form_of(self, url: str) -> dict:
        """The page's POST form as root (a superuser) sees it."""
        if url not in self._forms:
            response = self.browsers["root"].get(url)
            fields = FormFields()
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                fields.feed(response.content.decode())
            self._forms[url] = fields.data
        return self._forms[url]

    def request(self, persona: str, method: str, url: str, data: dict):
        self.requests += 1
        browser = self.browsers[persona]
        return browser.get(url, data) if method == "GET" else browser.post(url, data)


def refusal_problem(response, *, persona: str, row: Row, login_url: str) -> str | None:
    status = response.status_code
    if status == 405 or status in (403, 404) or (status == 400 and row.in_request):
        return None
    signing_in = status == 302 and response["Location"].startswith(login_url)
    if signing_in and (persona == "anonymous" or row.kind == "admin"):
        return None
    where = f" to {response['Location']}" if status in (301, 302, 303) else ""
    return f"answered {status}{where}"


def shown(response, secrets: list[str], url: str, sent: dict) -> list[str]:
    """The secrets in the response, except those the request itself sent (a search box shows its query)."""
    if getattr(response, "streaming", False):
        return []
    body = response.content.decode(errors="replace").casefold()
    query = [v for values in parse_qs(urlsplit(url).query).values() for v in values]
    echoed = {str(v).casefold() for v in [*sent.values(), *query]}
    return [s for s in secrets if s and s.casefold() not in echoed and s.casefold() in body]


def probe(matrix: Matrix, name: str, row: Row) -> list[tuple[str, str]]:
    """Every refused persona × target × method for one URL: (persona, problem in words) for each problem."""
    problems = []
    planned = list(requests_for(matrix, name, row))  # first, as root reads the forms (and is logged reading)
    baseline, before = counts(), state(matrix.targets)
    login_url = reverse("admin:login") if row.kind == "admin" else reverse(settings.LOGIN_URL)
    for persona, target, url, method, data, secrets, check_status in planned:
        what = f"{method} {url} as {persona}" + (f" ({target.name}'s)" if target else "")
        try:
            response = matrix.request(persona, method, url, data)
        except Exception as error:  # a 500: the test client raises the view's exception
            problems.append((persona, f"{what}: raised {type(error).__name__}: {error}"))
            continue
        if check_status and (problem := refusal_problem(response, persona=persona, row=row, login_url=login_url)):
            problems.append((persona, f"{what}: {problem}"))
        if response.status_code >= 500:
            problems.append((persona, f"{what}: answered {response.status_code}"))
        if leaked := shown(response, secrets, url, data):
            problems.append((persona, f"{what}: shows {', '.join(leaked)}"))
        if (after := counts()) != baseline:
            problems.append((persona, f"{what}: wrote to the database"))
            baseline = after
    changed = [key for key, rows in state(matrix.targets).items() if rows != before[key]]
    if changed:
        problems.append(("*", f"{name}: the requests changed these objects: {', '.join(changed)}"))
    return problems


def requests_for(matrix: Matrix, name: str, row: Row):
    """(persona, target, url, method, data, secrets, check_status) for every request the row asks for."""
    if row.kind == "admin":
        yield from admin_requests(matrix, name)
        return
    if row.kind is None:  # a page without an object: show nobody the persona may not see
        for persona in PERSONAS:
            secrets = [s for t in matrix.targets if persona in REFUSED["client"](t, False) for s in t.secrets()]
            secrets += matrix.people_hidden_from(persona)
            for method in ("GET", "POST"):  # someone signed out is sent to sign in
                yield persona, None, reverse(name), method, {}, secrets, persona == "anonymous"
        return
    for target in matrix.targets_for(row.kind):
        path = reverse(name, kwargs=row.args(target) if row.args else None)
        for query in row.query(target) if row.query else [{}]:
            # The object named in the query stays in the address for a POST too.
            url = f"{path}?{urlencode(query)}" if query else path
            form = row.data(target) if row.data else matrix.form_of(url)
            refused = REFUSED[row.kind](target, row.write) | row.also
            for persona in sorted(refused):
                for method in ("GET", "POST"):
                    answers = row.listing or (row.open_get and method == "GET")
                    check = persona == "anonymous" or not answers
                    data = {} if method == "GET" else form
                    secrets = target.secrets() + matrix.people_hidden_from(persona)
                    yield persona, target, url, method, data, secrets, check
            # Who may open the page but see no person there (the evaluator on a unit's page or report).
            for persona in sorted(SEES_NO_PEOPLE - refused):
                yield persona, target, url, "GET", {}, target.secrets() + matrix.people_hidden_from(persona), False


def admin_requests(matrix: Matrix, name: str):
    pattern = dict(url_patterns())[name]
    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        if key == "app_label":
            kwargs[key] = pattern.pattern.regex.pattern.split("(?P<app_label>")[1].split(")")[0].split("|")[0]
        else:
            kwargs[key] = "1"
    url = reverse(name, kwargs=kwargs)
    secrets = [s for t in matrix.targets for s in t.secrets()]
    for persona in ADMIN_PERSONAS:
        for method in ("GET", "POST"):
            yield persona, None, url, method, {}, secrets, True


# --- The tests -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """One world for the whole module, at a fixed time, rolled back at the end."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with time_machine.travel(NOW, tick=False), fast, django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        matrix = Matrix(world, build_targets(world))
        home = matrix.targets[0]
        # bob covers for alice: he states a purpose once, as the break-glass page asks.
        stated = matrix.browsers["bob"].post(reverse("clients:purpose", args=[home.client.pk]),
                                             {"purpose": "Covering Alice's visits during her leave"})
        assert stated.status_code == 302, "bob could not state a purpose for alice's client"
        yield matrix
        transaction.set_rollback(True)


def test_every_url_has_a_row_in_the_access_table():
    missing = [name for name in URL_NAMES
               if name not in ACCESS_TABLE and name not in ALLAUTH_TABLE and not name.startswith("admin:")]
    assert not missing, (
        "These URLs have no row in ACCESS_TABLE (socmon/tests/test_access_matrix.py): "
        + ", ".join(missing) + ". Add a row naming the kind of object each address names and how to build it "
        "for a target, or exempt(…) with the reason it needs no check. Name every URL pattern.")


def test_every_row_of_the_access_table_names_a_url():
    stale = sorted(set(ACCESS_TABLE) - set(URL_NAMES))
    assert not stale, f"These rows of ACCESS_TABLE name no URL any more: remove them: {', '.join(stale)}"


@pytest.mark.django_db  # also tells pytest-django to create the test database for the module's world
@pytest.mark.parametrize("name", CHECKED)
def test_no_persona_reaches_what_it_must_not_see(matrix, name, record_property):
    before = matrix.requests
    with time_machine.travel(NOW, tick=False):  # the module's moment, whatever clock the suite set for tests
        problems = probe(matrix, name, row_for(name))
    record_property(MATRIX_REQUESTS, matrix.requests - before)
    pending = {persona for (url, persona) in PENDING if url == name}
    found = [problem for persona, problem in problems if persona not in pending | ({"*"} if pending else set())]
    assert not found, f"{name}: {len(found)} problems in {matrix.requests - before} requests:\n" + "\n".join(found)
    fixed = sorted(pending - {persona for persona, _problem in problems})
    assert not fixed, f"{name} now refuses {', '.join(fixed)}: remove them from PENDING"

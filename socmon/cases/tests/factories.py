"""Small builders for case tests. Codes are prefixed `cases-test-` so they never clash with seeded data."""

import datetime

from django.utils import timezone

from socmon.catalogue.models import ClientCategory, ServiceKind
from socmon.clients.models import CaseloadAssignment, Client

from .. import services
from ..models import Assessment, Case

SCORES = {domain: (2, "") for domain in Assessment.Domain.values}


def category() -> ClientCategory:
    return ClientCategory.objects.get_or_create(code="cases-test-elderly", defaults={"name": "Older person"})[0]


def service(code: str = "home-help", name: str = "Help at home", minutes: int = 60) -> ServiceKind:
    return ServiceKind.objects.get_or_create(
        code=f"cases-test-{code}",
        defaults={"name": name, "domain": ServiceKind.Domain.HOUSEHOLD, "norm_minutes": minutes})[0]


def client(world, *, worker=None, unit=None, first_name: str = "Galina", last_name: str = "Petrova") -> Client:
    """A client of Home Care (or `unit`), on `worker`'s caseload when given."""
    person = Client.objects.create(
        org_unit=unit or world.home_care, first_name=first_name, last_name=last_name,
        birth_date=datetime.date(1948, 3, 14), sex=Client.Sex.FEMALE, category=category(),
        address="12 River Street", consent_given_on=datetime.date(2025, 1, 10), consent_scope="Social services",
        created_by=world.heidi)
    if worker is not None:
        CaseloadAssignment.objects.create(client=person, worker=worker, starts_on=timezone.localdate(),
                                          assigned_by=world.heidi)
    # Reloaded with its unit, as views load it.
    return Client.objects.select_related("org_unit").get(pk=person.pk)


def case_in(world, stage: str, *, worker=None) -> Case:
    """A case of a fresh client on alice's caseload, brought to `stage` through the services."""
    worker = worker or world.alice
    case = services.open_case(by=worker, client=client(world, worker=worker))
    steps = ["assessed", "assessment_submitted", "planning", "planned", "plan_submitted", "active",
             "closure_proposed", "closed"]
    for step in steps[: steps.index(stage) + 1] if stage != "assessment" else []:
        _STEPS[step](world, case, worker)
        case.refresh_from_db()
    return case


def _plan(world, case, worker):
    today = timezone.localdate()
    services.save_plan(by=worker, case=case, goals="Keep living at home safely", starts_on=today,
                       ends_on=today + datetime.timedelta(days=180), responsible=worker)
    services.add_plan_service(by=worker, case=case, service=service(), times=2, period="week")


_STEPS = {
    "assessed": lambda w, c, u: services.save_assessment(by=u, case=c, summary="Needs help at home", scores=SCORES),
    "assessment_submitted": lambda w, c, u: services.submit_assessment(by=u, case=c, version=c.version),
    "planning": lambda w, c, u: services.decide_assessment(by=w.heidi, case=c, version=c.version, approve=True),
    "planned": _plan,
    "plan_submitted": lambda w, c, u: services.submit_plan(by=u, case=c, version=c.version),
    "active": lambda w, c, u: services.decide_plan(by=w.heidi, case=c, version=c.version, approve=True),
    "closure_proposed": lambda w, c, u: services.propose_closure(
        by=u, case=c, version=c.version, reason="goals_achieved", outcome="Lives independently"),
    "closed": lambda w, c, u: services.decide_closure(by=w.heidi, case=c, version=c.version, approve=True),
}


def assessment_post(**overrides) -> dict:
    data = {f"score_{d}": "2" for d in Assessment.Domain.values}
    data.update({f"notes_{d}": "" for d in Assessment.Domain.values})
    data["summary"] = "Needs help with shopping and cleaning"
    data.update(overrides)
    return data

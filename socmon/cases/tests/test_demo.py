"""The demo builder: cases in every state for the demo head, a case returned to the worker, an overdue
referral and referrals of several kinds of programme, or nothing without demo clients."""

import pytest
from django.utils import timezone

from socmon.cases.models import Case, Referral
from socmon.cases.selectors import cases_returned_to
from socmon.demo import cases as demo_cases
from socmon.demo.world import build_world
from socmon.orgs.models import OrgUnit

from . import factories

pytestmark = pytest.mark.django_db


def test_without_clients_the_demo_adds_no_cases():
    build_world()
    demo_cases.build()
    assert not Case.objects.exists()


def test_the_demo_has_cases_in_every_state_and_decisions_for_the_head():
    build_world()
    home_care = OrgUnit.objects.get(code=demo_cases.HOME_CARE)

    class Persona:  # factories.client wants world.heidi as the registering person
        heidi = home_care.memberships.get(role="head").user

    worker = home_care.memberships.get(user__username="worker").user
    for n in range(len(demo_cases.STAGES)):  # on the worker's caseload: a stated purpose never opens a write
        factories.client(Persona, unit=home_care, worker=worker, first_name=f"Person{n}")
    demo_cases.build()
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert set(Case.objects.exclude(awaiting_approval="").values_list("awaiting_approval", flat=True)) == {
        "assessment", "plan", "closure"}
    referral = Referral.objects.get(to_unit__isnull=False)
    assert referral.is_urgent and referral.to_unit.code == demo_cases.FAMILY_SUPPORT
    outside = Referral.objects.filter(to_unit__isnull=True, status="sent")
    assert outside and all(r.link_nonce for r in outside)  # the referral page shows its link
    # IR1 has something to count: a housing programme the person joined, and a legal aid referral waiting.
    assert Referral.objects.filter(programme_kind="housing", joined=True).exists()
    assert outside.filter(programme_kind="legal").exists()
    now = timezone.now()
    assert [r.to_external for r in outside if r.is_overdue_at(now)] == ["Talgar Volunteers' Society"]
    returned = cases_returned_to(worker)
    assert len(returned) == 1 and "Say who helps with shopping" in str(returned[0].return_detail)

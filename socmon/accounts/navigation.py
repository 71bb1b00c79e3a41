"""The service menu. Each capability adds its own entry here when it ships."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .access import (
    ANSWER_FEEDBACK,
    CONDUCT_SURVEYS,
    DO_VISITS,
    FOLLOW_VISITS,
    MANAGE_CASELOAD,
    MANAGE_ORG,
    REPORT_SURVEYS,
    REPORT_VISITS,
    VIEW_ACTIVITIES,
    VIEW_CLIENTS,
    VIEW_INDICATORS,
    VIEW_ORG,
    VIEW_SURVEYS,
    WORK_CASES,
    has_capability,
)


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    capability: str | None = None  # None: every signed-in person


NAV_ITEMS: list[NavItem] = [
    NavItem("home", _("Home")),
    NavItem("orgs:tree", _("Organisation"), VIEW_ORG),
    NavItem("clients:list", _("Clients"), VIEW_CLIENTS),
    NavItem("clients:caseloads", _("Caseloads"), MANAGE_CASELOAD),
    # Everyone who may see clients may read their cases; working on them is checked per case.
    NavItem("cases:list", _("Cases"), VIEW_CLIENTS),
    NavItem("cases:referrals_inbox", _("Referrals"), WORK_CASES),
    NavItem("visits:my_day", _("My day"), DO_VISITS),
    NavItem("visits:live_index", _("Live visits"), FOLLOW_VISITS),
    NavItem("visits:report", _("Visit reports"), REPORT_VISITS),
    NavItem("activities:list", _("Activities"), VIEW_ACTIVITIES),
    NavItem("surveys:questionnaires", _("Questionnaires"), VIEW_SURVEYS),
    NavItem("feedback:list", _("Feedback"), ANSWER_FEEDBACK),
    # Campaigns for those who run or read surveys; a worker's own clients' invitations are under "mine".
    NavItem("surveys:campaigns", _("Surveys"), REPORT_SURVEYS),
    NavItem("surveys:mine", _("My clients' surveys"), CONDUCT_SURVEYS),
    NavItem("indicators:catalogue", _("Indicators"), VIEW_INDICATORS),
    NavItem("programmes:list", _("Programmes"), VIEW_INDICATORS),
    # Everyone can read the catalogue from the home page; only administrators need it in the menu.
    NavItem("catalogue:services", _("Services"), MANAGE_ORG),
]


def nav_items_for(request) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if item.capability and not has_capability(request.user, item.capability):
            continue
        url = reverse(item.url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": item.label, "active": active})
    # Only the most specific match is current: /clients/caseloads/ is "Caseloads", not also "Clients".
    longest = max((len(i["url"]) for i in items if i["active"]), default=0)
    for i in items:
        i["active"] = i["active"] and len(i["url"]) == longest
    return items

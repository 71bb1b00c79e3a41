"""Who may see and change the catalogue. It holds no personal data: every signed-in person sees it;
administrators (MANAGE_ORG) and superusers change it. It is shared by the whole country."""

from socmon.accounts.access import MANAGE_ORG, has_capability


def may_manage_catalogue(user) -> bool:
    return has_capability(user, MANAGE_ORG)

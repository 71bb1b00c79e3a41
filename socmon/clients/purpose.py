"""A purpose stated once for a break-glass view holds for the rest of the session, per client."""

SESSION_KEY = "client_purposes"


def stated_purpose(request, client_pk: int) -> str:
    return request.session.get(SESSION_KEY, {}).get(str(client_pk), "")


def remember_purpose(request, client_pk: int, purpose: str) -> None:
    purposes = request.session.get(SESSION_KEY, {})
    purposes[str(client_pk)] = purpose
    request.session[SESSION_KEY] = purposes

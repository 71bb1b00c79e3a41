"""Every write about clients: atomic, by a named user, audited."""

from socmon.accounts.models import User

from .models import Client, ClientAccessLog


def log_client_view(*, by: User, client: Client, what: str, purpose: str = "") -> ClientAccessLog:
    """Record that `by` opened `what` ("client record", "case", …) of `client` (R-1.3)."""
    return ClientAccessLog.objects.create(user=by, client=client, what=what[:100], purpose=purpose[:300])

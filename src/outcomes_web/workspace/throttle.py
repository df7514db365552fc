"""Sign-in throttling (django-axes): who the client is behind the documented proxy, and two limits.

- **The client's address** (:func:`client_address`, ``AXES_CLIENT_IP_CALLABLE``). With
  ``OUTCOMES_PROXY_COUNT=N`` the site trusts exactly N proxies, each of which appends the address it
  saw to ``X-Forwarded-For`` (nginx: ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``,
  docs/deploy.md). The client is then the N-th entry from the right: anything to its left came from the
  client and is ignored, so a forged header buys nothing. A request with fewer entries than proxies did
  not come through them all (a health check on the app server itself, or a proxy without the header):
  it is counted by the address that reached the app, never as "no address", which would put every
  such visitor in one bucket and let one person lock everyone out.
- **Two limits** (:class:`ThrottleHandler`, ``AXES_HANDLER``): ``AXES_FAILURE_LIMIT`` failures for one
  user name from one address, and ``OUTCOMES_LOGIN_ACCOUNT_FAILURE_LIMIT`` (higher) for one user
  name from any addresses, both within the cool-off time. Failures while locked out are not counted
  (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``), so a lockout ends on time whatever
  anyone keeps trying. A correct sign-in clears the failures for that user name from that address
  only, so the real user signing in does not hand a guesser elsewhere a fresh count.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

log = logging.getLogger(__name__)
_warned = False


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The visitor's address as the outermost trusted proxy saw it (``REMOTE_ADDR`` with no proxy)."""
    global _warned
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "PROXY_COUNT", 0))
    if count <= 0:
        return remote
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) >= count and (address := _ip(chain[-count])):
        return address
    if not _warned:
        _warned = True
        log.warning("OUTCOMES_PROXY_COUNT=%s but a request reached the app with X-Forwarded-For %r: sign-in "
                    "throttling counts it by the address that reached the app (%s). If every request says so, "
                    "the proxy does not set the header (docs/deploy.md).", count,
                    request.META.get("HTTP_X_FORWARDED_FOR", ""), remote)
    return remote


def _failures(attempts: Any) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class ThrottleHandler(AxesDatabaseHandler):
    """axes' database handler with a second, higher limit per user name across addresses.

    ``AXES_LOCKOUT_PARAMETERS`` is ``[["username", "ip_address"], "username"]``; axes applies one limit
    to both, so this counts them apart: locked when the pair reaches ``AXES_FAILURE_LIMIT`` or the user
    name reaches ``ACCOUNT_FAILURE_LIMIT``.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        pair, account = (_failures(attempts) for attempts in self.get_user_attempts(request, credentials))
        if account >= settings.ACCOUNT_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """A correct sign-in (``AXES_RESET_ON_SUCCESS``) clears the failures of that user name *from that
        address* only: a guesser elsewhere keeps their count, for the address and for the account."""
        count, _ = self.filter_user_attempts(request, credentials)[0].delete()
        return int(count)

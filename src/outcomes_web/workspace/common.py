"""What the workspace views share: access decorators, the 403 page, form helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from outcomes_web.store import access


def forbidden(request: HttpRequest, message: str = "You do not have access to this page.") -> HttpResponse:
    return render(request, "workspace/forbidden.html", {"message": message}, status=403)


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a view behind one of the gates below (they send anonymous visitors to
    sign in first, so this refuses only a view that forgot its gate)."""
    user = request.user
    if isinstance(user, AnonymousUser):
        raise PermissionDenied("Sign in first.")
    return user


def _gate(test: Callable[[Any], bool], message: str) -> Callable[..., Any]:
    """Anonymous visitors are sent to sign in; signed-in users without the role get a 403 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                return forbidden(request, message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


internal_required = _gate(access.is_internal, "Your account has no role in the workspace yet: ask the "
                          "performance team to give you one.")
manager_required = _gate(access.manages, "Only the performance team can do this.")
reader_required = _gate(access.reads_all_drafts, "Only the performance team and internal viewers can read drafts.")


"""Request ids in every log line, and a Content-Security-Policy on every response.

``RequestIdMiddleware`` gives each request an id: the proxy's ``X-Request-ID`` when it is well formed
(nginx's ``$request_id``, a UUID: 8 to 64 letters, digits, ``-``, ``_`` or ``.``), otherwise a new
one. The id goes back in the response's ``X-Request-ID`` header and into every log record made
while the request runs (``%(request_id)s`` in ``settings.LOGGING``), so "Internal Server Error"
with its traceback on stderr can be matched with the proxy's access log and with what the visitor
reports.

``ContentSecurityPolicyMiddleware`` sends :data:`POLICY` unless the view set its own: nothing but
this site's own files; no inline script anywhere; no inline style either, except the report, whose
one ``<style>`` block (the report is a single self-contained file) is allowed by its hash
(:func:`allow_style_blocks`).
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("outcomes_request_id", default="-")

DIRECTIVES: dict[str, str] = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "manifest-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy(**overrides: str) -> str:
    """The site's policy, with some directives replaced (``style_src="..."`` for ``style-src``)."""
    directives = {**DIRECTIVES, **{k.replace("_", "-"): v for k, v in overrides.items()}}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


POLICY = policy()
_STYLE_BLOCK = re.compile(rb"<style[^>]*>(.*?)</style>", re.S | re.I)


def allow_style_blocks(response: HttpResponse) -> HttpResponse:
    """Allow exactly the ``<style>`` blocks of this HTML response (by their SHA-256), nothing else inline."""
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(block).digest()).decode() + "'"
              for block in _STYLE_BLOCK.findall(response.content)]
    response["Content-Security-Policy"] = policy(style_src=" ".join(["'self'", *hashes]))
    return response


def current_request_id() -> str:
    """The id of the request being handled ("-" outside a request)."""
    return _current.get()


def well_formed(value: str) -> bool:
    return bool(_WELL_FORMED.fullmatch(value))


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record a handler formats (for ``%(request_id)s``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True


def _install_record_factory() -> None:
    """Every record made during a request carries its id, whichever handler (or test) receives it."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "outcomes_request_id", False):
        return

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = _current.get()
        return record

    factory.outcomes_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class RequestIdMiddleware:
    """First in ``MIDDLEWARE``, so the id covers everything, including the error log of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        _install_record_factory()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if well_formed(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Adds :data:`POLICY` to every response that has no policy of its own (static files included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = POLICY
        return response

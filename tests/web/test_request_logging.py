"""Request errors are logged to stderr with their traceback and the request's id (issue 11, item 4)."""

from __future__ import annotations

import logging
import sys

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from outcomes_web import urls as site_urls
from outcomes_web.middleware import REQUEST_ID_HEADER


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("Quokka failure in a view")


urlpatterns = [path("boom/", boom), *site_urls.urlpatterns]
THIS = sys.modules[__name__]


def _console_handler() -> logging.Handler:
    handlers = [h for h in logging.getLogger("django").handlers if isinstance(h, logging.StreamHandler)]
    assert handlers, "the 'django' logger has no stream handler: request errors would go nowhere"
    return handlers[0]


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.ERROR]


@pytest.mark.django_db
def test_a_failing_view_logs_its_traceback_with_the_request_id(caplog: pytest.LogCaptureFixture) -> None:
    client = Client(raise_request_exception=False)
    with override_settings(ROOT_URLCONF=THIS), caplog.at_level(logging.INFO):
        r = client.get("/boom/", HTTP_X_REQUEST_ID="3f2c8a4e9b1d4c7a8e6f5a4b3c2d1e0f")
    assert r.status_code == 500
    assert r[REQUEST_ID_HEADER] == "3f2c8a4e9b1d4c7a8e6f5a4b3c2d1e0f"  # the proxy's id is honoured
    records = _errors(caplog)
    assert len(records) == 1, [r.getMessage() for r in caplog.records]
    record = records[0]
    assert record.exc_info and isinstance(record.exc_info[1], RuntimeError)
    assert record.request_id == "3f2c8a4e9b1d4c7a8e6f5a4b3c2d1e0f"  # type: ignore[attr-defined]
    # what the configured handler writes: to stderr, with the id, the path and the whole traceback
    handler = _console_handler()
    assert getattr(handler, "stream", None) in (sys.stderr, sys.__stderr__) or "stderr" in repr(handler.stream)
    text = handler.format(record)
    assert "[request 3f2c8a4e9b1d4c7a8e6f5a4b3c2d1e0f]" in text
    assert "/boom/" in text and "Traceback (most recent call last)" in text
    assert "RuntimeError: Quokka failure in a view" in text


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["", "short", "a b c d e f g h", "<script>alert(1)</script>",
                                      "x" * 65, "line\nbreak-0123456789", "-starts-with-a-dash"])
def test_a_malformed_request_id_is_replaced(caplog: pytest.LogCaptureFixture, incoming: str) -> None:
    client = Client(raise_request_exception=False)
    with override_settings(ROOT_URLCONF=THIS), caplog.at_level(logging.INFO):
        r = client.get("/boom/", HTTP_X_REQUEST_ID=incoming)
    given = r[REQUEST_ID_HEADER]
    assert given != incoming and len(given) == 32 and given.isalnum()
    assert _errors(caplog)[0].request_id == given  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client: Client) -> None:
    ids = {client.get(url)[REQUEST_ID_HEADER] for url in ("/", "/outcomes/safe/", "/api/outcomes/", "/nowhere/")}
    assert len(ids) == 4

"""Nothing user-specific is ever served to another visitor (issue 11, item 1).

The scorecard and indicator pages keep their rendered content per snapshot (``_memo_page``), but the
header carries the signed-in user's name, the sign-out form with its CSRF token, and the messages
shown once to that user. Those are rendered for each request, never memoised: an anonymous visitor
never sees them, and a signed-in user never gets the anonymous header (or another user's).

Checked in one process with several clients in both orders, and under gunicorn with two workers,
where each worker keeps its own memo.
"""

from __future__ import annotations

import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import constants
from django.contrib.messages.storage.session import SessionStorage
from django.test import Client
from tests.processes import OWN_GROUP, stop
from tests.web.html import one, parse, texts

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE
from outcomes_web import adapter
from outcomes_web.store import access
from outcomes_web.workspace import accounts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = BUNDLED_EXAMPLE
URLS = ["/outcomes/safe/?sort=title&x=1", "/outcomes/safe/indicators/child-protection/?x=1"]
PASSWORD = "Harbour-lantern-quiet-1987"  # noqa: S105 - a test account's


def _make(username: str, first: str, last: str, role: str) -> object:
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD,
                                                first_name=first, last_name=last)
    accounts.set_role(user, role)
    return user


def _anonymous_problems(body: str) -> list[str]:
    found = [word for word in ("Pat Performance", "Vera Viewer", "Sign out", "csrfmiddlewaretoken", "Workspace")
             if word in body]
    if "Sign in" not in body:
        found.append("no 'Sign in' link")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("order", ["signed-in first", "anonymous first"])
def test_a_memoised_page_never_carries_another_visitors_header(url: str, order: str) -> None:
    adapter.clear_cache()
    perf = _make("performance", "Pat", "Performance", access.PERFORMANCE)
    viewer = _make("vera", "Vera", "Viewer", access.VIEWER)
    signed, other, anonymous = Client(), Client(), Client()
    signed.force_login(perf)
    other.force_login(viewer)
    sequence = [("signed", signed), ("anonymous", anonymous), ("other", other)]
    if order == "anonymous first":
        sequence.reverse()
    bodies: dict[str, list[str]] = {"signed": [], "anonymous": [], "other": []}
    for _ in range(2):
        for who, client in sequence:
            r = client.get(url)
            assert r.status_code == 200
            bodies[who].append(r.content.decode())
    for body in bodies["anonymous"]:
        assert not _anonymous_problems(body), _anonymous_problems(body)
    for body in bodies["signed"]:
        assert "Pat Performance" in body and "Sign out" in body and "Vera Viewer" not in body
        assert "Sign in" not in texts(parse(body), "header a")
    for body in bodies["other"]:
        assert "Vera Viewer" in body and "Sign out" in body and "Pat Performance" not in body
    # the content itself is the same for everyone (it is what the memo keeps)
    main = [str(one(parse(b), "main")) for b in (bodies["signed"][0], bodies["anonymous"][0])]
    assert main[0] == main[1]


@pytest.mark.django_db
def test_the_sign_out_token_on_a_memoised_page_is_the_users_own() -> None:
    """The token in the header works for the user who got the page (a POST with it signs them out)."""
    adapter.clear_cache()
    perf = _make("performance", "Pat", "Performance", access.PERFORMANCE)
    Client().get(URLS[0])  # the anonymous visitor fills the memo first
    client = Client(enforce_csrf_checks=True)
    client.force_login(perf)
    body = client.get(URLS[0]).content.decode()
    sign_out = one(parse(body), "header form[method=post]")
    assert sign_out["action"] == "/accounts/logout/"
    token = one(sign_out, "input[name=csrfmiddlewaretoken]")["value"]
    assert token, "no sign-out token on the signed-in page"
    r = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert r.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_message_is_shown_to_its_user_only() -> None:
    adapter.clear_cache()
    perf = _make("performance", "Pat", "Performance", access.PERFORMANCE)
    client = Client()
    client.force_login(perf)
    request = type("R", (), {"session": client.session})()
    storage = SessionStorage(request)
    storage.add(constants.SUCCESS, "Quokka message for Pat")
    storage.update(type("Resp", (), {})())  # type: ignore[arg-type]
    request.session.save()
    assert "Quokka message for Pat" in client.get(URLS[1]).content.decode()
    assert "Quokka message for Pat" not in Client().get(URLS[1]).content.decode()
    assert "Quokka message for Pat" not in client.get(URLS[1]).content.decode()  # shown once


# ------------------------------------------------------------------------------ several workers
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "outcomes_launcher", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_under_two_gunicorn_workers_anonymous_pages_never_carry_a_signed_in_header(tmp_path: Path) -> None:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn, "gunicorn is installed with the web extra"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(OUTCOMES_DATA_DIR=str(tmp_path / "var"), SECRET_KEY="gunicorn-test-" + "k" * 40,
               OUTCOMES_PASSWORD=PASSWORD, DJANGO_SETTINGS_MODULE="outcomes_web.settings")
    _run(["import", str(EXAMPLE)], env)
    _run(["adduser", "performance", "--role", "performance", "--name", "Pat Performance"], env)
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen([gunicorn, "outcomes_web.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--threads", "2"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                              **OWN_GROUP)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/static/tracker/tracker.css", timeout=2).read()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.3)
        jar = http.cookiejar.CookieJar()
        signed = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login = signed.open(base + "/accounts/login/", timeout=30).read().decode()
        token = one(parse(login), "main form[method=post] input[name=csrfmiddlewaretoken]")["value"]
        assert token
        data = urllib.parse.urlencode({"username": "performance", "password": PASSWORD,
                                       "csrfmiddlewaretoken": token}).encode()
        signed.open(urllib.request.Request(base + "/accounts/login/", data=data,
                                           headers={"Referer": base + "/accounts/login/"}), timeout=30).read()
        problems: list[str] = []
        signed_seen = 0
        for i in range(24):
            url = base + URLS[i % 2]
            body = signed.open(url, timeout=60).read().decode()
            signed_seen += "Pat Performance" in body and "Sign out" in body
            anonymous = urllib.request.urlopen(url, timeout=60).read().decode()
            if found := _anonymous_problems(anonymous):
                problems.append(f"anonymous fetch {i} of {url}: {found}")
        assert signed_seen == 24, f"the signed-in user saw their own header on {signed_seen} of 24 fetches"
        assert not problems, "\n".join(problems)
    finally:
        stop(server)  # gunicorn and its workers
        log.close()

"""Issue 16, items 1 and 4 in a real browser at a laptop's width (1366 px) and a phone's (390 px):
a figure typed into a return and sent with "Submit for review" is never lost, and the review page
(before and after, the Decision box) fits the screen with no sideways scrolling. axe-core finds no
WCAG 2.2 A/AA violation on either page at either width.

With ``OUTCOMES_SCREENSHOTS=1`` the pages are saved under ``docs/images/`` (return-1366.png,
return-390.png, review-1366.png, review-390.png).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe import format_violations, run_axe
from live_site import Site, live_site, site_environment

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
PASSWORD = "a-long-test-password-2018"  # noqa: S105 - the test password of tests/web's Cycle
PERIOD = "Q1 2018-19"
SHOTS = os.environ.get("OUTCOMES_SCREENSHOTS", "").strip().lower() in ("1", "true", "yes")
#: width -> (lead officer, the indicator they lead): each width works on its own return.
LEADS = {1366: ("lead", "child-protection"), 390: ("roadslead", "killed-seriously-injured")}



@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("return-site")
    env = site_environment(data, SECRET_KEY="browser-tests-only-not-secret-" + "y" * 40)
    with live_site(data, env) as url:
        here = Site(url, data, env)
        here.python(f"""
            import json
            from django.contrib.auth import get_user_model
            from outcomes_web.store import access, workflow
            from outcomes_web.workspace import accounts
            User = get_user_model()
            perf = User.objects.create_user("perf", "perf@example.org", {PASSWORD!r}, first_name="Priya",
                                            last_name="Patel")
            accounts.set_role(perf, access.PERFORMANCE)
            for name, item in {list(LEADS.values())!r}:
                lead = User.objects.create_user(name, name + "@example.org", {PASSWORD!r}, first_name=name.title())
                accounts.set_role(lead, access.LEAD)
                accounts.assign(lead, "safe", item)
            workflow.open_period(perf, {PERIOD!r}, None, outcome_keys=["safe"])
            print(json.dumps("ok"))
        """)
        yield here


def accessible(page: Any, name: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{name}: {page.url}\n" + format_violations(violations)


def no_sideways_scroll(page: Any, name: str) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{name} scrolls sideways: {widths[0]} px of content in {widths[1]} px"


def screenshot(page: Any, name: str) -> None:
    if SHOTS:
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMAGES / name), full_page=True)


def press(page: Any, button: str) -> int:
    with page.expect_navigation() as navigation:
        page.locator("main").get_by_role("button", name=button, exact=True).click()
    response = navigation.value
    return response.status if response is not None else 0


def sign_in(page: Any, site: Site, username: str) -> None:
    page.context.clear_cookies()
    page.goto(site.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    assert press(page, "Sign in") == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Your workspace"


@pytest.mark.parametrize("width", sorted(LEADS, reverse=True))
def test_a_typed_figure_is_never_lost_and_the_review_fits_the_screen(page: Any, site: Site, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    username, indicator = LEADS[width]
    info = site.python(f"""
        import json
        from outcomes_web.store import models as m, workflow
        sub = m.Submission.objects.get(snapshot__outcome_key="safe", snapshot__published=False,
                                       snapshot__reporting_period__label={PERIOD!r}, indicator_key={indicator!r})
        print(json.dumps({{"pk": sub.pk, "due": [k for k, _, _ in workflow.due_series(sub)]}}))
    """)
    assert info["due"], "a figure is due this period"
    key, url = info["due"][0], f"{site.url}/manage/returns/{info['pk']}/"

    # The lead officer types a figure, ticks the declaration and presses "Submit for review".
    sign_in(page, site, username)
    page.goto(url)
    page.fill(f"#e-{key}-value", "7")
    page.fill(f"#e-{key}-note", "Count at 30 June 2018")
    page.check("#declaration")
    screenshot(page, f"return-{width}.png")
    no_sideways_scroll(page, f"the return at {width} px")
    accessible(page, f"the return at {width} px")
    assert press(page, "Submit for review") == 200
    stored = site.python(f"""
        import json
        from outcomes_web.store import models as m
        row = m.Observation.objects.filter(series__snapshot__submissions__pk={info['pk']}, series__key={key!r},
                                           period_label={PERIOD!r}, is_home=True).first()
        print(json.dumps(None if row is None else [row.value, row.note]))
    """)
    assert stored == [7, "Count at 30 June 2018"], "the typed figure was lost"
    assert page.input_value(f"#e-{key}-value") == "7"
    rest = [k for k in info["due"] if k != key]
    if rest:  # not submitted while other series are unanswered, and the page says which
        assert "It was not submitted" in " ".join(page.locator(".notification__title").all_inner_texts())
        assert page.locator("#still-needed").is_visible()
        for other in rest:
            page.fill(f"#e-{other}-missing_reason", "Not yet published")
        page.check("#declaration")
        assert press(page, "Submit for review") == 200
    assert page.locator(".summary-list .tag").first.inner_text() == "Submitted for review"

    # The performance team reviews it: before and after, judgements, the Decision box, on the screen.
    sign_in(page, site, "perf")
    page.goto(url)
    main = page.locator("main")
    assert main.get_by_role("heading", name="What changed in this return").is_visible()
    assert main.get_by_role("button", name="Save the return").count() == 0
    card = page.locator(f"#review-{key}").locator("xpath=..")
    assert "No figure" in card.inner_text() and "7" in card.inner_text()
    fieldset = page.locator("fieldset.fieldset--radios").bounding_box()
    for radio in ("#decision-accept", "#decision-return"):
        box = page.locator(radio).bounding_box()
        assert fieldset["y"] <= box["y"] and box["y"] + box["height"] <= fieldset["y"] + fieldset["height"]
        assert fieldset["x"] <= box["x"] and box["x"] + box["width"] <= fieldset["x"] + fieldset["width"]
    label = page.locator("label[for=decision-return]").bounding_box()
    assert label["width"] > 150, "the Decision label is squeezed to a word per line"
    no_sideways_scroll(page, f"the review at {width} px")
    accessible(page, f"the review at {width} px")
    screenshot(page, f"review-{width}.png")
    page.check("#decision-accept")
    assert press(page, "Record the decision") == 200
    assert page.locator(".summary-list .tag").first.inner_text() == "Accepted"

"""Password strength (issue 11, item 7): a real strength check wherever a password is set.

``outcomes adduser`` and Django's validators (``changepassword``, ``createsuperuser``, any password form)
all go through ``AUTH_PASSWORD_VALIDATORS``; the weak examples of the issue are refused with zxcvbn's
advice, strong ones and the demo accounts' published password are accepted.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError

from outcomes_web import cli as web_cli
from outcomes_web.workspace.accounts import DEMO_PASSWORD, create_demo_accounts

pytestmark = pytest.mark.django_db

WEAK = [("weak1", "aaaaaaaaaaaa", 'repeats like "aaa" are easy to guess'),
        ("weak1", "passwordpassword", "repeats like"),
        ("weak1", "weak1weak1weak1", "repeats like")]
STRONG = ["Harbour-lantern-quiet-1987", "correct-horse-battery", "kettle orbit sandwich violet"]


@pytest.mark.parametrize(("username", "password", "advice"), WEAK)
def test_adduser_refuses_each_weak_example_with_advice(username: str, password: str, advice: str) -> None:
    errors: list[str] = []
    status = web_cli.run_adduser(username, role="viewer", name="", email="", leads=[], password=password,
                                 echo=lambda _: None, error=errors.append)
    assert status == 2
    strength = [e for e in errors if "too easy to guess" in e]
    assert strength, errors
    assert advice in strength[0].lower() and "add another word" in strength[0].lower()
    assert errors[-1] == "Nothing was saved."
    assert not get_user_model().objects.filter(username=username).exists()


@pytest.mark.parametrize("password", STRONG)
def test_a_strong_password_is_accepted(password: str) -> None:
    status = web_cli.run_adduser("jo.bloggs", role="viewer", name="Jo Bloggs", email="jo@example.org", leads=[],
                                 password=password, echo=lambda _: None, error=lambda _: None)
    assert status == 0
    assert get_user_model().objects.get(username="jo.bloggs").check_password(password)


def test_the_users_own_details_make_a_password_weak() -> None:
    user = get_user_model()(username="pat.tracker", first_name="Patricia", last_name="Quartermain",
                            email="pat.tracker@council.gov.uk")
    # strong enough for anyone else (zxcvbn scores it 3), too easy for the user whose name it is
    password_validation.validate_password("quartermain2018", get_user_model()(username="someone.else"))
    with pytest.raises(ValidationError) as caught:
        password_validation.validate_password("quartermain2018", user)
    assert any("too easy to guess" in m for m in caught.value.messages), caught.value.messages
    password_validation.validate_password("kettle orbit sandwich violet", user)


def test_every_weak_example_is_refused_by_the_sites_validators() -> None:
    """What changepassword, createsuperuser and any password form use."""
    for username, password, _ in WEAK:
        with pytest.raises(ValidationError) as caught:
            password_validation.validate_password(password, get_user_model()(username=username))
        assert any("too easy to guess" in m for m in caught.value.messages), caught.value.messages
    help_text = password_validation.password_validators_help_texts()
    assert any("hard to guess" in text for text in help_text)


def test_the_demo_accounts_published_password_is_still_accepted() -> None:
    for account in create_demo_accounts():
        user = get_user_model().objects.get(username=account.username)
        password_validation.validate_password(DEMO_PASSWORD, user)
        assert user.check_password(DEMO_PASSWORD)

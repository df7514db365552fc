"""A password strength check: zxcvbn's estimate of how many guesses a password would take.

Django's own validators (``settings.AUTH_PASSWORD_VALIDATORS``) refuse short, common, all-digit
passwords and those like the user's name; they accept ``aaaaaaaaaaaa``, ``passwordpassword`` or
``weak1weak1weak1`` for user ``weak1``. :class:`StrengthValidator` asks
`zxcvbn <https://github.com/dwolfhub/zxcvbn-python>`_ (the Python port of Dropbox's estimator),
which knows repeats, sequences, keyboard patterns, dates, common words and names, and the user's
own details, and refuses a password it scores below ``min_score`` (0-4; 3 by default: about 10^10
guesses, "safely unguessable" in zxcvbn's words), with zxcvbn's own advice in the message.

It runs wherever Django validates a password: ``outcomes adduser``, Django's ``changepassword`` and
``createsuperuser`` commands, and any password form.

>>> StrengthValidator().validate("Harbour-lantern-quiet-1987")
>>> StrengthValidator().validate("passwordpassword")
Traceback (most recent call last):
...
django.core.exceptions.ValidationError: ['This password is too easy to guess: repeats like "abcabcabc" are only slightly harder to guess than "abc". Add another word or two. Uncommon words are better. Avoid repeated words and characters.']
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

MAX_CHECKED = 72  # zxcvbn's own limit; a longer password is at least as strong as its first 72 characters


def _user_inputs(user: Any) -> list[str]:
    if user is None:
        return []
    values = [getattr(user, name, "") or "" for name in ("username", "first_name", "last_name", "email")]
    email = values[-1]
    if "@" in email:
        values += email.split("@", 1)
    return [str(v) for v in values if v]


class StrengthValidator:
    def __init__(self, min_score: int = 3) -> None:
        if not 0 <= min_score <= 4:
            raise ValueError(f"min_score must be 0 to 4, not {min_score}.")
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        result = zxcvbn(password[:MAX_CHECKED], user_inputs=_user_inputs(user))
        if result["score"] >= self.min_score:
            return
        feedback = result.get("feedback") or {}
        warning = (feedback.get("warning") or "").strip().rstrip(".")
        advice = " ".join(feedback.get("suggestions") or [])
        message = "This password is too easy to guess"
        message += f": {warning[0].lower()}{warning[1:]}." if warning else "."
        message += f" {advice}" if advice else " Use three or four unrelated words, or a longer phrase."
        raise ValidationError(message, code="password_too_guessable")

    def get_help_text(self) -> str:
        return ("Your password must be hard to guess: not a repeat, sequence, keyboard pattern, date, common "
                "word or your own name. Three or four unrelated words make a good one.")

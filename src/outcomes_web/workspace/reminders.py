"""Reminder e-mails to lead officers with outstanding returns (``outcomes remind``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from outcomes_web.store import models as m
from outcomes_web.store import workflow


def reminder_text(user: object, subs: list[m.Submission]) -> tuple[str, str]:
    name = user.get_full_name() or user.get_username()  # type: ignore[attr-defined]
    lines = [f"Dear {name},", "", "These returns are still to be submitted in the Outcomes Tracker:", ""]
    deadlines = set()
    for s in subs:
        rp = s.snapshot.reporting_period
        ind = m.Indicator.objects.filter(snapshot=s.snapshot, key=s.indicator_key).first()
        title = ind.numbered_title if ind else s.indicator_key
        due = f", due {rp.deadline:%d %B %Y}" if rp.deadline else ""
        if rp.deadline:
            deadlines.add(rp.deadline)
        lines.append(f"- {title} ({rp.label}{due}): {s.get_status_display().lower()}")
        lines.append(f"  {settings.SITE_URL}{reverse('workspace:submission', args=[s.pk])}")
        if s.status == m.Submission.Status.RETURNED and s.review_comment:
            lines.append(f"  Returned with the comment: {s.review_comment}")
    lines += ["", "Sign in, enter the figures and narrative, and submit each return for review.",
              "", "The performance team"]
    soonest = min(deadlines) if deadlines else None
    subject = f"Outcomes Tracker: {len(subs)} return{'s' if len(subs) != 1 else ''} to submit" + (
        f" by {soonest:%d %B %Y}" if soonest else "")
    return subject, "\n".join(lines)


def send_reminders(*, dry_run: bool = False) -> list[str]:
    """Send one e-mail per lead officer with outstanding returns; a line per officer says what was done."""
    out = []
    for user, subs in workflow.outstanding_by_user().items():
        email = user.email
        if not email:
            out.append(f"{user.get_username()}: {len(subs)} outstanding, no e-mail address: not sent")
            continue
        subject, body = reminder_text(user, subs)
        if not dry_run:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        out.append(f"{user.get_username()} <{email}>: {len(subs)} outstanding, {'would send' if dry_run else 'sent'}")
    if not out:
        out.append("No lead officer has outstanding returns in an open period.")
    return out

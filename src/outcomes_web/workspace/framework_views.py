"""Framework management: the performance team edits the framework of the current draft snapshots.

What can be changed, per draft snapshot (one outcome for one reporting period):

* the outcome's title and introduction;
* population indicators (number, title, section, lead officer), performance measures (title, lead
  officer), series (titles, unit, polarity, definition, source, target, comparators) and risks
  (title, score, trend, owner, likelihood, impact, linked indicators);
* new indicators, measures, series and risks, with ids unique in the snapshot;
* archiving (never deleting) an indicator, a measure or a risk, with the reason.

Published snapshots are frozen: a correction starts a revision (a new draft) from the snapshot page.
Every save checks the form here (Django forms, with the library's vocabularies from the adapter) and
hands the cleaned data to :mod:`outcomes_web.store.framework`, which refuses a stale form
(:mod:`outcomes_web.store.concurrency`: the page then shows both versions, status 409), writes the
rows and the audit record in one transaction, and refreshes the snapshot's content hash so the pages
and reports are rebuilt. This module holds the forms and thin views only; it writes nothing itself.
See ``docs/framework-admin.md``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from outcomes_web import adapter
from outcomes_web.store import access
from outcomes_web.store import framework as service
from outcomes_web.store import models as m
from outcomes_web.store.concurrency import Conflict, parse_version
from outcomes_web.store.framework import EDITORS, Frozen, live_indicators
from outcomes_web.workspace.common import manager_required

KIND_LABELS = dict(m.PERIOD_KINDS)
TREND_LABELS = {"improving": "Improving", "unchanged": "Unchanged", "worsening": "Worsening", "new": "New"}
SCORE_LABELS = {"HIGH": "High", "MEDIUM": "Medium", "LOW": "Low"}
POLARITY_LABELS = {"higher-is-better": "Higher is better", "lower-is-better": "Lower is better",
                   "no-judgement": "No judgement (neither direction is better)"}


@cache
def vocabulary() -> dict[str, tuple[str, ...]]:
    return adapter.framework_vocabulary()


# ============================================================================================ forms
def _choices(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, to set its choices (they come from the library's vocabularies)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    return field


class LeadChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


def lead_officer_field(snapshot: m.Snapshot) -> LeadChoice:
    """Lead officers to choose from (and whoever already leads an item of the outcome, so keeping them
    is always a valid choice)."""
    users = get_user_model().objects.filter(
        Q(groups__name=access.GROUPS[access.LEAD]) | Q(assignments__outcome_key=snapshot.outcome_key),
        is_active=True).distinct()
    return LeadChoice(
        queryset=users.order_by("last_name", "first_name", "username"), required=False,
        empty_label="(no account)", label="Lead officer",
        help_text="A member of the Lead officers group: they enter this item's figures. "
                  "'(no account)' removes the assignment and keeps the named lead officer as it is.",
    )


class FrameworkForm(forms.Form):
    """Ids equal to names (so the error summary links to ``#name``) and the design system's classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            label = str(f.label or name.replace("_", " ")).lower()
            if f.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                f.error_messages["required"] = (f"Choose the {label}." if isinstance(f, forms.ChoiceField)
                                                else f"Enter the {label}.")
            w = f.widget
            css = ("textarea" if isinstance(w, forms.Textarea) else "select" if isinstance(w, forms.Select)
                   else "" if isinstance(w, forms.CheckboxSelectMultiple | forms.HiddenInput) else "input")
            if css:
                w.attrs.setdefault("class", css)


class ItemIdMixin:
    """A new item's id: the dataset's id rule, and unique among the snapshot's rows of the model."""

    model: type[Model]
    snapshot: m.Snapshot
    what: str = "item"
    names_a_series: bool = False  # a new indicator or measure's first series takes its id


    def clean_key(self) -> str:
        key = str(self.cleaned_data.get("key", "")).strip()  # type: ignore[attr-defined]
        if not adapter.valid_item_id(key):
            raise forms.ValidationError("Enter an id of letters, digits, '.', '_' or '-', starting with a letter "
                                        "or digit (for example child-protection or 02a).")
        if self.model._default_manager.filter(snapshot=self.snapshot, key=key).exists():
            raise forms.ValidationError(f"There is already a {self.what} with the id '{key}' in this snapshot "
                                        "(archived ones count): choose another id.")
        if self.names_a_series and m.Series.objects.filter(snapshot=self.snapshot, key=key).exists():
            raise forms.ValidationError(f"There is already a series with the id '{key}' in this snapshot, and the "
                                        f"new {self.what}'s first series takes its id: choose another id.")
        return key


class OutcomeForm(FrameworkForm):
    title = forms.CharField(max_length=300)
    introduction = forms.CharField(widget=forms.Textarea, required=False,
                                   help_text="Shown at the start of the outcome's report (Markdown).")


class LeadOfficerForm(FrameworkForm):
    """A form for an item with a lead officer (an indicator or a measure)."""

    def __init__(self, *args: Any, snapshot: m.Snapshot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        self.fields["lead"] = lead_officer_field(snapshot)
        self.fields["lead"].widget.attrs["class"] = "select"


class IndicatorForm(LeadOfficerForm):
    number = forms.CharField(max_length=20, required=False, help_text="As the report numbers it, e.g. 1.")
    title = forms.CharField(max_length=500)
    section = forms.CharField(max_length=40, required=False)
    section_title = forms.CharField(max_length=500, required=False, label="Section title")


class NewIndicatorForm(ItemIdMixin, IndicatorForm):
    model = m.Indicator
    what = "population indicator"
    names_a_series = True
    field_order = ["key"]
    key = forms.CharField(max_length=100, label="Id", help_text="Letters, digits, '.', '_' or '-'; it cannot be "
                                                                "changed later.")


class MeasureForm(LeadOfficerForm):
    title = forms.CharField(max_length=500)


class NewMeasureForm(ItemIdMixin, MeasureForm):
    model = m.Measure
    what = "performance measure"
    names_a_series = True
    field_order = ["indicator", "key"]
    key = forms.CharField(max_length=100, label="Id", help_text="Letters, digits, '.', '_' or '-'.")
    indicator = forms.ChoiceField(label="Population indicator", help_text="The indicator the measure serves.")

    def __init__(self, *args: Any, snapshot: m.Snapshot, **kwargs: Any) -> None:
        super().__init__(*args, snapshot=snapshot, **kwargs)
        _choices(self, "indicator").choices = [("", "Choose an indicator")] + [
            (i.key, i.numbered_title) for i in live_indicators(snapshot)]
        self.order_fields(self.field_order)


class SeriesForm(FrameworkForm):
    title = forms.CharField(max_length=500)
    short_title = forms.CharField(max_length=200, required=False, label="Short title",
                                  help_text="For charts and tables; leave empty to use the title.")
    unit_type = forms.ChoiceField(label="Unit")
    unit_per = forms.IntegerField(required=False, label="Per", min_value=1, max_value=2_147_483_647,  # the column
                                  help_text="For a rate only: per how many people, e.g. 10000.")
    unit_decimals = forms.IntegerField(required=False, min_value=0, max_value=6, label="Decimal places",
                                       help_text="Leave empty to show figures as given.")
    polarity = forms.ChoiceField(label="Polarity", required=False,
                                 help_text="Which direction is better: it decides whether a change is an "
                                           "improvement. Until it is declared, no trend is judged better or worse.")
    definition = forms.CharField(widget=forms.Textarea, required=False)
    source = forms.CharField(widget=forms.Textarea, required=False)
    target_value = forms.FloatField(required=False, label="Target value")
    target_period = forms.CharField(max_length=40, required=False, label="Target period")
    target_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Target note")

    def __init__(self, *args: Any, snapshot: m.Snapshot, period_kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        self.fixed_period_kind = period_kind  # an existing series' kind of period (not a field)
        v = vocabulary()
        _choices(self, "unit_type").choices = [(u, u) for u in v["unit_types"]]
        _choices(self, "polarity").choices = [("", "Not declared yet")] + [
            (p, POLARITY_LABELS.get(p, p)) for p in v["polarities"]]
        if period_kind:
            self.fields["target_period"].help_text = (
                f"A {KIND_LABELS.get(period_kind, period_kind).lower()}, like the series' figures.")

    def kind_for_periods(self) -> str:
        return self.fixed_period_kind

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, per = data.get("unit_type"), data.get("unit_per")
        if unit == "rate" and not per and "unit_per" not in self.errors:
            self.add_error("unit_per", "A rate needs to say per how many people: enter a number greater than 0, "
                                       "for example 10000.")
        elif unit and unit != "rate" and per:
            self.add_error("unit_per", "Only a rate is per a number of people: leave this empty.")
        text = str(data.get("target_period") or "").strip()
        kind = self.kind_for_periods()
        data["target_period_json"] = None
        if text and kind:
            try:
                data["target_period_json"] = adapter.parse_period(text, kind).to_dict()
            except adapter.BadPeriod as exc:
                self.add_error("target_period", f"{exc} The target period must be a "
                                                f"{KIND_LABELS.get(kind, kind).lower()}, like the series' figures.")
        if data.get("target_value") is None and "target_value" not in self.errors and (
                text or str(data.get("target_note") or "").strip()):
            self.add_error("target_value", "Enter the target value, or clear the target period and note.")
        return data


class _NewSeriesBase(SeriesForm):
    """A series being added: its kind of period is chosen now (and fixed); it starts as the reporting
    period's kind with a plain number unit."""

    period_kind = forms.ChoiceField(label="Period of the figures", help_text="Cannot be changed later.")

    def __init__(self, *args: Any, snapshot: m.Snapshot, **kwargs: Any) -> None:
        super().__init__(*args, snapshot=snapshot, **kwargs)
        _choices(self, "period_kind").choices = [("", "Choose")] + [
            (k, KIND_LABELS.get(k, k)) for k in vocabulary()["period_kinds"]]
        self.fields["period_kind"].initial = snapshot.reporting_period.kind
        self.fields["unit_type"].initial = "number"
        self.order_fields(self.field_order)

    def kind_for_periods(self) -> str:
        return str(self.cleaned_data.get("period_kind") or "")


class NewSeriesForm(ItemIdMixin, _NewSeriesBase):
    model = m.Series
    what = "series"
    field_order = ["holder", "key", "period_kind"]
    holder = forms.ChoiceField(label="Belongs to", help_text="A population indicator or one of its performance "
                                                              "measures.")
    key = forms.CharField(max_length=100, label="Id", help_text="Letters, digits, '.', '_' or '-'.")

    def __init__(self, *args: Any, snapshot: m.Snapshot, **kwargs: Any) -> None:
        super().__init__(*args, snapshot=snapshot, **kwargs)
        choices: list[tuple[str, str]] = [("", "Choose an indicator or measure")]
        for ind in live_indicators(snapshot):
            choices.append((f"indicator:{ind.key}", f"Indicator: {ind.numbered_title}"))
            for meas in ind.measures.filter(archived_on__isnull=True).order_by("position"):
                choices.append((f"measure:{meas.key}", f"Measure: {meas.title}"))
        _choices(self, "holder").choices = choices


class FirstSeriesForm(_NewSeriesBase):
    """A new indicator or measure's own series (a dataset holds no indicator or measure without one):
    it takes the item's id and title."""

    field_order = ["period_kind"]
    title = None  # type: ignore[assignment]
    short_title = None  # type: ignore[assignment]


class ComparatorForm(FrameworkForm):
    name = forms.CharField(max_length=200, help_text="E.g. England, South West, Statistical neighbours.")
    area = forms.CharField(max_length=20, required=False, label="Area code", help_text="E.g. E92000001.")
    value = forms.FloatField(required=False)
    period = forms.CharField(max_length=40, required=False, help_text="The period the value is for.")

    def clean_period(self) -> dict[str, Any] | None:
        text = str(self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        try:
            return adapter.parse_period(text).to_dict()
        except (adapter.BadPeriod, ValueError) as exc:
            raise forms.ValidationError(str(exc)) from None


ComparatorFormSet = forms.formset_factory(ComparatorForm, extra=1, can_delete=True)


class RiskForm(FrameworkForm):
    title = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    score = forms.ChoiceField()
    trend = forms.ChoiceField()
    owner = forms.CharField(max_length=200, required=False)
    likelihood = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                        choices=[("", "Not given")] + [(str(i), str(i)) for i in range(1, 6)],
                                        help_text="1 (rare) to 5 (almost certain).")
    impact = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                    choices=[("", "Not given")] + [(str(i), str(i)) for i in range(1, 6)],
                                    help_text="1 (negligible) to 5 (severe).")
    indicators = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                           label="Linked population indicators")

    def __init__(self, *args: Any, snapshot: m.Snapshot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        v = vocabulary()
        _choices(self, "score").choices = [("", "Choose")] + [(s, SCORE_LABELS.get(s, s)) for s in v["risk_scores"]]
        _choices(self, "trend").choices = [("", "Choose")] + [(t, TREND_LABELS.get(t, t)) for t in v["risk_trends"]]
        _choices(self, "indicators").choices = [(i.key, i.numbered_title)
                                             for i in live_indicators(snapshot)]


class NewRiskForm(ItemIdMixin, RiskForm):
    model = m.Risk
    what = "risk"
    field_order = ["key"]
    key = forms.CharField(max_length=100, label="Id", help_text="The risk register's reference, e.g. 02a.")


class ArchiveForm(FrameworkForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why is it being archived?",
                             help_text="Kept with the item for the record.",
                             error_messages={"required": "Say why the item is being archived."})


# ========================================================================================= helpers
def _draft_or_refusal(request: HttpRequest, pk: int) -> m.Snapshot | HttpResponse:
    """The current draft snapshot ``pk``, or the page saying why it cannot be changed."""
    snap = m.Snapshot.objects.select_related("reporting_period").filter(pk=pk).first()
    if snap is None:
        raise Http404("No such snapshot.")
    if snap.is_archived:
        return _refuse(request, snap, "This snapshot is archived: it is kept for the record and cannot be "
                                      "changed. Change the current draft instead.")
    if snap.published:
        return _refuse(request, snap, "This snapshot is published, so its framework is frozen. To change it, "
                                      "start a revision from the snapshot page and edit the revision.")
    return snap


def _refuse(request: HttpRequest, snap: m.Snapshot, message: str) -> HttpResponse:
    return render(request, "workspace/framework_frozen.html", {"snap": snap, "message": message}, status=403)


def _row_or_404(model: type[Any], snap: m.Snapshot, key: str) -> Any:
    row = model._default_manager.filter(snapshot=snap, key=key).first()
    if row is None:
        raise Http404(f"No {model._meta.verbose_name} '{key}' in this snapshot.")
    return row


def _archived_message(row: Any, what: str) -> str | None:
    holders = [] if isinstance(row, m.Series) else [(what, row)]  # a series is not archived on its own
    if isinstance(row, m.Measure | m.Series):
        holders.append(("population indicator", row.indicator))
    if isinstance(row, m.Series) and row.measure is not None:
        holders.append(("performance measure", row.measure))
    for name, h in holders:
        if h.archived_on is not None:
            return f"This {name} is archived: it is kept for the record and cannot be changed."
    return None


def _errors(*forms_: Any) -> list[dict[str, str]]:
    """Every form's errors for the error summary, each linking to its field."""
    out: list[dict[str, str]] = []
    for form in forms_:
        if form is None:
            continue
        if isinstance(form, forms.BaseFormSet):
            for text in form.non_form_errors():
                out.append({"href": "", "text": str(text)})
            for i, sub in enumerate(form.forms):
                for item in _errors(sub):
                    out.append({**item, "text": f"Comparator {i + 1}: {item['text']}"})
            continue
        for name, errs in form.errors.items():
            href = f"#{form[name].auto_id}" if name in form.fields else ""
            label = (form.fields[name].label or name.replace("_", " ").capitalize()) if name in form.fields else ""
            for e in errs:
                out.append({"href": href, "text": f"{label}: {e}" if label else str(e)})
    return out


def _show(value: Any) -> str:
    """A value as the conflict table shows it."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    if hasattr(value, "get_username"):
        return value.get_full_name() or value.get_username()
    return str(value)


FROZEN_NOW = ("This snapshot was published (or archived) while you were editing, so its framework is now "
              "frozen and nothing was saved. To change it, start a revision from the snapshot page.")


def _conflict_rows(form: Any, saved: dict[str, Any]) -> list[dict[str, Any]]:
    """Field by field: what this person tried to save and what is saved now."""
    rows = []
    for name, field in form.fields.items():
        if name not in saved:
            continue
        yours = _show(form.cleaned_data.get(name))
        theirs = _show(saved.get(name))
        rows.append({"label": field.label or name.replace("_", " ").capitalize(), "yours": yours,
                     "theirs": theirs, "differs": yours != theirs})
    return rows


def _finish(request: HttpRequest, snap: m.Snapshot, message: str) -> HttpResponse:
    adapter.clear_cache()
    messages.success(request, message)
    return redirect(f"{reverse('workspace:framework')}#snapshot-{snap.pk}")


def _edit(request: HttpRequest, snap: m.Snapshot, row: Any, editor: service.Editor, form_class: type[Any],
          *, key: str, form_kwargs: dict[str, Any] | None = None, comparators: bool = False) -> HttpResponse:
    """Show and save the form of one existing item (see the module docstring for what a save does)."""
    kwargs = {"snapshot": snap, **(form_kwargs or {})} if form_class is not OutcomeForm else {}
    conflict: dict[str, Any] | None = None
    status = 200
    formset = None
    version = row.version
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if comparators:
            formset = ComparatorFormSet(request.POST, prefix="comparators", auto_id="%s")
        seen = parse_version(request.POST.get("version"))
        version = seen
        if form.is_valid() and (formset is None or formset.is_valid()):
            try:
                rows = [form.cleaned_data for form in formset.forms] if formset is not None else None
                service.update_item(request.user, snap, editor.item_type, row, seen, form.cleaned_data, rows)
            except Frozen:
                return _refuse(request, snap, FROZEN_NOW)
            except Conflict as exc:
                current = exc.current
                conflict = {"rows": _conflict_rows(form, editor.initial(snap, current)), "by": current.modified_by,
                            "on": current.modified_on}
                version = current.version  # saving again now overwrites, knowingly
                status = 409
            else:
                return _finish(request, snap, f"Saved the {editor.noun} '{key}'.")
        else:
            status = 400
    else:
        form = form_class(initial=editor.initial(snap, row), **kwargs)
        if comparators:
            formset = ComparatorFormSet(prefix="comparators", auto_id="%s", initial=service.comparators(row))
    return _page(request, snap, form, status=status, heading=f"Edit the {editor.noun}", key=key,
                 formset=formset, version=version, conflict=conflict, item_type=editor.item_type, row=row)


def _page(request: HttpRequest, snap: m.Snapshot, form: Any, *, status: int, heading: str, key: str = "",
          formset: Any = None, version: int | None = None, conflict: dict[str, Any] | None = None,
          item_type: str = "", row: Any = None, fixed: list[tuple[str, str]] | None = None,
          first: Any = None) -> HttpResponse:
    fixed = list(fixed or [])
    if isinstance(row, m.Series):
        fixed += [("Id", row.key), ("Period of the figures", KIND_LABELS.get(row.period_kind, row.period_kind)),
                  ("Belongs to", f"Measure: {row.measure.title}" if row.measure else f"Indicator: {row.indicator.title}")]
    elif row is not None and key and item_type != "outcome":
        fixed.insert(0, ("Id", key))
    if isinstance(row, m.Measure):
        fixed.append(("Population indicator", row.indicator.numbered_title))
    return render(request, "workspace/framework_form.html", {
        "snap": snap, "form": form, "formset": formset, "version": version, "conflict": conflict,
        "errors": [] if conflict else _errors(form, formset, first), "first": first, "heading": heading,
        "key": key,
        "item_type": item_type, "row": row, "fixed": fixed,
        "archivable": item_type in ("indicator", "measure", "risk") and row is not None,
    }, status=status)


# =========================================================================================== pages
@manager_required
def framework(request: HttpRequest) -> HttpResponse:
    """The draft snapshots with their framework, and the published ones (frozen: revise them)."""
    snaps = list(m.Snapshot.objects.current().filter(published=False).select_related("reporting_period", "outcome")
                 .order_by("reporting_period__end", "position", "id"))

    def by_snapshot(model: type[Any], *related: str) -> dict[int, list[Any]]:
        """Every draft's rows of ``model`` in one query, in position order, by snapshot."""
        rows: dict[int, list[Any]] = {snap.pk: [] for snap in snaps}
        for row in model.objects.filter(snapshot__in=snaps).order_by("position").prefetch_related(*related):
            rows[row.snapshot_id].append(row)
        return rows

    indicators, measures, series = by_snapshot(m.Indicator), by_snapshot(m.Measure), by_snapshot(m.Series)
    risks = by_snapshot(m.Risk, "links")
    leads: dict[str, dict[tuple[str, str], Any]] = {snap.outcome_key: {} for snap in snaps}
    for a in m.Assignment.objects.filter(outcome_key__in=leads).select_related("user"):
        leads[a.outcome_key][(a.item_kind, a.item_key)] = a.user
    drafts = []
    for snap in snaps:
        lead = leads[snap.outcome_key]
        rows = []
        for ind in indicators[snap.pk]:
            own = [s for s in series[snap.pk] if s.indicator_id == ind.pk and s.measure_id is None]
            meas = [{"row": x, "lead": lead.get(("measure", x.key)),
                     "series": [s for s in series[snap.pk] if s.measure_id == x.pk]}
                    for x in measures[snap.pk] if x.indicator_id == ind.pk]
            rows.append({"row": ind, "lead": lead.get(("indicator", ind.key)), "series": own, "measures": meas})
        drafts.append({"snap": snap, "indicators": rows, "risks": risks[snap.pk]})
    published = (m.Snapshot.objects.public().select_related("reporting_period", "outcome")
                 .order_by("-reporting_period__end", "position"))
    return render(request, "workspace/framework_list.html", {"drafts": drafts, "published": published})


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    snap = _draft_or_refusal(request, pk)
    if isinstance(snap, HttpResponse):
        return snap
    row = m.Outcome.objects.get(snapshot=snap)
    return _edit(request, snap, row, EDITORS["outcome"], OutcomeForm, key=snap.outcome_key)


def _edit_item(request: HttpRequest, pk: int, key: str, kind: str, model: type[Any], form_class: type[Any],
               **options: Any) -> HttpResponse:
    snap = _draft_or_refusal(request, pk)
    if isinstance(snap, HttpResponse):
        return snap
    row = _row_or_404(model, snap, key)
    refusal = _archived_message(row, EDITORS[kind].noun)
    if refusal:
        return _refuse(request, snap, refusal)
    if isinstance(row, m.Series):
        options.setdefault("form_kwargs", {})["period_kind"] = row.period_kind
    return _edit(request, snap, row, EDITORS[kind], form_class, key=key, **options)


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_indicator(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit_item(request, pk, key, "indicator", m.Indicator, IndicatorForm)


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_measure(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit_item(request, pk, key, "measure", m.Measure, MeasureForm)


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_series(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit_item(request, pk, key, "series", m.Series, SeriesForm, comparators=True)


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_risk(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit_item(request, pk, key, "risk", m.Risk, RiskForm)


# ------------------------------------------------------------------------------------------ adding
NEW_FORMS: dict[str, type[Any]] = {"indicator": NewIndicatorForm, "measure": NewMeasureForm,
                                   "series": NewSeriesForm, "risk": NewRiskForm}


def _valid_holder(form: Any, snap: m.Snapshot, kind: str) -> bool:
    """A new measure's indicator, or a new series' holder, must be a live item of this snapshot."""
    if kind == "measure":
        ok = m.Indicator.objects.filter(snapshot=snap, key=form.cleaned_data["indicator"],
                                        archived_on__isnull=True).exists()
        if not ok:
            form.add_error("indicator", "Choose one of this outcome's population indicators.")
        return ok
    if kind == "series":
        holder_kind, _, holder_key = str(form.cleaned_data["holder"]).partition(":")
        model: type[Any] = m.Measure if holder_kind == "measure" else m.Indicator
        ok = holder_kind in ("indicator", "measure") and model.objects.filter(
            snapshot=snap, key=holder_key, archived_on__isnull=True).exists()
        if not ok:
            form.add_error("holder", "Choose one of this outcome's indicators or measures.")
        return ok
    return True


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_item(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add a population indicator, performance measure, series or risk to a draft."""
    if kind not in NEW_FORMS:
        raise Http404("Unknown kind of item.")
    snap = _draft_or_refusal(request, pk)
    if isinstance(snap, HttpResponse):
        return snap
    editor = EDITORS[kind]
    form_class = NEW_FORMS[kind]
    status = 200
    first: FirstSeriesForm | None = None
    if request.method == "POST":
        form = form_class(request.POST, snapshot=snap)
        if kind in ("indicator", "measure"):
            first = FirstSeriesForm(request.POST, snapshot=snap, prefix="series")
        valid = form.is_valid() & (first is None or first.is_valid())  # both, to show every error at once
        if valid and _valid_holder(form, snap, kind):
            try:
                row = service.create_item(request.user, snap, kind, form.cleaned_data,
                                          first.cleaned_data if first is not None else None)
            except Frozen:
                return _refuse(request, snap, FROZEN_NOW)
            except IntegrityError:  # someone added the same id a moment ago
                form.add_error("key", f"Someone has just added a {editor.noun} with the id "
                                      f"'{form.cleaned_data['key']}': choose another id.")
            else:
                return _finish(request, snap, f"Added the {editor.noun} '{row.key}'.")
        status = 400
    else:
        if kind in ("indicator", "measure"):
            first = FirstSeriesForm(snapshot=snap, prefix="series")
        initial: dict[str, Any] = {}
        holder = request.GET.get("holder", "")
        if kind == "measure" and holder:
            initial["indicator"] = holder
        elif kind == "series" and holder:
            initial["holder"] = holder
        form = form_class(initial=initial, snapshot=snap)
    return _page(request, snap, form, status=status, heading=f"Add a {editor.noun}", item_type=kind,
                 first=first)


# ----------------------------------------------------------------------------------------- archive
ARCHIVABLE = service.ARCHIVABLE


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def archive(request: HttpRequest, pk: int, kind: str, key: str) -> HttpResponse:
    """Archive (never delete) an indicator, measure or risk, saying why; it leaves the framework."""
    if kind not in ARCHIVABLE:
        raise Http404("Only indicators, measures and risks are archived.")
    snap = _draft_or_refusal(request, pk)
    if isinstance(snap, HttpResponse):
        return snap
    editor = EDITORS[kind]
    row = _row_or_404(ARCHIVABLE[kind], snap, key)
    if row.is_archived:
        return _refuse(request, snap, f"This {editor.noun} is already archived.")
    status = 200
    conflict = None
    version = row.version
    if request.method == "POST":
        form = ArchiveForm(request.POST)
        seen = parse_version(request.POST.get("version"))
        version = seen
        if form.is_valid():
            try:
                service.archive_item(request.user, snap, kind, row, seen, form.cleaned_data["reason"])
            except Frozen:
                return _refuse(request, snap, FROZEN_NOW)
            except Conflict as exc:
                current = exc.current
                conflict = {"by": current.modified_by, "on": current.modified_on}
                version = current.version
                status = 409
            else:
                return _finish(request, snap, f"Archived the {editor.noun} '{key}'.")
        else:
            status = 400
    else:
        form = ArchiveForm()
    return render(request, "workspace/framework_archive.html", {
        "snap": snap, "row": row, "kind": kind, "noun": editor.noun, "form": form, "version": version,
        "conflict": conflict, "errors": [] if conflict else _errors(form),
    }, status=status)



"""The framework management forms: one Django form per kind of item (outcome, indicator, measure,
series, comparator, risk), the new-item forms with an id unique in the snapshot, and the archive
form, with the library's vocabularies (units, polarities, period kinds) from the adapter.

They check what a user typed; the views (:mod:`outcomes_web.workspace.framework_views`) hand the
cleaned data to :mod:`outcomes_web.store.framework`, which writes. Nothing here writes a row.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Model, Q

from outcomes_web import adapter
from outcomes_web.store import access
from outcomes_web.store import models as m
from outcomes_web.store.framework import live_indicators

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

"""Previous vs latest (``previous-vs-latest``): the latest value against the previous one with the
relative tolerance band, and the words that describe a move.

Also the value the latest is compared with (:func:`_previous`), and the two "not assessed" judgements
that describe a move instead of judging it: a series without a judging polarity (:func:`_not_judged`),
and a published significance test we cannot reproduce (:func:`_method_not_reproduced`)."""

from __future__ import annotations

import math

from outcomes.model import Observation, Period, PeriodError, Polarity, Series, Unit
from outcomes.stats import XmR

from ._periods import STEP_MONTHS, break_between, is_year_apart
from .method import (
    KNOWN_DECIMALS,
    Judgement,
    format_percent,
    format_value,
    judgement,
    method_label,
    period_phrase,
    polarity_text,
    relative_change,
    remember_for_one_framework,
)
from .settings import JudgementSettings
from .trend_common import (
    GROUPED,
    PLAIN,
    PRINTF,
    _f,
    _finite,
    _not_assessed,
    decimals_of,
    in_period,
    unit_affixes,
)

# --------------------------------------------------------------------------------------------------
# Previous vs latest




def _describe_move(
    unit: Unit,
    previous: Observation,
    latest: Observation,
    *,
    band: float | None = None,
    change: float | None = None,
    phrases: tuple[str, str] | None = None,
) -> str:
    """'fell from 58.5 in 2016-17 to 32.8 in 2017-18, a change of 43.9%' (+ the band when given).

    ``change``: ``relative_change`` of the two values, when the caller has it already; ``phrases``:
    the two periods' phrases ('in 2016-17'), when the caller has them.
    """
    p, v = _f(previous.value), _f(latest.value)
    # decimals_of((p, v)), inlined: each value's decimals are usually remembered already
    dp, dv = _KNOWN.get(p), _KNOWN.get(v)
    d = decimals_of((p, v)) if dp is None or dv is None else dp if dp > dv else dv
    fixed, prefix, suffix = unit_affixes(unit)
    # fmt(affixes, v, d), inlined; a rate's "per N" is printed once, on the latest value
    spec = GROUPED[d if fixed is None else fixed]
    if -999.0 < v < 999.0:  # printf: no thousands separator to place, and it rounds as format does
        b = f"{prefix}{PRINTF[d if fixed is None else fixed] % v}{suffix}"
    else:
        b = f"{prefix}{v:{spec}}{suffix}" if _isfinite(v) else "no value"
    if change is None:
        change = relative_change(p, v)
    if p == v:
        text = f"unchanged at {b} from {previous.period!s} to {latest.period!s}"
    else:
        kind = unit.type
        if not _isfinite(p):
            a = "no value"
        elif kind == "rate":  # the plain number, without the rate's "per N"
            a = PRINTF[d] % p if -999.0 < p < 999.0 else f"{p:{GROUPED[d]}}"
        elif -999.0 < p < 999.0:
            a = f"{prefix}{PRINTF[d if fixed is None else fixed] % p}{suffix}"
        else:
            a = f"{prefix}{p:{spec}}{suffix}"
        verb = "rose" if v > p else "fell"
        if change == _INF or change == -_INF:
            size = "up from zero"
        elif kind == "percentage":
            size = (
                f"a relative change of {format_percent(abs(change) * 100)} "
                f"({abs(v - p):{PLAIN[max(d, 1)]}} percentage points)"
            )
        else:
            size = f"a change of {format_percent(abs(change) * 100)}"
        in_before, in_after = (
            (in_period(previous.period), in_period(latest.period)) if phrases is None else phrases
        )
        text = f"{verb} from {a} {in_before} to {b} {in_after}, {size}"
    if band is not None:
        inside = abs(change) <= band + 1e-12
        percent = _BANDS.get(band)
        if percent is None:
            percent = format_percent(band * 100)
            if len(_BANDS) < 64:
                _BANDS[band] = percent
        text += f", {'within' if inside else 'beyond'} the {percent} tolerance band"
    return text


_INF = math.inf
_isfinite = math.isfinite

#: a tolerance -> its percentage as printed ("2%"): a handful of settings ever seen
_BANDS: dict[float, str] = {}


def _previous_vs_latest(
    series: Series,
    previous: Observation | None,
    latest: Observation,
    settings: JudgementSettings,
    why_not: list[str],
    warnings: list[str],
) -> Judgement:
    unit = series.unit
    compare_with = settings.compare_with
    yearly = compare_with == "same-period-last-year"
    compared = "the same period last year" if yearly else "previous"
    if previous is None:
        try:
            wanted = str(latest.period.same_period_last_year())
        except PeriodError:
            wanted = "the same period a year earlier"
        reason = f"Not assessed: there is no value for {wanted}, the same period last year, to compare with."
        return _not_assessed(reason, f"{_why_head(why_not)}; the setting compare_with is same-period-last-year.")
    before_period, after_period = previous.period, latest.period
    if not (before_period.kind is after_period.kind and before_period.months == after_period.months):
        # not like for like (Period.is_like_for_like, inlined)
        reason = (
            f"Not assessed: the previous value is for {previous.period!s} "
            f"(a {previous.period.kind.noun}) and the "
            f"latest for {latest.period!s} (a {latest.period.kind.noun}), which are not like for like."
        )
        return _not_assessed(
            reason, "Values for periods of different kinds or lengths cannot be compared directly."
        )
    cut = break_between(series.breaks, before_period, after_period) if series.breaks else None
    if cut is not None:
        reason = (
            f"Not assessed: the series breaks at {cut} (a change of definition or method), so "
            f"{previous.period!s} and {latest.period!s} are not comparable."
        )
        return _not_assessed(reason, "Values either side of a series break measure different things.")

    before, after = previous.value, latest.value
    before = _NAN if before is None else float(before)  # _f, inlined
    after = _NAN if after is None else float(after)
    tolerance = settings.tolerance
    # classify_change(before, after, tolerance=..., polarity=...), inlined with its relative change
    if before == 0:
        change = 0.0 if after == 0 else math.copysign(math.inf, after)
    else:
        change = (after - before) / abs(before)
    if abs(change) <= tolerance + 1e-12:
        word = "similar"
    else:
        polarity = series.polarity
        good = 1 if polarity == Polarity.HIGHER_IS_BETTER else -1 if polarity == Polarity.LOWER_IS_BETTER else 0
        sign = 1 if change > 0 else -1
        if good == 0:
            word = "rose" if sign > 0 else "fell"
        else:
            word = "improving" if sign == good else "worsening"
    if (
        before != after and before != 0 and -999.0 < before < 999.0 and -999.0 < after < 999.0
        and -_INF < change < _INF and _TEMPLATES
    ):  # the usual move: its sentence from a template made once per kind (periods, unit, decimals, word...)
        dp, dv = _KNOWN.get(before), _KNOWN.get(after)
        d = decimals_of((before, after)) if dp is None or dv is None else dp if dp > dv else dv
        up = after > before
        move_key = (id(before_period), id(after_period), id(unit), d, tolerance, word, up, compare_with)
        made = _MADE.get(move_key)
        if made is None:
            pair = _PAIRS.get((id(before_period), id(after_period)))
            if pair is None or pair[0] is not before_period or pair[1] is not after_period:
                pair = _pair(before_period, after_period)
            head = f"{_CAPITAL[word]}: "
            # (inside the band exactly when the word is "similar": the same test, on the same band)
            tail = f", {'within' if word == 'similar' else 'beyond'} the {_band(tolerance)} tolerance band."
            label = method_label("previous-vs-latest", tolerance=tolerance, compare_with=compare_with)
            made = _made(move_key, before_period, after_period, unit, d, up, head, tail, pair[2], label)
        reason = _fill(made, before, after, change)
        following = True if yearly else made[5]
        label = made[6]
    else:
        # what depends only on the two periods, remembered per pair of period objects (series share them)
        pair = _PAIRS.get((id(before_period), id(after_period)))
        if pair is None or pair[0] is not before_period or pair[1] is not after_period:
            pair = _pair(before_period, after_period)
        following = True if yearly else pair[2]
        move = _describe_move(unit, previous, latest, band=tolerance, change=change, phrases=pair[3])
        reason = f"{_CAPITAL[word]}: {move}."
        label_key = (tolerance, compare_with)
        known_label = _LABELS.get(label_key)
        if known_label is None:
            known_label = method_label("previous-vs-latest", tolerance=tolerance, compare_with=compare_with)
            if len(_LABELS) < 64:
                _LABELS[label_key] = known_label
        label = known_label
    note = ""
    if not following:
        if is_year_apart(previous.period, latest.period):
            note = " The previous value is for the same period a year earlier."
        else:
            steps = previous.period.steps_between(latest.period)
            gap = f"{steps - 1} period{'s' if steps != 2 else ''}" if steps else "periods"
            warnings.append(
                f"{gap} between {previous.period!s} and {latest.period!s} have no value: the trend spans a gap."
            )
    if note or len(why_not) != 1:
        why_head = _why_head(why_not)
        why = (
            f"{why_head}; compared {compared} with latest.{note}"
            if why_head
            else f"Compared {compared} with latest.{note}"
        )
    else:  # one reason why not (the usual case): the why written once per reason and comparison
        known_why = _WHYS.get((why_not[0], compared))
        if known_why is not None:
            why = known_why
        else:
            why_head = _why_head(why_not)
            why = f"{why_head}; compared {compared} with latest." if why_head else f"Compared {compared} with latest."
            if len(_WHYS) < 4096:
                _WHYS[(why_not[0], compared)] = why
    values = {
        "previous": previous.value,
        "latest": latest.value,
        "change": after - before,
        "relative_change": change,
        "tolerance": tolerance,
    }
    return judgement(word, settings.rag.get(word), "previous-vs-latest", label, reason, why, values)


def _why_head(why_not: list[str]) -> str:
    """The reasons why no stronger method was used, joined, the first letter capitalised."""
    why_head = "; ".join(why_not)
    return why_head[:1].upper() + why_head[1:] if why_head else ""


_NAN = math.nan


#: (id, id) of two like-for-like periods -> (the two periods, whether the second is the next after the
#: first, their phrases 'in 2016-17'); the entry holds the periods, so their ids stay theirs while it lasts
_PAIRS: dict[tuple[int, int], tuple[Period, Period, bool, tuple[str, str]]] = {}
_KNOWN = KNOWN_DECIMALS


def _pair(before: Period, after: Period) -> tuple[Period, Period, bool, tuple[str, str]]:
    """The :data:`_PAIRS` entry of two like-for-like periods (made and remembered)."""
    step = STEP_MONTHS.get(after.kind)  # is_next, inlined (the two are like for like here)
    if step is None:  # rolling windows and dates
        following = before.steps_between(after) == 1
    else:
        following = (after.end.year - before.end.year) * 12 + after.end.month - before.end.month == step
    pair = (before, after, following, (in_period(before), in_period(after)))
    if len(_PAIRS) >= 4096:
        _PAIRS.clear()
    _PAIRS[(id(before), id(after))] = pair
    return pair


_CAPITAL = {w: w.capitalize() for w in ("similar", "improving", "worsening", "rose", "fell")}

#: whether the usual moves are written from templates (a test turns it off to compare with
#: :func:`_describe_move`, the reference)
_TEMPLATES = True


def _band(tolerance: float) -> str:
    """The tolerance as printed in a sentence ("2%"), remembered."""
    percent = _BANDS.get(tolerance)
    if percent is None:
        percent = format_percent(tolerance * 100)
        if len(_BANDS) < 64:
            _BANDS[tolerance] = percent
    return percent


def _made(
    key: tuple[object, ...], before: Period, after: Period, unit: Unit, d: int, up: bool, head: str, tail: str,
    following: bool = False, label: str = "",
) -> _Made:
    """The :data:`_MADE` entry of a move between two different figures, both between -999 and 999 and the
    first not zero, their relative change finite: ``head`` + what :func:`_describe_move` writes (without the band) + ``tail``, as a
    printf template of the two figures, the relative change as a percentage and (a percentage's) the
    change in percentage points; with the periods and the unit, which the entry keeps alive (so the ids
    in its key stay theirs), whether the unit is a percentage, and the caller's ``following`` (whether the
    second period is the next after the first) and method ``label``."""
    fixed, prefix, suffix = unit_affixes(unit)
    b = f"{_escape(prefix)}%.{d if fixed is None else fixed}f{_escape(suffix)}"
    kind = unit.type
    a = f"%.{d}f" if kind == "rate" else b  # (a rate's "per N" is printed once, on the latest value)
    percentage = kind == "percentage"
    size = f"a relative change of %s (%.{max(d, 1)}f percentage points)" if percentage else "a change of %s"
    template = (
        f"{_escape(head)}{'rose' if up else 'fell'} from {a} {_escape(in_period(before))} to {b} "
        f"{_escape(in_period(after))}, {size}{_escape(tail)}"
    )
    made = (before, after, unit, template, percentage, following, label)
    if len(_MADE) >= 4096:
        _MADE.clear()
    _MADE[key] = made
    return made


def _fill(made: _Made, before: float, after: float, change: float) -> str:
    """A :func:`_made` template filled with the two figures and their relative ``change``."""
    percent = abs(change) * 100
    if percent == _INF:  # (from a figure very near zero: format_percent's words for it)
        text = format_percent(percent)
    else:  # format_percent, inlined
        text = _ONE_DECIMAL % percent
        if text[-2:] == ".0":
            text = text[:-2]
        text += "%"
    if made[4]:
        return made[3] % (before, after, text, abs(after - before))
    return made[3] % (before, after, text)


def _escape(text: str) -> str:
    return text.replace("%", "%%")


#: a move's template (:func:`_made`): the two periods, the unit, the template, whether a percentage,
#: whether the second period is the next after the first, the method label
_Made = tuple[Period, Period, Unit, str, bool, bool, str]
#: (ids of the two periods and the unit, decimals, ... the words around it) -> a move's template (:func:`_made`)
_MADE: dict[tuple[object, ...], _Made] = {}
_ONE_DECIMAL = "%.1f"
#: (the one reason why not, what was compared) -> the why of a previous-vs-latest judgement
_WHYS: dict[tuple[str, str], str] = {}
remember_for_one_framework(_MADE)
remember_for_one_framework(_WHYS)

#: (tolerance, compare_with) -> the previous-vs-latest method label (a handful of settings ever seen)
_LABELS: dict[tuple[float, str], str] = {}


def _not_judged(
    series: Series, previous_obs: Observation | None, latest_obs: Observation, chart: XmR | None
) -> Judgement:
    """'Not assessed' for a series without a judging polarity: its move described instead."""
    unit = series.unit
    p = _f(previous_obs.value) if previous_obs is not None else 0.0
    v = _f(latest_obs.value)
    change = (v - p) / abs(p) if p != 0 else _INF
    if p != v and -999.0 < p < 999.0 and -999.0 < v < 999.0 and -_INF < change < _INF and _TEMPLATES:
        # the usual move: from a template made once per kind (periods, unit, decimals, polarity, direction)
        dp, dv = _KNOWN.get(p), _KNOWN.get(v)
        d = decimals_of((p, v)) if dp is None or dv is None else dp if dp > dv else dv
        polarity, up = series.polarity, v > p
        before_period, after_period = previous_obs.period, latest_obs.period  # type: ignore[union-attr]
        key = (id(before_period), id(after_period), id(unit), d, "not judged", polarity, up)
        made = _MADE.get(key)
        if made is None:
            made = _made(
                key, before_period, after_period, unit, d, up, "Not assessed: ", f"; {polarity_text(polarity)}."
            )
        reason = _fill(made, p, v, change)
    else:
        move = (
            _describe_move(unit, previous_obs, latest_obs)
            if previous_obs is not None
            else (f"latest {format_value(unit, latest_obs.value)} {period_phrase(latest_obs.period)}")
        )
        reason = f"Not assessed: {move}; {polarity_text(series.polarity)}."
    if chart is not None and chart.point_types[-1].startswith("special_cause_neutral"):
        side = "high" if chart.point_types[-1].endswith("high") else "low"
        reason += f" The latest point is special-cause variation ({side}) on an XmR chart."
    return judgement("not assessed", None, "none", _NONE_LABEL, reason, _NOT_JUDGED_WHY, {})


_NONE_LABEL = method_label("none")
_NOT_JUDGED_WHY = (
    "A series is judged only when its polarity says which direction is better; it is described instead."
)


#: Published trend methods that test significance: where the source used one and we cannot, our own
#: previous-vs-latest word is not put beside it as a rival verdict.
SIGNIFICANCE_METHODS = ("fingertips-trend", "spc-xmr")


def _method_not_reproduced(series: Series, fallback: Judgement, why_not: list[str]) -> Judgement:
    """'Not assessed', with the published word beside it: the source's test cannot be reproduced here."""
    published = series.published
    said = published.trend_basis or (f"'{published.trend}'" if published.trend else "a trend")
    method = method_label(published.trend_method)
    cannot = "; ".join(why_not) or "the data here do not support it"
    move = fallback.reason.split(": ", 1)[-1]
    reason = (
        f"Not assessed: the source publishes {said}, from a significance test ({method}) that cannot be "
        f"reproduced here ({cannot}). Previous vs latest, a different method, would say "
        f"'{fallback.word}' ({move.rstrip('.')}), so no colour of our own is given."
    )
    why = (
        "A published trend made by a significance test is not replaced by a two-point comparison: "
        "the two are different methods, and a red or green from the weaker one would contradict the "
        "publisher without evidence."
    )
    values = {
        "published": published.trend or None,
        "published_method": published.trend_method,
        "previous_vs_latest": fallback.word,
        **fallback.values,
    }
    return _not_assessed(reason, why, **values)


def _previous(series: Series, last: int, settings: JudgementSettings) -> Observation | None:
    """The value the latest is compared with: the previous valued one, or the same period last year."""
    obs = series.observations
    if settings.compare_with == "same-period-last-year":
        try:
            target = obs[last].period.same_period_last_year()
        except PeriodError:
            return None
        found = series.at(target)
        return found if found is not None and _finite(found) else None
    for i in range(last - 1, -1, -1):
        if _finite(obs[i]):
            return obs[i]
    return None

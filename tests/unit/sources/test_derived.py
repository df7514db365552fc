"""Series whose figures a method computes from raw inputs (inputs.csv), end to end.

Given the worked example examples/healthy-phe-methods (published PHEindicatormethods inputs),
when it is loaded and judged, then the values and intervals are those of outcomes.stats, the
intervals say which method made them, and the comparator is judged on them; given broken
inputs, every problem names the file, row, column and fix.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from outcomes.judge import compute_intervals
from outcomes.judge.engine import judge_framework
from outcomes.sources import DatasetError, load_dataset
from outcomes.sources.serialise import write_dataset
from outcomes.stats import isr_interval, life_expectancy, smr_interval

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "healthy-phe-methods"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "healthy"
    shutil.copytree(EXAMPLE, target)
    return target


def _problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    return [str(p) for p in info.value.problems]


def _bands(path: Path, series: str, area: str = "E06000099") -> list[list[str]]:
    lines = (path / "inputs.csv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split(",") for line in lines if line.startswith(f"{series},{area},")]


def test_life_expectancy_is_computed_from_the_bands() -> None:
    framework = load_dataset(EXAMPLE)
    rows = _bands(EXAMPLE, "life-expectancy-birth")
    deaths = [float(r[4]) for r in rows]
    pops = [float(r[5]) for r in rows]
    value, lower, upper = life_expectancy(pops, deaths)
    (birth,) = framework.series_by_id()["life-expectancy-birth"].observations
    assert birth.value == pytest.approx(value[0]) and birth.value == pytest.approx(80.1696, abs=5e-5)
    assert (birth.lower95, birth.upper95) == (pytest.approx(lower[0]), pytest.approx(upper[0]))
    assert birth.lower998 < birth.lower95 and birth.upper998 > birth.upper95
    (at65,) = framework.series_by_id()["life-expectancy-65"].observations
    assert at65.value == pytest.approx(value[14]) and at65.value == pytest.approx(18.7686, abs=5e-5)
    assert birth.origin.startswith("inputs.csv rows") and birth.interval_method == "life-expectancy"


def test_isr_and_smr_are_computed_for_the_area_and_its_benchmark() -> None:
    framework = load_dataset(EXAMPLE)
    rows = _bands(EXAMPLE, "mortality-smr")
    cols = np.array([[float(c) for c in r[4:8]] for r in rows]).T
    (smr,) = framework.series_by_id()["mortality-smr"].observations
    value, lower, upper = smr_interval(*cols, reference_value=100)
    assert (smr.value, smr.lower95, smr.upper95) == (
        pytest.approx(value),
        pytest.approx(lower),
        pytest.approx(upper),
    )
    (isr,) = framework.series_by_id()["mortality-isr"].observations
    assert isr.value == pytest.approx(isr_interval(*cols)[0])
    (england,) = framework.series_by_id()["mortality-smr"].benchmark_observations["E92000001"]
    assert england.value == pytest.approx(100.0)  # the reference against itself


def test_intervals_say_which_method_made_them() -> None:
    framework = load_dataset(EXAMPLE)
    series = [
        framework.series_by_id()[s] for s in ("life-expectancy-birth", "mortality-isr", "mortality-smr")
    ]
    sources = [iv.source(0) for iv in compute_intervals(series)]
    assert sources == ["life-expectancy", "isr", "smr"]


def test_the_comparator_is_judged_on_the_computed_interval() -> None:
    judged = judge_framework(load_dataset(EXAMPLE))
    smr = judged.by_series_id["mortality-smr"]
    # SMR 103.1 with 95% interval 96.4-110.0 includes the reference 100: similar
    assert smr.comparator.word == "similar"
    assert "96.409" in smr.comparator.reason and "110.030" in smr.comparator.reason


def test_a_small_area_makes_the_comparison_significant(folder: Path) -> None:
    """Twice the deaths in every band: an SMR near 206, far above 100, so worse (lower is better)."""
    text = (folder / "inputs.csv").read_text(encoding="utf-8").splitlines()
    out = [text[0]]
    for line in text[1:]:
        cells = line.split(",")
        if cells[0] == "mortality-smr" and cells[1] == "E06000099":
            cells[4] = str(int(cells[4]) * 2)
        out.append(",".join(cells))
    (folder / "inputs.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    judged = judge_framework(load_dataset(folder))
    assert judged.by_series_id["mortality-smr"].comparator.word == "worse"


def test_round_trip_keeps_the_method_and_the_figures(tmp_path: Path) -> None:
    framework = load_dataset(EXAMPLE)
    write_dataset(framework, tmp_path / "again")
    again = load_dataset(tmp_path / "again")
    for sid in ("life-expectancy-65", "mortality-smr"):
        assert again.series_by_id()[sid].method == framework.series_by_id()[sid].method
        a, b = again.series_by_id()[sid].observations[0], framework.series_by_id()[sid].observations[0]
        assert (a.value, a.lower95, a.upper95) == pytest.approx((b.value, b.lower95, b.upper95))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_missing_life_table_band_is_a_problem_naming_the_rows(folder: Path) -> None:
    _replace(folder / "inputs.csv", "life-expectancy-birth,E06000099,2020,45-49,100,50209,,,,\n", "")
    problems = _problems(folder)
    assert any("inputs.csv" in p and "[band]" in p and "missing 45" in p for p in problems), problems


def test_inputs_for_a_series_without_a_method_are_a_problem(folder: Path) -> None:
    _replace(folder / "framework.yaml", "    method: isr\n", "")
    problems = _problems(folder)
    assert any("declares no method" in p and "Fix: add 'method:'" in p for p in problems), problems


def test_an_unknown_method_and_a_wrong_unit_are_problems(folder: Path) -> None:
    _replace(folder / "framework.yaml", "    method: smr\n", "    method: smrr\n")
    _replace(folder / "framework.yaml", "    unit: rate per 100000\n", "    unit: percentage\n")
    problems = _problems(folder)
    assert any("'smrr' is not a method" in p for p in problems), problems
    assert any(
        "an isr series must have a rate unit" in p or "a isr series must have a rate unit" in p
        for p in problems
    ), problems


def test_a_period_in_both_files_is_a_problem(folder: Path) -> None:
    with (folder / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("mortality-smr,E06000099,2020,103,,,,,,,,,,\n")
    problems = _problems(folder)
    assert any("already has a figure for E06000099 in 2020" in p for p in problems), problems


def test_a_bad_number_names_its_row_and_column(folder: Path) -> None:
    _replace(
        folder / "inputs.csv",
        "mortality-isr,E06000099,2020,0-4,127,",
        "mortality-isr,E06000099,2020,0-4,lots,",
    )
    problems = _problems(folder)
    assert any(
        p.startswith("inputs.csv, row") and "[count]" in p and "'lots' is not a number" in p for p in problems
    ), problems


ESP2013 = [
    5000,
    5500,
    5500,
    5500,
    6000,
    6000,
    6500,
    7000,
    7000,
    7000,
    7000,
    6500,
    6000,
    5500,
    5000,
    4000,
    2500,
    1500,
    1000,
]


def _add_series(folder: Path, yaml_text: str, rows: list[str]) -> None:
    with (folder / "framework.yaml").open("a", encoding="utf-8") as handle:
        handle.write(yaml_text)
    with (folder / "inputs.csv").open("a", encoding="utf-8") as handle:
        handle.write("".join(f"{row}\n" for row in rows))


def test_dsr_and_mean_series_and_their_missing_figures(folder: Path) -> None:
    """The DSR of the package's test area ``testdata_big`` (the ISR sheet's deaths and populations,
    European Standard Population 2013) is published in its DSR test results as 1,043.0248 per 10,000
    (95%: 971.7709–1,117.8941); below 10 events the DSR is not calculated and says why."""
    bands = _bands(EXAMPLE, "mortality-smr")
    rows = [
        f"mortality-dsr,E06000099,2020,{b[3]},{b[4]},{b[5]},,,{w},"
        for b, w in zip(bands, ESP2013, strict=True)
    ]
    rows += [
        f"mortality-dsr,E06000099,2019,{b[3]},0,{b[5]},,,{w}," for b, w in zip(bands, ESP2013, strict=True)
    ]
    rows += [f"wellbeing,E06000099,2020,,,,,,,{v}" for v in (6.1, 7.2, 5.5, 8.0, 6.6)]
    yaml_text = (
        "  - {id: mortality-dsr, number: '05', title: DSR, unit: rate per 10000, polarity: lower-is-better,"
        " period_kind: calendar-year, method: dsr}\n"
        "  - {id: wellbeing, number: '06', title: Wellbeing, unit: number, polarity: higher-is-better,"
        " period_kind: calendar-year, method: mean}\n"
    )
    _add_series(folder, yaml_text, rows)
    framework = load_dataset(folder)
    missing, dsr = framework.series_by_id()["mortality-dsr"].observations
    assert (dsr.value, dsr.lower95, dsr.upper95) == pytest.approx((1043.0247991, 971.7709068, 1117.8940915))
    assert dsr.interval_method == "dsr"
    assert (
        missing.value is None and missing.lower95 is None and "fewer than 10 events" in missing.missing_reason
    )
    (mean,) = framework.series_by_id()["wellbeing"].observations
    assert mean.value == pytest.approx(6.68) and mean.interval_method == "mean"
    assert mean.upper95 - mean.value == pytest.approx(
        2.776445 * np.std([6.1, 7.2, 5.5, 8.0, 6.6], ddof=1) / np.sqrt(5)
    )


def test_a_suppressed_life_expectancy_is_missing_with_its_reason(folder: Path) -> None:
    small = [
        f"life-expectancy-birth,E06000099,2019,{b[3]},{max(1, int(b[4]) // 100)},{int(b[5]) // 200},,,,"
        for b in _bands(EXAMPLE, "life-expectancy-birth")
    ]
    _add_series(folder, "", small)
    framework = load_dataset(folder)
    suppressed = framework.series_by_id()["life-expectancy-birth"].observations[0]
    assert str(suppressed.period) == "2019" and suppressed.value is None
    assert "5,000 or less" in suppressed.missing_reason
    judged = judge_framework(framework)
    assert judged.by_series_id["life-expectancy-birth"].latest.value == pytest.approx(80.1696, abs=5e-5)


def test_the_workbook_carries_methods_inputs_and_breakdowns(tmp_path: Path) -> None:
    """Folder → workbook → the same figures: the Series sheet's method columns and the Inputs and
    Breakdowns sheets hold what framework.yaml, inputs.csv and breakdowns.csv hold."""
    from outcomes.sources.folder import read_folder
    from outcomes.sources.problems import Problems
    from outcomes.sources.workbook import write_workbook

    problems = Problems()
    raw = read_folder(EXAMPLE, problems)
    assert raw is not None and not problems
    write_workbook(raw, tmp_path / "healthy.xlsx")
    from_book, from_folder = load_dataset(tmp_path / "healthy.xlsx"), load_dataset(EXAMPLE)
    for sid, series in from_folder.series_by_id().items():
        again = from_book.series_by_id()[sid]
        assert again.method == series.method
        assert [(o.period, o.value, o.lower95, o.upper998) for o in again.observations] == [
            (o.period, o.value, o.lower95, o.upper998) for o in series.observations
        ]
        assert [(b.quantile, b.value, b.standard_error) for b in again.breakdowns] == [
            (b.quantile, b.value, b.standard_error) for b in series.breakdowns
        ]
    assert from_book.series_by_id()["life-expectancy-65"].method.age == 65  # type: ignore[union-attr]

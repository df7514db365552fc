"""The wheel works on its own: built with ``python -m build --wheel``, installed into a fresh virtual
environment outside the repository, it runs ``outcomes demo`` and ``outcomes check`` on the bundled
example from an empty working directory.

The dependencies (numpy, WeasyPrint, ...) are borrowed from the interpreter running the tests (a
``.pth`` file names its site-packages), so nothing is downloaded; the project itself comes only from
the wheel, which the test checks with ``outcomes.__file__``. Slow (about a minute): deselect it
locally with ``-m 'not wheel'``; ``make test`` and CI run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.wheel


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (outside the repository) with only the wheel installed in it."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], cwd=ROOT)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheels = list(dist.glob("outcomes_tracker-*.whl"))
    assert len(wheels) == 1, wheels
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=base).stdout.strip())
    # the dependencies from the test's own environment, after the venv's own site-packages
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n", encoding="utf-8")
    done = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                 "--disable-pip-version-check", "--no-index", str(wheels[0])], cwd=base)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return venv


def _clean_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_project_comes_from_the_wheel_with_its_example(installed: Path, tmp_path: Path) -> None:
    found = _run([str(installed / "bin" / "python"), "-c",
                  "import outcomes, outcomes.data; print(outcomes.__file__); print(outcomes.data.EXAMPLE)"],
                 cwd=tmp_path, env=_clean_env(installed))
    assert found.returncode == 0, found.stderr
    module, example = (Path(line) for line in found.stdout.splitlines())
    assert module.is_relative_to(installed) and not module.is_relative_to(ROOT)
    assert example.is_relative_to(installed)
    assert sorted(p.name for p in example.iterdir()) == ["framework.yaml", "narrative", "observations.csv",
                                                         "risks.csv"]


def test_outcomes_demo_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "anywhere"
    work.mkdir()
    demo = _run([str(installed / "bin" / "outcomes"), "demo"], cwd=work, env=_clean_env(installed))
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    html = work / "out" / "dorset-safe-2018.html"
    pdf = work / "out" / "dorset-safe-2018.pdf"
    assert "Rate of children subject to a child protection plan" in html.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_outcomes_check_runs_on_the_bundled_example_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    env = _clean_env(installed)
    example = _run([str(installed / "bin" / "python"), "-c", "from outcomes.data import EXAMPLE; print(EXAMPLE)"],
                   cwd=tmp_path, env=env).stdout.strip()
    check = _run([str(installed / "bin" / "outcomes"), "check", example, "--json"], cwd=tmp_path, env=env)
    # 1: the seed report's own slips are error-level findings (docs/checks.md); 2 would be unusable input
    assert check.returncode == 1, check.stdout[-3000:] + check.stderr[-3000:]
    payload = json.loads(check.stdout)
    assert payload["counts"]["series"] > 0
    assert any(f["code"] == "headline-disagrees-with-series" for f in payload["findings"])

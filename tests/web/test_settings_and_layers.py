"""Settings are read from the environment and documented; the web app reaches the library only
through the adapter; ``manage.py check --deploy`` is clean with the documented production settings."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from outcomes_web import settings as web_settings

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "src" / "outcomes_web"
LIBRARY = ROOT / "src" / "outcomes"


def _web_section() -> str:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    start = text.index("## Web settings")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_every_web_setting_is_documented():
    section = _web_section()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.M))
    assert documented == set(web_settings.ENVIRONMENT)


def test_the_judgement_section_is_kept_beside_ours():
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert "## Web settings" in text


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False),
                                                ("no", False), ("", False)])
def test_yes_no_values(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert web_settings.env_flag("X_FLAG") is expected


def test_an_unreadable_yes_no_value_is_an_error_not_a_guess(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe' is not a yes/no value"):
        web_settings.env_flag("X_FLAG")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="is not a whole number"):
        web_settings.env_int("X_INT", 1)


def _run_manage(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE",
                         "OUTCOMES_SECURE", "OUTCOMES_PROXY_SSL_HEADER")}
    base.update({"OUTCOMES_DATA_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "-m", "outcomes_web", *args], env=base, capture_output=True, text=True,
                          timeout=120, check=False)


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "n7Qd3kV0x-9sLq2pWmZr4tYb8cHf1jEa6gUo5iNe0vKy3sPl7wXz",
        "ALLOWED_HOSTS": "tracker.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://tracker.example.org",
        "OUTCOMES_SECURE": "1",
        "OUTCOMES_PROXY_SSL_HEADER": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
    }
    result = _run_manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name in ("OUTCOMES_SECURE", "OUTCOMES_PROXY_SSL_HEADER", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        assert name in docs


def test_check_deploy_complains_without_them(tmp_path):
    result = _run_manage(["check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout  # no SECRET_KEY


def test_migrations_are_committed(tmp_path):
    result = _run_manage(["makemigrations", "--check", "--dry-run"], {}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


# -------------------------------------------------------------------------------------------- layers
def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_the_adapter_imports_the_library():
    offenders = []
    for path in WEB.rglob("*.py"):
        if WEB / "adapter" in path.parents:  # the adapter package: mapping, loading, reports, cycle...
            continue
        if any(n == "outcomes" or n.startswith("outcomes.") for n in _imports(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], "reach the library through outcomes_web.adapter"


def test_the_library_never_imports_django_or_the_web_app_at_import_time():
    for path in LIBRARY.rglob("*.py"):
        names = _imports(path)
        assert not any(n == "django" or n.startswith("django.") for n in names), path
        assert not any(n.startswith("outcomes_web") for n in names), path
    code = ("import json, sys, outcomes_launcher; "
            "print(json.dumps(['django' in sys.modules, sorted(outcomes_launcher.main.commands)]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    django_loaded, commands = json.loads(result.stdout)
    assert django_loaded is False
    assert {"check", "convert", "bulk", "import", "export", "serve", "adduser", "remind"} <= set(commands)


# A dynamic import (importlib.import_module("outcomes_web..."), __import__("outcomes_web..."),
# find_spec, or a module path handed to one of them in a variable) is invisible to import-linter.
_DYNAMIC = re.compile(r"import_module|__import__|find_spec|spec_from|importlib")
_WEB_NAME = re.compile(r"""["'][^"'\n]*outcomes_(web|launcher)""")


def test_the_library_names_the_web_app_in_no_dynamic_import():
    offenders = []
    for path in sorted(LIBRARY.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if _DYNAMIC.search(text) and _WEB_NAME.search(text):
            for number, line in enumerate(text.splitlines(), 1):
                if _WEB_NAME.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "the library must not load outcomes_web; add web commands in outcomes_launcher"


def test_the_dynamic_import_check_would_see_the_old_loader():
    old = 'importlib.import_module("outcomes_web.cli")\n'
    assert _DYNAMIC.search(old) and _WEB_NAME.search(old)
    assert not _WEB_NAME.search('import_module("outcomes.judge")')

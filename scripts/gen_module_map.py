"""Write the module tree of docs/architecture.md from the code (a test checks it is up to date): every
package and hand-written module of ``src/`` with the first line of its docstring (no line counts,
so an edit inside a module leaves the tree current). Generated migrations, templates, static files and bundled data are left out. The prose around the tree
is kept as written.

Usage: .venv/bin/python scripts/gen_module_map.py
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
SRC = ROOT / "src"
PACKAGES = ("outcomes", "outcomes_web", "outcomes_launcher")
LEFT_OUT = {"__pycache__", "migrations", "templates", "static", "templatetags", "data"}
_BLOCK = re.compile(r"(<!-- BEGIN generated: tree \(scripts/gen_module_map.py\) -->\n)(.*?)(\n<!-- END generated: tree -->)",
                    re.S)


def summary(path: Path) -> str:
    """The first line of a module's docstring (what it holds), or '' when it has none."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    return (doc or "").strip().split("\n")[0].rstrip()


def _walk(folder: Path, depth: int, out: list[str]) -> None:
    entries = [p for p in folder.iterdir() if p.name not in LEFT_OUT and p.name != "__init__.py"
               and ((p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py")]
    for path in sorted(entries, key=lambda p: (p.is_file(), p.name)):
        indent = "    " * depth
        if path.is_dir():
            out.append(f"{indent}{path.name}/ — {summary(path / '__init__.py')}")
            _walk(path, depth + 1, out)
        else:
            out.append(f"{indent}{path.name} — {summary(path)}")


def tree() -> str:
    out: list[str] = []
    for package in PACKAGES:
        out.append(f"{package}/ — {summary(SRC / package / '__init__.py')}")
        _walk(SRC / package, 1, out)
    return "```text\n" + "\n".join(out) + "\n```"


def render() -> str:
    text = DOC.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        raise SystemExit(f"{DOC} has no 'BEGIN generated: tree' block to fill")
    return _BLOCK.sub(lambda m: m.group(1) + tree() + m.group(3), text)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")

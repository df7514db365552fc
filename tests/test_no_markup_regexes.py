"""Web tests assert on parsed HTML, not on markup: a guard so regexes over tags cannot creep back.

The rule (tests/README.md): in ``tests/web/*.py`` no ``re.`` pattern, no string tested with ``in`` /
``not in``, and no string given to ``.count``/``.index``/``.find``/``.startswith``/``.endswith`` contains
markup (``<tag``, ``</tag`` or ``attr="``); select the element with ``tests/web/html.py`` instead.
Byte strings are not pages (they are a workbook's XML, edited to craft a bad upload) and are left alone.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

WEB_TESTS = Path(__file__).resolve().parent / "web"
# "<tag", "</tag", "<!DOCTYPE", a tag pattern "<[^>]" or 'attr="'; not a regex group "(?P<name>" or an
# e-mail address "<lead@example.org>"
MARKUP = re.compile(r"""(?<!\?P)<[!/]?[a-zA-Z](?![\w.+-]*@)|<\[|\b[a-zA-Z][\w:-]*=\\?["']""")
SEARCHES = {"count", "index", "find", "rfind", "startswith", "endswith"}


def _strings(node: ast.AST) -> list[str]:
    """The literal text inside an expression: constants and the fixed parts of f-strings."""
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _searched(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) for every literal that the code looks for in something else."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            is_re = isinstance(owner, ast.Name) and owner.id == "re"
            if node.args and (is_re or node.func.attr in SEARCHES):
                found += [(node.lineno, s) for s in _strings(node.args[0])]
        elif isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
            found += [(node.lineno, s) for s in _strings(node.left)]
    return found


def markup_searches(source: str) -> list[tuple[int, str]]:
    """The searched-for literals in ``source`` that contain markup.

    >>> markup_searches('assert \\'<td class="num">3</td>\\' in html')
    [(1, '<td class="num">3</td>')]
    >>> markup_searches('assert re.search(r"Showing (\\\\d+) of 29", html)')
    []
    >>> markup_searches('data = re.sub(rb\\'<dimension ref="[^"]*"\\', b"", data)')
    []
    >>> markup_searches('assert "lead <lead@example.org>: 1 outstanding" in line')
    []
    """
    return sorted((line, s) for line, s in _searched(ast.parse(source)) if MARKUP.search(s))


@pytest.mark.parametrize("path", sorted(WEB_TESTS.glob("*.py")), ids=lambda p: p.name)
def test_web_tests_do_not_search_markup(path: Path) -> None:
    bad = markup_searches(path.read_text(encoding="utf-8"))
    assert not bad, (f"{path.name} looks for markup in a page; parse it and select the element with "
                     "tests/web/html.py (one, texts, text) instead:\n"
                     + "\n".join(f"  line {line}: {s!r}" for line, s in bad))


def test_the_guard_catches_each_kind_of_markup_search() -> None:
    caught = markup_searches("\n".join([
        "assert re.search(r'<strong class=\"tag\">', html)",
        "assert 'aria-sort=\"ascending\"' in html",
        "assert f'{word}</td>' not in html",
        "assert html.count('<svg') == 29",
        "assert html.startswith('<!DOCTYPE html>')",
        "assert 'Showing 29 of 29 series.' in html",  # plain words: allowed
    ]))
    assert [line for line, _ in caught] == [1, 2, 3, 4, 5]

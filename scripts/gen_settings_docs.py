"""Write the settings tables of docs/settings.md from the settings registries (a test checks it is
up to date): the judgement settings from ``outcomes.judge.settings`` (the dataclass defaults,
``DEFAULT_RAG``, ``DEFAULT_FOCUS_WEIGHTS`` and their meanings) and the web settings from
``outcomes_web.settings.ENVIRONMENT``. The prose around the tables is kept as written.

Usage: .venv/bin/python scripts/gen_settings_docs.py
"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"
_BLOCK = re.compile(r"(<!-- BEGIN generated: (\w+) \(scripts/gen_settings_docs.py\) -->\n)(.*?)(\n<!-- END generated: \2 -->)",
                    re.S)


def _value(value: object) -> str:
    if value is None:
        return "*none*"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{value}`"


def tables() -> dict[str, str]:
    from outcomes.judge.settings import (
        DEFAULT_FOCUS_WEIGHTS,
        DEFAULT_RAG,
        FOCUS_NOTES,
        RAG_NOTES,
        SETTING_DOCS,
        JudgementSettings,
    )
    from outcomes_web.settings import ENVIRONMENT

    defaults = JudgementSettings()
    judgement = ["| setting | default | meaning |", "|---|---|---|"]
    for f in fields(JudgementSettings):
        meaning, shown = SETTING_DOCS[f.name]
        judgement.append(f"| `{f.name}` | {shown or _value(getattr(defaults, f.name))} | {meaning} |")
    rag = ["| word | default | note |", "|---|---|---|"]
    rag += [f"| `{word}` | {_value(letter)} | {RAG_NOTES[word]} |" for word, letter in DEFAULT_RAG.items()]
    focus = ["| reason | default | applies when |", "|---|---|---|"]
    focus += [f"| `{reason}` | {_value(points)} | {FOCUS_NOTES[reason]} |"
              for reason, points in DEFAULT_FOCUS_WEIGHTS.items()]
    web = ["| variable | default | meaning |", "|---|---|---|"]
    web += [f"| `{name}` | {s.shown_default()} | {s.meaning} |" for name, s in ENVIRONMENT.items()]
    return {"judgement": "\n".join(judgement), "rag": "\n".join(rag), "focus_weights": "\n".join(focus),
            "web": "\n".join(web)}


def render(text: str | None = None) -> str:
    """docs/settings.md with its generated tables replaced by the registries' (the rest unchanged)."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    made = tables()
    found: list[str] = []

    def replace(m: re.Match[str]) -> str:
        found.append(m.group(2))
        return m.group(1) + made[m.group(2)] + m.group(4)

    out = _BLOCK.sub(replace, text)
    if sorted(found) != sorted(made):
        raise SystemExit(f"docs/settings.md must hold one generated block for each of {sorted(made)}; found {found}")
    return out


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")

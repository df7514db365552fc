"""Text files the system reads (YAML, CSV, Markdown): one YAML loader and one UTF-8 message.

**YAML.** Every YAML file (``framework.yaml``, narrative front matter, mapping and metadata files,
the package's own tables) is read with :class:`SafeLoader`: PyYAML's safe loader, which also
measures what each *alias* (``*name``, a reference to an ``&name`` anchor) would expand to, as the
parser meets it and before anything is built. A handful of nested aliases ("billion laughs")
expands to gigabytes; a file whose aliases would add more than :data:`MAX_ALIAS_EXPANSION` values
is refused with a problem naming the file, the line and column of the alias, and the fix: write
the values out in full. An ordinary alias (one list of lead officers shared by three indicators,
as in the example) reads as before. Nesting deeper than :data:`MAX_DEPTH` is refused too (it would
exhaust Python's stack).

>>> try:
...     load_yaml("a: &x [1, 2]\\nb: &b [*x, *x, *x, *x]\\nc: [*b, *b, *b]\\n", file="f.yaml", limit=20)
... except YamlRefused as exc:
...     print(exc.location, exc.message[:54])
line 3, column 5 uses the YAML alias '*b', and the file's aliases would

**Encodings.** A file that is not UTF-8 gets a fix for its own type: Excel's "CSV UTF-8" for a CSV
file, the editor's "Save as UTF-8" for YAML and Markdown (:func:`utf8_fix`).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import yaml

__all__ = ["MAX_ALIAS_EXPANSION", "MAX_DEPTH", "SafeLoader", "YamlRefused", "load_yaml", "not_utf8_at",
           "utf8_fix", "yaml_problem"]

#: Values (scalars, lists, mappings) that aliases may add to one YAML document once expanded.
MAX_ALIAS_EXPANSION = 100_000
#: Lists and mappings nested inside one another, at most.
MAX_DEPTH = 200


class YamlRefused(yaml.MarkedYAMLError):
    """A YAML file is refused before it is built: its aliases expand too far, or it nests too deep."""

    def __init__(self, message: str, fix: str, mark: Any, file: str = "") -> None:
        super().__init__(problem=message, problem_mark=mark)
        self.message = message
        self.fix = fix
        self.file = file

    @property
    def location(self) -> str:
        mark = self.problem_mark
        return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.location) if part)
        return f"{where}: {self.message} Fix: {self.fix}"


class SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing alias bombs and deep nesting while the document is composed.

    Each node's expanded size (itself and everything inside it, aliases followed) is worked out
    from its children's as the node is composed, so an alias costs one look-up, never an expansion.
    """

    file: str = ""
    limit: int = MAX_ALIAS_EXPANSION

    def compose_document(self) -> Any:
        self._sizes: dict[int, int] = {}
        self._added = 0
        self._depth = 0
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:  # the anchored list or mapping is still open: it holds itself
                raise YamlRefused(f"uses the YAML alias '*{event.anchor}' inside the value it names.",
                                  "write the values out in full: a value cannot contain itself.",
                                  event.start_mark, self.file)
            self._added += self._sizes[id(node)]
            if self._added > self.limit:
                raise YamlRefused(
                    f"uses the YAML alias '*{event.anchor}', and the file's aliases would expand to more than "
                    f"{self.limit:,} values (a few nested aliases can make a small file expand to gigabytes).",
                    "write the values out in full instead of using '&' anchors and '*' aliases (the dataset "
                    "format never needs them).", event.start_mark, self.file)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlRefused(f"nests lists or mappings more than {MAX_DEPTH} deep.",
                              "check the indentation and the brackets: the dataset format nests a few levels only.",
                              self.peek_event().start_mark, self.file)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._sizes.get(id(child), 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size = 1 + sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        else:
            size = 1
        self._sizes[id(node)] = size
        return node


def load_yaml(text: str, *, file: str = "", loader: type[SafeLoader] = SafeLoader,
              limit: int = MAX_ALIAS_EXPANSION) -> Any:
    """Parse one YAML document with ``loader`` (a :class:`SafeLoader`); raises ``yaml.YAMLError``.

    >>> load_yaml("a: 1\\nb: [x, y]\\n")
    {'a': 1, 'b': ['x', 'y']}
    """
    instance = loader(text)
    instance.file = file
    instance.limit = limit
    try:
        return instance.get_single_data()
    finally:
        instance.dispose()


def yaml_problem(exc: yaml.YAMLError) -> tuple[str, str, str]:
    """(location, message, fix) for a YAML error: an alias gets its own fix, a syntax error the usual one."""
    if isinstance(exc, YamlRefused):
        return exc.location, exc.message, exc.fix
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return (where, f"this is not valid YAML ({problem}).",
            "check the indentation (spaces, not tabs) and that text containing ':' or '#' is in quotes.")


_UTF8_FIXES = {
    ".csv": "save it as 'CSV UTF-8 (Comma delimited)' (Excel: File > Save As > CSV UTF-8), or as UTF-8 from your "
            "editor.",
    ".yaml": "save it as UTF-8 from your text editor (Notepad: File > Save As, Encoding: UTF-8; VS Code: the "
             "encoding in the status bar > Save with Encoding > UTF-8).",
    ".md": "save the Markdown file as UTF-8 from your text editor (Notepad: File > Save As, Encoding: UTF-8; "
           "VS Code: the encoding in the status bar > Save with Encoding > UTF-8).",
}
_UTF8_FIXES[".yml"] = _UTF8_FIXES[".yaml"]
_UTF8_FIXES[".markdown"] = _UTF8_FIXES[".md"]
_UTF8_FIXES[".txt"] = _UTF8_FIXES[".csv"]


def not_utf8_at(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, str]:
    """Where UTF-8 decoding of ``raw`` failed: the line (from 1) and a note naming the byte as Windows-1252
    reads it ('' when that code page has no character for it either).

    >>> raw = "Area\\nCaf\u00e9\\n".encode("cp1252")
    >>> try:
    ...     raw.decode("utf-8")
    ... except UnicodeDecodeError as exc:
    ...     not_utf8_at(raw, exc)
    (2, " (byte 0xE9, which is '\u00e9' in Windows-1252)")
    """
    line = raw[: exc.start].count(b"\n") + 1
    try:
        bad = raw[exc.start: exc.start + 1].decode("cp1252")
    except UnicodeDecodeError:
        return line, ""
    return line, f" (byte 0x{raw[exc.start]:02X}, which is '{bad}' in Windows-1252)"


def utf8_fix(file: str) -> str:
    """How to make ``file`` UTF-8, by its type.

    >>> utf8_fix("observations.csv")[:21], utf8_fix("framework.yaml")[:40]
    ("save it as 'CSV UTF-8", 'save it as UTF-8 from your text editor (')
    """
    suffix = PurePath(file.split(" ")[0]).suffix.lower()
    return _UTF8_FIXES.get(suffix, "save it as UTF-8 (Excel: 'CSV UTF-8'; a text editor: Save As, Encoding: UTF-8).")

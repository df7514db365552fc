"""The one place that says where a file stops being UTF-8 (used by the table reader and the format sniffer)."""

from __future__ import annotations

import pytest

from outcomes.sources.textfiles import not_utf8_at


def _failure(raw: bytes) -> UnicodeDecodeError:
    with pytest.raises(UnicodeDecodeError) as info:
        raw.decode("utf-8")
    return info.value


def test_names_the_line_and_the_windows_1252_character() -> None:
    raw = "Area,Value\nLeeds,1\nCaf\u00e9,2\n".encode("cp1252")
    assert not_utf8_at(raw, _failure(raw)) == (3, " (byte 0xE9, which is '\u00e9' in Windows-1252)")


def test_a_byte_windows_1252_leaves_undefined_gets_no_note() -> None:
    raw = b"a\nb\n\x81\n"  # 0x81 has no character in Windows-1252
    assert not_utf8_at(raw, _failure(raw)) == (3, "")


def test_first_line() -> None:
    raw = b"\x93quoted\x94,1\n"
    assert not_utf8_at(raw, _failure(raw)) == (1, " (byte 0x93, which is '\u201c' in Windows-1252)")

"""Every public language's catalogue is complete: no page falls back to English."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(__file__).resolve().parents[1] / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def _entries(po: Path) -> list[tuple[str, str, list[str]]]:
    """(msgid, msgstr, flags) of each entry, the strings unquoted but not unescaped."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        flags = [
            flag.strip()
            for line in block.splitlines()
            if line.startswith("#,")
            for flag in line[2:].split(",")
        ]
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            join = lambda text: "".join(re.findall(r'"(.*)"', text))  # noqa: E731
            entries.append((join(msgid.group(1)), join(msgstr.group(1)), flags))
    return entries


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    entries = [entry for entry in _entries(po) if entry[0]]
    assert len(entries) > 100
    empty = [msgid for msgid, msgstr, _flags in entries if not msgstr]
    fuzzy = [msgid for msgid, _msgstr, flags in entries if "fuzzy" in flags]
    assert not empty, f"untranslated in {language}: {empty}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_compiles_cleanly(language, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(  # noqa: S603  (our own file, a fixed tool)
        [msgfmt, "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
    assert re.search(r"^\d+ translated messages\.$", result.stderr.strip(), re.M)


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_phone_numbers_survive_translation(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    for msgid, msgstr, _flags in _entries(po):
        assert re.findall(r"%\(\w+\)s|\{\w+\}", msgid) == re.findall(r"%\(\w+\)s|\{\w+\}", msgstr)
        for number in ("999", "08000 121 700", "55"):
            if number in msgid:
                assert number in msgstr, (language, msgid)

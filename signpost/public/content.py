"""Staff-entered page text to HTML: only paragraphs, lists and headings, everything escaped.

Staff type plain text in the admin. Nothing they type is ever treated as markup: each line is
escaped first, and only the structure (blank lines, "- " and "## " at the start of a line) turns
into tags that this module writes itself.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LIST_MARK = "- "
HEADING_MARK = "## "


def _flush(parts: list[str], kind: str, lines: list[str]) -> None:
    if kind == "p" and lines:
        parts.append('<p class="govuk-body">' + "<br>".join(lines) + "</p>")
    elif kind == "ul" and lines:
        items = "".join(f"<li>{item}</li>" for item in lines)
        parts.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
    lines.clear()


def render_page_text(text: str) -> SafeString:
    parts: list[str] = []
    kind, lines = "", list[str]()
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        heading = line.removeprefix(HEADING_MARK.strip()).strip()
        item = line.removeprefix(LIST_MARK.strip()).strip()
        if not line:
            _flush(parts, kind, lines)
        elif line.startswith(HEADING_MARK) and heading:
            _flush(parts, kind, lines)
            parts.append(f'<h2 class="govuk-heading-m">{escape(heading)}</h2>')
        elif line.startswith(LIST_MARK) and item:
            if kind != "ul":
                _flush(parts, kind, lines)
                kind = "ul"
            lines.append(escape(item))
        else:
            if kind != "p":
                _flush(parts, kind, lines)
                kind = "p"
            lines.append(escape(line))
    _flush(parts, kind, lines)
    return mark_safe("".join(parts))  # noqa: S308  (built only from escaped text and our tags)

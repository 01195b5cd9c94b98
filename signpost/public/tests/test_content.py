"""Staff-entered page text becomes paragraphs, lists and headings, and never markup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from signpost.public.content import render_page_text


def test_paragraphs_lists_and_headings():
    html = render_page_text("One\nline two\n\n- a\n- b\nafter\n\n## Heading\r\n\r\nEnd")
    assert html == (
        '<p class="govuk-body">One<br>line two</p>'
        '<ul class="govuk-list govuk-list--bullet"><li>a</li><li>b</li></ul>'
        '<p class="govuk-body">after</p>'
        '<h2 class="govuk-heading-m">Heading</h2>'
        '<p class="govuk-body">End</p>'
    )


def test_markup_is_shown_as_typed():
    html = render_page_text('<script>alert("x")</script>\n- <img src=x onerror=alert(1)>\n## <b>')
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_empty_markers_stay_text():
    assert render_page_text("-\n##") == '<p class="govuk-body">-<br>##</p>'
    assert render_page_text("") == ""


@given(st.text(max_size=300))
def test_any_text_gives_only_our_own_tags(text):
    html = str(render_page_text(text))
    stripped = html
    for tag in (
        '<p class="govuk-body">',
        "</p>",
        "<br>",
        '<ul class="govuk-list govuk-list--bullet">',
        "</ul>",
        "<li>",
        "</li>",
        '<h2 class="govuk-heading-m">',
        "</h2>",
    ):
        stripped = stripped.replace(tag, "")
    assert "<" not in stripped
    assert ">" not in stripped

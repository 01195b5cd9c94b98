"""Anonymised statistics: a quarter's counts by area and source, exploitation type and outcome.

Only reporting areas (the configured Area rows), whole quarters or months and category codes go
in; every table leaves here already suppressed, as plain JSON that can be stored and published.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from signpost.insights import selectors
from signpost.insights.suppression import THRESHOLD, suppress

FEWER_THAN_FIVE = _("fewer than 5")
NOT_RECORDED = _("Area not recorded")
TOTAL = _("Total")


def quarter_choices(count: int = 12) -> list[tuple[str, str]]:
    """Ended quarters, the most recent first, as ("2026-3", "2026 Q3")."""
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    choices = []
    for _step in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        choices.append((f"{year}-{quarter}", f"{year} Q{quarter}"))
    return choices


def parse_quarter(value: str) -> tuple[int, int] | None:
    try:
        year_text, quarter_text = value.split("-")
        year, quarter = int(year_text), int(quarter_text)
    except (ValueError, AttributeError):
        return None
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        return None
    return year, quarter


def quarter_months(year: int, quarter: int) -> list[datetime.date]:
    return [datetime.date(year, 3 * (quarter - 1) + offset, 1) for offset in (1, 2, 3)]


def _labels(choices: Any) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


def source_labels() -> dict[str, str]:
    from signpost.referrals.models import ReferralSource

    return _labels(ReferralSource.choices)


def exploitation_labels() -> dict[str, str]:
    from signpost.cases.models import ExploitationType

    return _labels(ExploitationType.choices)


def outcome_labels() -> dict[str, str]:
    from signpost.cases.models import ClosureOutcome

    return _labels(ClosureOutcome.choices)


def build_table(
    *,
    title: str,
    row_heading: str,
    rows: list[tuple[Any, str]],
    columns: list[tuple[str, str]],
    counts: dict[tuple[Any, str], int],
    threshold: int = THRESHOLD,
    columns_independent: bool = False,
) -> dict[str, Any]:
    """A table as JSON: headers, rows of shown cells (numbers or "fewer than 5"), totals.

    columns_independent: the columns measure different things (leaflets, scans, referrals), so
    there is no row total; each column is suppressed on its own with its column total.
    """
    keys = [key for key, _label in rows]
    cells = [[int(counts.get((row, column), 0)) for column, _label in columns] for row in keys]
    if any(row_key is None for row_key in keys) and not any(
        counts.get((None, column)) for column, _label in columns
    ):
        # An empty "area not recorded" row tells nothing and costs suppression: leave it out.
        index = keys.index(None)
        del cells[index], rows[index]
    if not cells:
        cells, rows = [[0 for _column in columns]], [("-", "-")]
    if columns_independent:
        placeholder = str(FEWER_THAN_FIVE)
        by_column = [
            suppress([[row[c]] for row in cells], threshold=threshold).shown(placeholder)
            for c in range(len(columns))
        ]
        return {
            "title": title,
            "headers": [row_heading, *[label for _key, label in columns]],
            "rows": [
                [label, *[column[index][0] for column in by_column]]
                for index, (_key, label) in enumerate(rows)
            ],
            "totals": [str(TOTAL), *[column[-1][0] for column in by_column]],
        }
    table = suppress(cells, threshold=threshold)
    shown = table.shown(str(FEWER_THAN_FIVE))
    return {
        "title": title,
        "headers": [row_heading, *[label for _key, label in columns], str(TOTAL)],
        "rows": [[label, *shown[index]] for index, (_key, label) in enumerate(rows)],
        "totals": [str(TOTAL), *shown[-1]],
    }


def _area_rows(region_id: int) -> list[tuple[Any, str]]:
    rows: list[tuple[Any, str]] = [(area.pk, area.name) for area in selectors.areas_of([region_id])]
    rows.append((None, str(NOT_RECORDED)))
    return rows


def quarter_tables(*, region_id: int, year: int, quarter: int) -> list[dict[str, Any]]:
    """The published tables of one quarter of one region."""
    areas = _area_rows(region_id)
    area_heading = gettext("Area")
    sources = list(source_labels().items())
    types = list(exploitation_labels().items())
    outcomes = list(outcome_labels().items())
    return [
        build_table(
            title=gettext("Referrals received, by area and source"),
            row_heading=area_heading,
            rows=list(areas),
            columns=sources,
            counts=selectors.referral_counts_by_area_and(
                region_id=region_id, year=year, quarter=quarter, column="source"
            ),
        ),
        build_table(
            title=gettext("Cases opened, by area and main type of exploitation"),
            row_heading=area_heading,
            rows=[row for row in areas if row[0] is not None],
            columns=types,
            counts=selectors.cases_opened_by_area_and_type(
                region_id=region_id, year=year, quarter=quarter
            ),
        ),
        build_table(
            title=gettext("Cases closed, by area and outcome"),
            row_heading=area_heading,
            rows=[row for row in areas if row[0] is not None],
            columns=outcomes,
            counts=selectors.cases_closed_by_area_and_outcome(
                region_id=region_id, year=year, quarter=quarter
            ),
        ),
    ]


def partner_tables(
    *, region_id: int, organisation_ids: Iterable[int], year: int, quarter: int
) -> list[dict[str, Any]]:
    """A partner organisation's own referrals and leaflets, suppressed the same way."""
    organisation_ids = list(organisation_ids)
    areas = _area_rows(region_id)
    months = [
        (month.strftime("%Y-%m"), month.strftime("%Y-%m"))
        for month in quarter_months(year, quarter)
    ]
    leaflets = selectors.leaflets_distributed_by_area(
        organisation_ids=organisation_ids, year=year, quarter=quarter
    )
    return [
        build_table(
            title=gettext("Referrals your organisation made, by area and month"),
            row_heading=gettext("Area"),
            rows=list(areas),
            columns=months,
            counts=selectors.referral_counts_by_area_and(
                region_id=region_id,
                year=year,
                quarter=quarter,
                column="month",
                partner_organisation_ids=organisation_ids,
            ),
        ),
        build_table(
            title=gettext("Leaflets your organisation gave out, by area"),
            row_heading=gettext("Area"),
            rows=[row for row in areas if row[0] is not None],
            columns=[("leaflets", gettext("Leaflets"))],
            counts={(area, "leaflets"): n for area, n in leaflets.items()},
        ),
    ]


def localised(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Published tables in the reader's language.

    They are frozen in the site's default language (English, the catalogues' source), so each
    label is its own message id: titles, headings, sources, types, outcomes and "fewer than 5"
    translate; figures and area names have no translation and stay as they are.
    """

    def translate(value: Any) -> Any:
        return gettext(value) if isinstance(value, str) and value else value

    return [
        {
            **table,
            "title": translate(table["title"]),
            "headers": [translate(header) for header in table["headers"]],
            "rows": [[translate(cell) for cell in row] for row in table["rows"]],
            "totals": [translate(cell) for cell in table["totals"]],
        }
        for table in tables
    ]


def csv_rows(tables: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """All tables in one CSV: table title, row label, column label, value."""
    header = [gettext("Table"), gettext("Row"), gettext("Column"), gettext("Count")]
    rows: list[list[Any]] = []
    for table in tables:
        column_labels = table["headers"][1:]
        for row in [*table["rows"], table["totals"]]:
            for column_label, value in zip(column_labels, row[1:], strict=True):
                rows.append([table["title"], row[0], column_label, value])
    return header, rows

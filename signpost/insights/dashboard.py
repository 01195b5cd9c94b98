"""The dashboard's figures: every chart with the table that carries the same numbers.

A Chart is plain data: the template draws the table, the script draws the chart from the same
JSON, and the CSV download writes the table. One source for all three, so they always agree.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from signpost.insights import selectors, statistics
from signpost.insights.access import DashboardScope

# Shown where a share or an average has nothing to be taken from.
NOT_AVAILABLE = "-"

SECTIONS = {
    "referrals": gettext_lazy("Referrals"),
    "response": gettext_lazy("Response"),
    "cases": gettext_lazy("Cases and outcomes"),
    "outreach": gettext_lazy("Outreach"),
    "adverts": gettext_lazy("Adverts"),
}


@dataclass
class Chart:
    slug: str
    section: str
    title: str
    kind: str  # bar, line, stacked, map, table
    headers: list[str]
    rows: list[list[Any]]
    # Which table columns the chart draws (indexes into rows after the label column).
    series: list[int] = field(default_factory=list)
    note: str = ""

    def data(self) -> dict[str, Any]:
        labels = [str(row[0]) for row in self.rows]
        return {
            "kind": self.kind,
            "title": self.title,
            "labels": labels,
            "datasets": [
                {
                    "label": str(self.headers[index + 1]),
                    "data": [row[index + 1] for row in self.rows],
                }
                for index in self.series
            ],
        }


@dataclass
class Period:
    start: datetime.date
    end: datetime.date

    def months(self) -> list[datetime.date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def default_period(today: datetime.date) -> Period:
    end = today.replace(day=1)
    start = end
    for _i in range(11):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return Period(start, end)


class Totals:
    """Tallies summed by measure and key, by month and by area."""

    def __init__(self, rows: list[selectors.TallyRow]) -> None:
        self.by_key: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0, 0])
        self.by_month: dict[tuple[str, str, datetime.date], int] = defaultdict(int)
        self.by_area: dict[tuple[str, int | None], int] = defaultdict(int)
        for row in rows:
            totals = self.by_key[(row.measure, row.key)]
            totals[0] += row.count
            totals[1] += row.hours
            totals[2] += row.within_target
            self.by_month[(row.measure, row.key, row.month)] += row.count
            self.by_area[(row.measure, row.area_id)] += row.count

    def count(self, measure: str, key: str = "") -> int:
        return int(self.by_key[(measure, key)][0]) if (measure, key) in self.by_key else 0

    def keys(self, measure: str) -> dict[str, int]:
        return {
            key: int(values[0])
            for (name, key), values in self.by_key.items()
            if name == measure and values[0]
        }

    def duration(self, measure: str, key: str) -> tuple[int, float | None, int]:
        """(how many, average hours, how many within target)."""
        if (measure, key) not in self.by_key:
            return 0, None, 0
        count, hours, within = self.by_key[(measure, key)]
        return int(count), (hours / count if count else None), int(within)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else NOT_AVAILABLE


def rounded(value: float | None, digits: int = 1) -> float | str:
    return NOT_AVAILABLE if value is None else round(value, digits)


def _labelled(counts: dict[str, int], labels: dict[str, str]) -> list[list[Any]]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [[labels.get(key, key), n] for key, n in ordered]


def language_labels() -> dict[str, str]:
    from django.conf import settings
    from django.utils.translation import get_language_info

    names = {code: str(name) for code, name in settings.LANGUAGES}
    names["unknown"] = _("Not recorded")
    for code in ("ar", "bg", "fa", "hu", "ku", "lt", "pa", "ru", "so", "ti", "uk", "ur", "zh-hans"):
        try:
            names.setdefault(code, get_language_info(code)["name_translated"])
        except KeyError:
            continue
    return names


def nationality_labels() -> dict[str, str]:
    # Country names for the codes referrals use most; other codes show as they are.
    return {
        "RO": _("Romania"),
        "AL": _("Albania"),
        "PL": _("Poland"),
        "VN": _("Vietnam"),
        "GB": _("United Kingdom"),
        "NG": _("Nigeria"),
        "BG": _("Bulgaria"),
        "SK": _("Slovakia"),
        "CZ": _("Czechia"),
        "LT": _("Lithuania"),
        "HU": _("Hungary"),
        "ER": _("Eritrea"),
        "SD": _("Sudan"),
        "CN": _("China"),
        "unknown": _("Not recorded"),
    }


def band_labels() -> dict[str, str]:
    from signpost.referrals.models import RiskBand

    return {str(value): str(label) for value, label in RiskBand.choices}


def build(
    *,
    scope: DashboardScope,
    period: Period,
    area_id: int | None,
    areas: dict[int, str],
) -> list[Chart]:
    rows = selectors.tallies(region_id=scope.region_id, start=period.start, end=period.end)
    area_filter: set[int] | None = None
    if scope.area_ids is not None:
        area_filter = set(scope.area_ids)
    if area_id is not None:
        area_filter = {area_id} if area_filter is None else area_filter & {area_id}
    if area_filter is not None:
        # Adverts are counted per region (towns are not reporting areas), so they stay.
        rows = [r for r in rows if r.area_id in area_filter or r.measure.startswith("adverts.")]
    totals = Totals(rows)
    charts: list[Chart] = []
    months = period.months()
    month_labels = [month.strftime("%Y-%m") for month in months]

    if scope.shows("referrals"):
        charts.extend(_referral_charts(totals, months, month_labels, areas, area_filter))
    if scope.shows("response"):
        charts.extend(_response_charts(totals))
    if scope.shows("cases"):
        charts.extend(_case_charts(totals))
    if scope.shows("adverts"):
        charts.extend(_advert_charts(totals, months, month_labels))
    return charts


def _referral_charts(
    totals: Totals,
    months: list[datetime.date],
    month_labels: list[str],
    areas: dict[int, str],
    area_filter: set[int] | None,
) -> list[Chart]:
    sources = statistics.source_labels()
    by_month_rows = []
    for month, label in zip(months, month_labels, strict=True):
        row: list[Any] = [label]
        row += [totals.by_month.get(("referrals.source", key, month), 0) for key in sources]
        row.append(totals.by_month.get(("referrals.total", "", month), 0))
        by_month_rows.append(row)
    shown_areas = {
        pk: name for pk, name in areas.items() if area_filter is None or pk in area_filter
    }
    area_rows: list[list[Any]] = [
        [name, totals.by_area.get(("referrals.total", pk), 0)] for pk, name in shown_areas.items()
    ]
    unplaced = totals.by_area.get(("referrals.total", None), 0)
    if unplaced:
        area_rows.append([str(statistics.NOT_RECORDED), unplaced])
    total = totals.count("referrals.total")
    urgent, children = totals.count("referrals.urgent"), totals.count("referrals.possible_child")
    return [
        Chart(
            slug="referrals-by-month",
            section="referrals",
            title=_("Referrals each month, by source"),
            kind="stacked",
            headers=[_("Month"), *sources.values(), _("Total")],
            rows=by_month_rows,
            series=list(range(len(sources))),
        ),
        Chart(
            slug="referrals-by-area",
            section="referrals",
            title=_("Referrals by area"),
            kind="map",
            headers=[_("Area"), _("Referrals")],
            rows=area_rows,
            series=[0],
            note=_("Counts per area: the map never shows where a person is."),
        ),
        Chart(
            slug="referrals-by-language",
            section="referrals",
            title=_("Referrals by language spoken"),
            kind="bar",
            headers=[_("Language"), _("Referrals")],
            rows=_labelled(totals.keys("referrals.language"), language_labels()),
            series=[0],
            note=_("A referral with several languages counts once for each."),
        ),
        Chart(
            slug="referrals-by-nationality",
            section="referrals",
            title=_("Referrals by nationality"),
            kind="bar",
            headers=[_("Nationality"), _("Referrals")],
            rows=_labelled(totals.keys("referrals.nationality"), nationality_labels()),
            series=[0],
        ),
        Chart(
            slug="urgent-and-children",
            section="referrals",
            title=_("Urgent referrals and possible children"),
            kind="bar",
            headers=[_("Referrals"), _("Number"), _("Share of all referrals")],
            rows=[
                [_("All referrals"), total, percent(total, total)],
                [_("Urgent"), urgent, percent(urgent, total)],
                [_("Possibly under 18"), children, percent(children, total)],
            ],
            series=[0],
        ),
    ]


def _response_charts(totals: Totals) -> list[Chart]:
    targets = selectors.response_targets()
    bands = band_labels()
    rows = []
    for band, label in bands.items():
        first_target, case_target = targets.get(band, (0.0, 0.0))
        received = totals.count("referrals.risk_band", band)
        acted, acted_hours, acted_within = totals.duration("response.first_action", band)
        opened, opened_hours, opened_within = totals.duration("response.case_opened", band)
        rows.append(
            [
                label,
                received,
                rounded(first_target, 0),
                acted,
                rounded(acted_hours),
                percent(acted_within, acted),
                rounded(case_target, 0),
                opened,
                rounded(opened_hours),
                percent(opened_within, opened),
            ]
        )
    return [
        Chart(
            slug="response-times",
            section="response",
            title=_("Response times against the targets, by risk band"),
            kind="bar",
            headers=[
                _("Risk band"),
                _("Referrals"),
                _("First action target (hours)"),
                _("Acted on"),
                _("Average hours to first action"),
                _("First action within target"),
                _("Case opening target (hours)"),
                _("Cases opened"),
                _("Average hours to case opening"),
                _("Case opened within target"),
            ],
            rows=rows,
            series=[3, 7],
        )
    ]


def _case_charts(totals: Totals) -> list[Chart]:
    outcomes = statistics.outcome_labels()
    decisions = {"positive": _("Positive"), "negative": _("Negative")}
    nrm_rows = []
    for stage, measure in (
        (_("Reasonable Grounds"), "nrm.reasonable_grounds"),
        (_("Conclusive Grounds"), "nrm.conclusive_grounds"),
    ):
        for key, label in decisions.items():
            count, hours, within = totals.duration(measure, key)
            nrm_rows.append(
                [
                    f"{stage}: {label}",
                    count,
                    rounded(hours / 24 if hours is not None else None),
                    percent(within, count)
                    if measure == "nrm.reasonable_grounds"
                    else NOT_AVAILABLE,
                ]
            )
    return [
        Chart(
            slug="cases-by-exploitation",
            section="cases",
            title=_("Cases opened, by type of exploitation"),
            kind="bar",
            headers=[_("Type of exploitation"), _("Cases")],
            rows=_labelled(totals.keys("cases.exploitation"), statistics.exploitation_labels()),
            series=[0],
            note=_("A case with several types counts once for each."),
        ),
        Chart(
            slug="case-outcomes",
            section="cases",
            title=_("Outcomes of cases closed"),
            kind="bar",
            headers=[_("Outcome"), _("Cases")],
            rows=_labelled(totals.keys("cases.outcome"), outcomes),
            series=[0],
        ),
        Chart(
            slug="nrm-decisions",
            section="cases",
            title=_("NRM decisions and the time to them"),
            kind="bar",
            headers=[
                _("Decision"),
                _("Decisions"),
                _("Average days from submission"),
                _("Within 5 working days"),
            ],
            rows=nrm_rows,
            series=[0],
        ),
    ]


def _advert_charts(
    totals: Totals, months: list[datetime.date], month_labels: list[str]
) -> list[Chart]:
    rows = [
        [
            label,
            totals.by_month.get(("adverts.groups", "", month), 0),
            totals.by_month.get(("adverts.alerts", "raised", month), 0),
            totals.by_month.get(("adverts.alerts", "acted", month), 0),
        ]
        for month, label in zip(months, month_labels, strict=True)
    ]
    towns = sorted(totals.keys("adverts.towns").items(), key=lambda item: (-item[1], item[0]))
    return [
        Chart(
            slug="adverts-by-month",
            section="adverts",
            title=_("Advert groups found and alerts, each month"),
            kind="bar",
            headers=[_("Month"), _("New groups"), _("Alerts raised"), _("Alerts acted on")],
            rows=rows,
            series=[0, 1, 2],
        ),
        Chart(
            slug="advert-towns",
            section="adverts",
            title=_("Towns advert groups moved through"),
            kind="bar",
            headers=[_("Town"), _("Groups seen there")],
            rows=[[town, n] for town, n in towns[:20]],
            series=[0],
        ),
    ]


def caseload_chart(rows: list[tuple[str, int]]) -> Chart:
    return Chart(
        slug="caseload",
        section="cases",
        title=_("Open cases per lead investigator"),
        kind="bar",
        headers=[_("Investigator"), _("Open cases")],
        rows=[[name, n] for name, n in rows],
        series=[0],
        note=_("Today's caseload, whatever the period chosen."),
    )


def outreach_charts(tables: list[tuple[str, str, list[str], list[list[Any]]]]) -> list[Chart]:
    """Outreach attribution tables (from the outreach app's selectors) as charts."""
    return [
        Chart(
            slug=slug,
            section="outreach",
            title=title,
            kind="bar",
            headers=headers,
            rows=rows,
            # Scans, referrals and cases: leaflets given out would dwarf them on one axis.
            series=[2, 3, 4] if len(headers) > 5 else [0],
        )
        for slug, title, headers, rows in tables
    ]

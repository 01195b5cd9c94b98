"""Print-ready leaflet PDFs: one A6 leaflet, or an A4 sheet of four to cut.

Everything the printer needs is inside the document: the QR code is an embedded SVG, the font
comes from the system through fontconfig (DejaVu Sans covers the Romanian ș ț ă â î, Polish,
Albanian and Vietnamese letters), and nothing is fetched over the network.
"""

from __future__ import annotations

import logging

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from signpost.outreach.leaflet_text import HELPLINE_NUMBER
from signpost.outreach.models import LeafletEdition, PointLeaflet

# WeasyPrint reports each rendering step at INFO; one leaflet would add seven lines to the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

LAYOUTS = {
    "a6": _("A6 leaflet"),
    "a4": _("A4 sheet of four"),
}
LEAFLETS_PER_LAYOUT = {"a6": 1, "a4": 4}


def landing_url(token: str) -> str:
    return f"{settings.SITE_URL}/q/{token}"


def qr_svg_data_uri(url: str) -> str:
    # Error correction M survives a crease or a smudge; the quiet zone of four modules is
    # what scanners expect.
    return str(segno.make(url, error="m", micro=False).svg_data_uri(border=4, scale=4))


def _signs(edition: LeafletEdition) -> list[str]:
    return [line.strip(" -•\t") for line in edition.signs.splitlines() if line.strip(" -•\t")]


def render_leaflet_html(*, edition: LeafletEdition, token: str, layout: str) -> str:
    url = landing_url(token)
    with translation.override(edition.language):
        return render_to_string(
            "outreach/leaflet_pdf.html",
            {
                "edition": edition,
                "signs": _signs(edition),
                "paragraphs_what_is": [p for p in edition.what_is.split("\n\n") if p.strip()],
                "paragraphs_get_help": [p for p in edition.get_help.split("\n\n") if p.strip()],
                "qr": qr_svg_data_uri(url),
                "url": url,
                "helpline": HELPLINE_NUMBER,
                "layout": layout,
                "copies": range(LEAFLETS_PER_LAYOUT[layout]),
            },
        )


def render_leaflet_pdf(*, leaflet: PointLeaflet, layout: str) -> bytes:
    if layout not in LAYOUTS:
        raise ValueError(f"Unknown leaflet layout {layout!r}")
    html = render_leaflet_html(
        edition=leaflet.edition, token=leaflet.landing_token.token, layout=layout
    )
    # Imported here, as the other PDF modules do: WeasyPrint takes most of a second to import,
    # which every command and worker paid on start through the URLconf's system checks.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=html, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf()
    return pdf

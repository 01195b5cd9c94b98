"""Generated leaflets read back: page size, text and diacritics, font, and the QR code's URL."""

import io

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.conf import settings

from signpost.outreach.leaflet_text import HELPLINE_NUMBER
from signpost.outreach.pdf import render_leaflet_pdf
from signpost.outreach.tests import factories as f

A6_POINTS = (297.6, 419.5)
A4_POINTS = (595.3, 841.9)


def page_size(page):
    box = page.mediabox
    return (round(float(box.width), 1), round(float(box.height), 1))


def decoded_qr_codes(pdf: bytes) -> list[str]:
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image) if code.format.name == "QRCode"]


def font_names(page) -> set[str]:
    fonts = page["/Resources"]["/Font"]
    return {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a6_leaflet_in_each_language_is_one_page_with_its_text_and_a_working_qr(world, language):
    edition = f.edition(world.a, language)
    leaflet = f.leaflet(world.a, f.point(world.a), edition)

    pdf = render_leaflet_pdf(leaflet=leaflet, layout="a6")

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert page_size(reader.pages[0]) == A6_POINTS
    text = " ".join(reader.pages[0].extract_text().split())
    assert " ".join(edition.title.split()) in text
    assert HELPLINE_NUMBER in text
    assert "999" in text
    assert all(font.split("+")[-1].startswith("DejaVu") for font in font_names(reader.pages[0]))
    assert decoded_qr_codes(pdf) == [f"{settings.SITE_URL}/q/{leaflet.landing_token.token}"]


def test_romanian_leaflet_keeps_its_diacritics(world):
    edition = f.edition(world.a, "ro")
    leaflet = f.leaflet(world.a, f.point(world.a), edition)

    text = pypdf.PdfReader(io.BytesIO(render_leaflet_pdf(leaflet=leaflet, layout="a6")))
    text = text.pages[0].extract_text()

    assert "Ce este sclavia modernă?" in text
    assert "siguranță" in text
    assert "Cineva controlează unde mergi" in text
    for letter in "șțăâî":
        assert letter in text, letter
    # Comma-below letters, never the cedilla look-alikes that older fonts substitute.
    assert "ş" not in text
    assert "ţ" not in text


def test_a4_sheet_has_four_leaflets_each_with_the_points_qr(world):
    edition = f.edition(world.a, "pl")
    leaflet = f.leaflet(world.a, f.point(world.a), edition)

    pdf = render_leaflet_pdf(leaflet=leaflet, layout="a4")

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert page_size(reader.pages[0]) == A4_POINTS
    assert reader.pages[0].extract_text().count(HELPLINE_NUMBER) == 4
    url = f"{settings.SITE_URL}/q/{leaflet.landing_token.token}"
    assert decoded_qr_codes(pdf) == [url] * 4


def test_staff_text_is_printed_as_text_never_as_markup(world):
    edition = f.edition(world.a, "en")
    edition.title = "<b>Help</b> & <script>x</script>"
    edition.save()
    leaflet = f.leaflet(world.a, f.point(world.a), edition)

    text = pypdf.PdfReader(io.BytesIO(render_leaflet_pdf(leaflet=leaflet, layout="a6")))

    assert "<b>Help</b> & <script>x</script>" in text.pages[0].extract_text()


def test_unknown_layout_is_refused(world):
    leaflet = f.leaflet(world.a, f.point(world.a), f.edition(world.a))
    with pytest.raises(ValueError):
        render_leaflet_pdf(leaflet=leaflet, layout="a3")

"""Staff pages follow the user's language; the leaflet's text ships in every public language."""

from django.conf import settings
from django.utils import translation

from signpost.outreach import leaflet_text
from signpost.outreach.selectors import PLACES_LISTED
from signpost.outreach.tests import factories as f


def test_romanian_staff_see_the_record_form_in_romanian(world, signed_in):
    f.point(world.a)
    f.edition(world.a, "ro")
    world.a.volunteer.language = "ro"
    world.a.volunteer.save()

    page = signed_in(world.a.volunteer).get("/staff/outreach/record/").content.decode()

    assert "Înregistrează pliante" in page
    assert "Câte" in page
    assert "Lăsate la fața locului" in page


def test_the_shipped_leaflet_text_is_translated_into_every_public_language():
    texts = (leaflet_text.TITLE, leaflet_text.WHAT_IS, leaflet_text.SIGNS, leaflet_text.GET_HELP)
    with translation.override("en"):
        english = [str(text) for text in texts]
    for language, _name in settings.LANGUAGES:
        if language == "en":
            continue
        with translation.override(language):
            translated = [str(text) for text in texts]
        for source, target in zip(english, translated, strict=True):
            assert target != source, (language, source[:30])
        assert len(translated[2].splitlines()) == len(english[2].splitlines()), language


def test_romanian_staff_search_for_a_place_in_romanian(world, signed_in):
    for number in range(PLACES_LISTED + 1):
        f.point(world.a, f"Loc {number}")
    f.edition(world.a, "ro")
    world.a.volunteer.language = "ro"
    world.a.volunteer.save()

    page = signed_in(world.a.volunteer).get("/staff/outreach/record/", {"q": "nicăieri"})

    assert "Caută locul" in page.content.decode()
    assert "Niciun loc din zonele tale nu se potrivește cu „nicăieri”" in page.content.decode()

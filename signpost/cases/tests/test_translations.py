"""The case page in Romanian, for staff who chose Romanian as their language."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_case_page_is_in_romanian_for_a_romanian_speaking_investigator(
    world, case, victim, phone, signed_in
):
    investigator = world.a.investigator
    investigator.language = "ro"
    investigator.save(update_fields=["language"])

    response = signed_in(investigator).get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert f"Cazul {case.reference}" in content
    assert "Regiune și zonă" in content
    assert "Adaugă o persoană" in content
    assert "Responsabili cu preluarea cazurilor" in content
    assert "Mecanismul Național de Referire (NRM)" in content
    assert "Nicio sarcină încă." in content
    assert "Region and area" not in content
    assert "No tasks yet." not in content

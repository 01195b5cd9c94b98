import pytest

pytestmark = pytest.mark.django_db


def test_not_found_page_offers_a_way_out_and_999(client):
    response = client.get("/ro/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "data-quick-exit" in content
    assert "Pagina nu a fost găsită" in content
    assert "999" in content

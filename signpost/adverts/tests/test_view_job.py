import pytest

from signpost.adverts import services
from signpost.adverts.tests.conftest import ORGANISED, jsonl


def make_job(world):
    return services.import_job_create(region=world.a.region, by=world.a.analyst,
                                      data=jsonl(ORGANISED), file_name="a.jsonl")  # fmt: skip


def test_progress_polls_until_finished(world, signed_in):
    job = make_job(world)
    client = signed_in(world.a.analyst)
    url = f"/staff/adverts/upload/{job.public_id}/"
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in html
    services.import_job_run(job_id=job.pk)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert 'data-status="done"' in partial and "<html" not in partial


@pytest.mark.parametrize("who", ["b.analyst", "a.lead", "a.investigator", "a.volunteer"])
def test_others_get_404(world, signed_in, who):
    job = make_job(world)
    region, role = who.split(".")
    user = getattr(world, region).users[role]
    assert signed_in(user).get(f"/staff/adverts/upload/{job.public_id}/").status_code == 404

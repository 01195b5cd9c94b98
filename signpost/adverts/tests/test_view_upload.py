import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from signpost.adverts.models import ImportJob
from signpost.adverts.tests.conftest import ORGANISED, jsonl

URL = "/staff/adverts/upload/"


def test_analyst_uploads_a_file_and_the_task_is_queued(world, signed_in):
    client = signed_in(world.a.analyst)
    assert client.get(URL).status_code == 200
    upload = SimpleUploadedFile("ads.jsonl", jsonl(ORGANISED))
    response = client.post(URL, {"file": upload, "source": "", "region": world.a.region.pk})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/adverts/upload/{job.public_id}/"
    assert job.status == ImportJob.Status.QUEUED
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="import_job_task").exists()


def test_too_large_or_wrong_files_are_refused_with_a_message(world, signed_in, settings):
    settings.ADVERTS_MAX_UPLOAD_BYTES = 20
    client = signed_in(world.a.analyst)
    response = client.post(URL, {"file": SimpleUploadedFile("a.jsonl", b"x" * 50),
                                 "region": world.a.region.pk})  # fmt: skip
    assert b"larger than" in response.content
    response = client.post(URL, {"file": SimpleUploadedFile("a.exe", b"x"),
                                 "region": world.a.region.pk})  # fmt: skip
    assert b"JSON Lines" in response.content
    assert not ImportJob.objects.exists()


def test_analyst_cannot_upload_into_another_region(world, signed_in):
    client = signed_in(world.a.analyst)
    upload = SimpleUploadedFile("ads.jsonl", jsonl(ORGANISED))
    response = client.post(URL, {"file": upload, "region": world.b.region.pk})
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", ["lead", "investigator", "handler", "volunteer", "admin"])
def test_other_roles_get_404(world, signed_in, role):
    assert signed_in(world.a.users[role]).get(URL).status_code == 404

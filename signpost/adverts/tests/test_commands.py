import json

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

from signpost.adverts.models import Advert
from signpost.adverts.tests.conftest import ORGANISED, jsonl
from signpost.core.models import AuditEvent


def test_import_command_reports_and_is_idempotent(world, tmp_path, capsys):
    path = tmp_path / "ads.jsonl"
    path.write_bytes(jsonl(ORGANISED) + b"oops\n")
    call_command("adverts_import", str(path), "--region", world.a.region.slug, "--no-progress")
    out, err = capsys.readouterr()
    assert "3 new" in out and "1 skipped" in out
    assert "line 4: The line is not valid JSON." in err
    call_command("adverts_import", str(path), "--region", world.a.region.slug, "--no-progress")
    assert "3 unchanged" in capsys.readouterr().out
    assert Advert.objects.count() == 3


def test_import_command_needs_a_known_region(world, tmp_path):
    path = tmp_path / "ads.jsonl"
    path.write_bytes(jsonl(ORGANISED))
    with pytest.raises(CommandError):
        call_command("adverts_import", str(path), "--region", "nowhere")
    with pytest.raises(CommandError):
        call_command("adverts_import", str(path))  # two regions: must be named


def test_export_command_writes_one_line_per_advert(world, tmp_path, import_adverts):
    import_adverts(world.a.region, ORGANISED)
    out = tmp_path / "out.jsonl"
    call_command("adverts_export", str(out), "--region", world.a.region.slug)
    rows = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {"op-1", "op-2", "ind-1"}
    assert rows["op-1"]["group"] == rows["op-2"]["group"] is not None
    assert rows["ind-1"]["group"] is None
    assert rows["op-1"]["phones"] == ["+447911123456"]
    assert rows["op-1"]["ages"] == [19]
    assert "new_arrival" in rows["op-1"]["indicators"]
    assert set(rows["op-1"]) == {"id", "source", "group", "phones", "emails", "ages", "indicators"}
    assert AuditEvent.objects.filter(action="export", target_type="adverts.export").exists()


DATA_COMMANDS = [
    ("adverts_import", ["{tmp}/missing.jsonl"]),
    ("adverts_export", ["{tmp}/out.jsonl"]),
    ("adverts_collect", ["http://127.0.0.1:9/", "--source", "test"]),
]


@pytest.mark.parametrize(("command", "arguments"), DATA_COMMANDS)
def test_data_commands_refuse_to_start_without_encryption_keys(
    command, arguments, settings, tmp_path
):
    settings.FIELD_ENCRYPTION_KEYS = []
    arguments = [argument.format(tmp=tmp_path) for argument in arguments]
    with pytest.raises(SystemCheckError, match=r"signpost\.E001"):
        call_command(command, *arguments, skip_checks=False)


@pytest.mark.parametrize(("command", "arguments"), DATA_COMMANDS)
def test_data_commands_skip_the_url_checks(command, arguments, world, tmp_path):
    """The URL checks import every view of the web app: a batch command does not need them."""

    def failing_url_check(**_kwargs):
        return [checks.Error("the URL checks ran", id="test.E001")]

    arguments = [argument.format(tmp=tmp_path) for argument in arguments]
    checks.register(failing_url_check, checks.Tags.urls)
    try:
        call_command(command, *arguments, "--region", world.a.region.slug, skip_checks=False)
    except CommandError as error:  # the command may refuse its made-up arguments, after the checks
        assert not isinstance(error, SystemCheckError), error
    finally:
        checks.registry.registry.registered_checks.discard(failing_url_check)

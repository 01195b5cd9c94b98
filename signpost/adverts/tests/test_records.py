import io
from datetime import UTC, datetime

from django.utils import translation

from signpost.adverts.records import AdvertRecord, RecordError, read_records


def test_the_fingerprint_of_a_record_is_the_one_stored_before_orjson():
    # Computed with json.dumps(ensure_ascii=False, sort_keys=True, separators=(",", ":")):
    # a different fingerprint would make every stored advert look changed on its next import.
    record = AdvertRecord(
        line=1,
        external_id="ad-7",
        source="siteA",
        url="https://sitea.example/ad/7",
        posted_at=datetime(2026, 9, 13, 2, 0, tzinfo=UTC),
        title="Ana în Coventry",
        body='Nouă în oraș 🌹 "sună" la 07911\t123456\\ back\x1f',
        location="Coventry",
        phone="",
        email="ana@example.com",
        image_hashes=("ab12",),
    )
    assert record.fingerprint() == (
        "481b883c9104fd6c3228e4f4bc18f27af22fd4bfc56828c56c11cc5572ccead8"
    )


def read(data: bytes) -> list[AdvertRecord | RecordError]:
    return list(read_records(io.BytesIO(data), fmt="jsonl"))


def test_a_lone_surrogate_is_reported_with_its_line_and_the_rest_is_read():
    found = read(
        b'{"id": "1", "source": "s", "body": "hello \\ud800 there"}\n'
        b'{"id": "2", "source": "s", "body": "a pair \\ud83c\\udf39 is a rose"}\n'
    )
    assert found[0] == RecordError(1, "The line holds text that is not valid Unicode.")
    with translation.override("ro"):
        assert read(b'{"id": "1", "source": "s", "body": "\\udc00"}\n') == [
            RecordError(1, "Linia conține text care nu este Unicode valid.")
        ]
    assert isinstance(found[1], AdvertRecord)
    assert found[1].body == "a pair 🌹 is a rose"


def test_what_only_python_json_reads_is_still_read():
    (record,) = read(b'{"id": 12345678901234567890123, "source": "s", "body": "x", "n": NaN}\n')
    assert isinstance(record, AdvertRecord)
    assert record.external_id == "12345678901234567890123"

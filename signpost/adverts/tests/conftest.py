from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from signpost.adverts.services import ImportResult, adverts_import
from signpost.core.models import Region

ImportFn = Callable[..., ImportResult]


def jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()


@pytest.fixture(autouse=True)
def small_shingle_counters(settings: Any) -> None:
    """A 256 kB counter table instead of 16 MB: same behaviour on test-sized corpora."""
    settings.ADVERTS_SHINGLE_COUNTER_BITS = 16


@pytest.fixture
def import_adverts(db: None) -> ImportFn:
    def run(region: Region, records: list[dict[str, Any]], **options: Any) -> ImportResult:
        return adverts_import(
            stream=io.BytesIO(jsonl(records)),
            region=region,
            by=None,
            file_format="jsonl",
            **options,
        )

    return run


def advert(external_id: str, body: str, **fields: Any) -> dict[str, Any]:
    return {"id": external_id, "source": "siteA", "body": body, **fields}


ORGANISED = [
    advert(
        "op-1",
        "Hi I am Alina, 19 yo Romanian girl. Just arrived in Birmingham for a few days. "
        "She is sweet. Call zero seven nine one one one two three four five six. 24/7",
        posted_at="2026-11-01T10:00:00Z",
        location="Birmingham",
    ),
    advert(
        "op-2",
        "Hi I am Maria, 22 yo Romanian girl. New in Coventry. Call 07911 123456 any time.",
        posted_at="2026-11-03T10:00:00Z",
        location="Coventry",
    ),
    advert(
        "ind-1",
        "Independent English lady in Walsall, mature and friendly. Call 07400 123456.",
        posted_at="2026-11-02T10:00:00Z",
        location="Walsall",
    ),
]

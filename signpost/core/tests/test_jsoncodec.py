import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from signpost.core import jsoncodec

# Text as json.dumps can encode it to UTF-8: any code point but a lone surrogate.
TEXT = st.text(st.characters(exclude_categories=("Cs",)))
CANONICAL_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def test_dates_decimals_ids_and_lazy_text_are_written_as_django_writes_them():
    value = {
        "at": datetime(2026, 11, 29, 2, 30, 5, 123456, tzinfo=UTC),
        "naive": datetime(2026, 11, 29, 2, 30, tzinfo=UTC).replace(tzinfo=None),
        "day": date(2026, 11, 29),
        "time": time(23, 59, 1, 500000),
        "for": timedelta(days=2, hours=3),
        "price": Decimal("120.50"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "label": gettext_lazy("Referral"),
        7: "integer keys become text",
    }
    expected = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    written = jsoncodec.dumps(value)
    assert b'", "' not in written  # orjson wrote it (json's fallback puts spaces)
    assert json.loads(written) == expected
    assert jsoncodec.loads(jsoncodec.dumps(value)) == expected
    assert json.loads(jsoncodec.dumps({**value, "big": 2**70})) == {**expected, "big": 2**70}


def test_a_float_that_is_not_a_number_is_written_as_null():
    assert json.loads(jsoncodec.dumps([float("nan"), float("inf"), 1.5])) == [None, None, 1.5]


def test_what_json_cannot_write_fails_as_json_fails():
    with pytest.raises(TypeError, match="not JSON serializable"):
        jsoncodec.dumps({"what": object()})


def test_loads_reads_what_only_json_reads():
    assert jsoncodec.loads('{"n": NaN, "big": 123456789012345678901234567890}')["big"] == (
        123456789012345678901234567890
    )


@given(CANONICAL_VALUES)
def test_canonical_is_byte_for_byte_what_json_writes(value):
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert jsoncodec.canonical(value) == expected.encode()


def test_canonical_of_a_lone_surrogate_fails_as_before():
    with pytest.raises(UnicodeEncodeError):
        jsoncodec.canonical(["\ud800"])

"""Shared set-up for the view tests: a region-A world with an organised group and a case."""

from __future__ import annotations

import io

from signpost.adverts.models import Advert, AdvertGroup
from signpost.adverts.services import adverts_import
from signpost.adverts.tests.conftest import ORGANISED, jsonl
from signpost.cases.services import case_open, identifier_add
from signpost.core.roles import Role

NO_ACCESS_ROLES = [Role.VOLUNTEER, Role.HANDLER, Role.POLICE_LIAISON, Role.ADMIN]
READER_ROLES = [Role.ANALYST, Role.LEAD, Role.INVESTIGATOR]

HOSTILE = advert_body = "<script>alert(1)</script> New in Birmingham, call 07911 123456"


def populate(world, *, with_case: bool = True) -> dict:
    case = None
    if with_case:
        case = case_open(
            region=world.a.region, area=world.a.areas[0],
            lead_investigator=world.a.investigator, exploitation_types=["sexual"],
            by=world.a.lead,
        )  # fmt: skip
        identifier_add(case=case, kind="phone", value="07911123456", by=world.a.investigator)
    records = [*ORGANISED, {"id": "hostile", "source": "siteA", "body": HOSTILE,
                            "location": "Birmingham"}]  # fmt: skip
    adverts_import(stream=io.BytesIO(jsonl(records)), region=world.a.region, by=None,
                   file_format="jsonl")  # fmt: skip
    return {
        "case": case,
        "advert": Advert.objects.get(external_id="op-1"),
        "hostile": Advert.objects.get(external_id="hostile"),
        "group": AdvertGroup.objects.get(),
    }

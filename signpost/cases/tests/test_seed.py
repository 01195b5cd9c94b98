from django.core.management import call_command
from django.db import connection

from signpost.cases.models import Case, Identifier, Person
from signpost.core import crypto


def test_seed_fills_believable_encrypted_data(db):
    call_command("seed", scale=40, verbosity=0)
    assert Case.objects.count() == 20
    assert Person.objects.count() >= 20
    identifier = Identifier.objects.filter(kind="phone").first()
    assert identifier.value.startswith("+")
    assert identifier.value_index == crypto.blind_index("phone", identifier.value)
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM cases_person LIMIT 1")
        stored = cursor.fetchone()[0]
    assert crypto.decrypt(stored) == Person.objects.order_by("id").first().full_name
    assert Case.objects.filter(region__slug="west-midlands").count() == 20
    try:
        from signpost.referrals.models import Referral
    except ImportError:
        return
    assert Referral.objects.count() == 40
    call_command("seed", scale=10, verbosity=0)  # again, on top: references stay unique
    assert Case.objects.count() == 25
    assert Referral.objects.count() == 50

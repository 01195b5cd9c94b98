import pytest
from django.core.management import call_command

from signpost.core import access
from signpost.core.models import Area, Organisation, User
from signpost.core.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_builds_the_west_midlands_with_a_user_per_role(capsys):
    call_command("demo")
    assert set(Area.objects.values_list("name", flat=True)) >= {
        "Birmingham",
        "Coventry",
        "Wolverhampton",
        "Walsall",
        "Dudley",
        "Sandwell",
        "Solihull",
    }
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds >= {"charity", "partner", "police", "support_provider"}
    roles = set().union(*(access.roles_of(user) for user in User.objects.all()))
    assert roles == set(Role.values)
    output = capsys.readouterr().out
    assert "lead@demo.signpost.test" in output
    assert "TOTP" in output


def test_demo_if_empty_leaves_existing_data_alone(world, capsys):
    users = User.objects.count()
    call_command("demo", "--if-empty")
    assert User.objects.count() == users

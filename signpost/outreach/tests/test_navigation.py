from signpost.outreach.tests.conftest import make_coordinator

ENTRIES = {
    "volunteer": ({"Record leaflets", "Distribution log"}, {"Distribution points"}),
    "handler": (
        {"Distribution log", "Distribution points", "Community channels", "Outreach results"},
        {"Record leaflets", "Leaflet editions"},
    ),
    "lead": ({"Leaflet editions", "Outreach results"}, {"Record leaflets"}),
    "admin": ({"Distribution points", "Leaflet editions"}, {"Distribution log"}),
    "police_liaison": (set(), {"Distribution log", "Distribution points", "Outreach results"}),
}


def test_each_role_sees_its_outreach_entries(world, signed_in):
    for role, (shown, hidden) in ENTRIES.items():
        page = signed_in(world.a.users[role]).get("/staff/").content.decode()
        nav = page.split('aria-label="Main"')[1].split("</nav>")[0]
        for label in shown:
            assert f">{label}<" in nav, (role, label)
        for label in hidden:
            assert f">{label}<" not in nav, (role, label)


def test_coordinator_finds_the_results_from_the_log(world, signed_in):
    page = signed_in(make_coordinator(world.a.volunteer)).get("/staff/outreach/log/")
    assert "/staff/outreach/results/" in page.content.decode()

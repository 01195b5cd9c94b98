from signpost.core.roles import Role


def test_each_role_sees_its_own_navigation(world, signed_in):
    lead = signed_in(world.a.lead).get("/staff/")
    volunteer = signed_in(world.a.volunteer).get("/staff/")
    admin = signed_in(world.a.admin).get("/staff/")
    assert lead.status_code == 200
    assert b"Audit log" in lead.content
    assert b"Audit log" not in volunteer.content
    assert b"Configuration" in admin.content
    assert b"Configuration" not in lead.content
    assert Role.LEAD.label.encode() in lead.content


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/")

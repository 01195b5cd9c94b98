from signpost.cases import services
from signpost.core.models import AuditEvent


def test_investigator_sees_the_case_and_the_view_is_audited(world, signed_in, case, victim, phone):
    services.timeline_entry_add(
        case=case, text="Called the hotel manager.", by=world.a.investigator
    )
    response = signed_in(world.a.investigator).get(f"/staff/cases/{case.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert case.reference in content
    assert "Ioana Popescu" in content
    assert "+447700900982" in content
    assert "Called the hotel manager." in content
    assert AuditEvent.objects.filter(
        action="view", target_type="cases.case", target_id=str(case.pk), actor=world.a.investigator
    ).exists()

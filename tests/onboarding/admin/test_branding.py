"""The admin is branded as the portal: its name in the header and the title, its colours and favicon."""

import pytest

from onboarding.roles import COMPLIANCE_OFFICER
from tests.factories import officer
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


def test_the_admin_carries_the_portals_name_and_stylesheet(client):
    staff_login(client, officer(COMPLIANCE_OFFICER))
    body = client.get("/admin/").content.decode()
    assert "WalletBoard — merchant onboarding compliance" in body
    assert "<title>Compliance review | WalletBoard compliance</title>" in body
    assert "css/admin" in body and "favicon" in body
    assert "Django administration" not in body and "Django site admin" not in body

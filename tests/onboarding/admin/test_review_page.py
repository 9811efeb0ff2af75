"""The review page: every section of a fully populated application, in a constant number of queries,
personal data masked, and what support may not see left out."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onboarding.roles import COMPLIANCE_OFFICER, SUPPORT
from tests.factories import officer
from tests.onboarding.admin.helpers import DELGADO, MORENO, PETROVSKY, page_url, screened_in_review, with_parties
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(fresh_list):
    """One application with three parties, several hits (blocking, Consolidated-only), every section."""
    application = with_parties(MORENO, DELGADO, PETROVSKY)
    screened_in_review(application)
    return application


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_page_shows_every_section_of_the_application(client, populated):
    staff_login(client, officer(COMPLIANCE_OFFICER))
    response = client.get(page_url(populated))
    assert response.status_code == 200
    page = text_of(response)
    for anchor in ("business", "parties", "bank", "stores", "wallets", "documents", "agreement", "requirements",
                   "checks", "duplicates", "sanctions", "risk", "timeline", "decisions"):  # fmt: skip
        assert f'id="{anchor}"' in page, anchor
    for shown in ("Pearl River Noodle Bar LLC", "Daniel Moreno", "Rosa Delgado", "Ivan Petrovsky", "Mott Street",
                  "Stripe Reader S700", "WeChat Pay", "Eligible", "eligibility rules version", "Bank letter",
                  "signed by Wen Zhao", "$32,000.00", "•••• 1507", "•••• 7765", "•••• 9912"):  # fmt: skip
        assert shown in page, shown
    # The checks read as sentences, not JSON.
    assert "Sanctions screening" in page and "Screened against" in page and '{"' not in page
    # Each hit beside its list entry: names, programs and whether they block, the list's age.
    assert "MORENO, Daniel" in page and "SDNTK (blocking)" in page and "PETROVSKY, Ivan Sergeyevich" in page
    assert "RUSSIA-EO14024" in page and "day(s) old" in page and "date of birth matches" in page
    assert "risk rules version" in page and "internal" in page


def test_the_page_costs_the_same_queries_for_one_party_or_several(client, fresh_list):
    one = with_parties({**MORENO, "ownership_percent": 100})
    several = with_parties(MORENO, DELGADO, PETROVSKY)
    screened_in_review(one, several)
    staff_login(client, officer(COMPLIANCE_OFFICER))
    counts = []
    for application in (one, several):
        client.get(page_url(application))  # warm the caches that every page shares (sessions, content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(application)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # The two share a tax id: each page links the other.
    assert page_url(one) in client.get(page_url(several)).content.decode()


def test_personal_data_never_appears_in_the_page(client, populated):
    staff_login(client, officer(COMPLIANCE_OFFICER))
    page = client.get(page_url(populated)).content.decode()
    # (Rosa Delgado matches no entry: a listed person's own date of birth is list data, shown beside a hit.)
    for secret in ("212-54-3321", "212543321", "318-60-9912", "318609912", "318-60-9913", "482910337765",
                   "46-2811507", "462811507", "1975-11-30", "30 Nov 1975"):  # fmt: skip
        assert secret not in page, secret


def test_support_sees_the_application_without_checks_sanctions_risk_or_events(client, populated):
    staff_login(client, officer(SUPPORT))
    response = client.get(page_url(populated))
    assert response.status_code == 200
    page = text_of(response)
    assert "Daniel Moreno" in page and 'id="requirements"' in page
    for hidden in ('id="sanctions"', 'id="risk"', 'id="checks"', 'id="timeline"', 'id="decisions"', "MORENO, Daniel",
                   "SDNTK", "Score", "/decide/"):  # fmt: skip
        assert hidden not in page, hidden

"""Two requests with the same token at the same moment (a double click, a prefetching mail scanner and the
merchant): exactly one exchanges it, the other is told it was used."""

import threading

import pytest
from django.db import connection

from onboarding.services.actors import Actor
from onboarding.services.onboarding_links import Outcome, onboarding_link_exchange
from tests.onboarding.links.conftest import token_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_of_two_simultaneous_exchanges_exactly_one_wins(postgres, link_and_url):
    _link, url = link_and_url
    token = token_of(url)
    start = threading.Barrier(4)
    outcomes = []

    def exchange():
        try:
            start.wait()
            outcomes.append(onboarding_link_exchange(token=token, actor=Actor.system("tests")).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=exchange) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [Outcome.EXCHANGED, Outcome.USED, Outcome.USED, Outcome.USED]

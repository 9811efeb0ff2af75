"""A new version of the matching algorithm is new evidence for old decisions.

A result screened with an older algorithm may miss what the new one finds (an initial, a name in another
script). When a worker starts with a new ``ALGORITHM_VERSION`` and some in-flight application or live
merchant's current sanctions result was screened with another one, a full re-screen against the active
list is owed (the same owed work a list activation records, so the sweeper sees it through). Until it has
run, the evidence guard refuses an approval on such a result (``SanctionsCheck.evidence_problems``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q

from onboarding.models import CheckResult
from sanctions.freshness import active_version
from sanctions.loading import rescreen_owe as list_rescreen_owe
from sanctions.matching import ALGORITHM_VERSION

logger = logging.getLogger(__name__)


def screened_with_other_algorithms():
    """Current sanctions results of applications in re-screening scope not screened with this algorithm."""
    from sanctions.rescreening import applications_to_rescreen

    other = Q(details__algorithm__isnull=True) | ~Q(details__algorithm=ALGORITHM_VERSION)
    return CheckResult.objects.filter(other, application__in=applications_to_rescreen(), check_name="sanctions",
                                      is_current=True)  # fmt: skip


def rescreen_owe() -> bool:
    """Owe a full re-screen against the active list when results from another algorithm are in scope."""
    version = active_version()
    if version is None or not screened_with_other_algorithms().exists():
        return False
    with transaction.atomic():
        list_rescreen_owe(version=version, full=True)
    logger.info("algorithm %s: full re-screen against %s owed", ALGORITHM_VERSION, version.public_id)
    return True

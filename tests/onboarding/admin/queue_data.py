"""Applications placed straight into the queue (no journey): what the queue's tests list and filter."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from onboarding.models import RISK_BAND_RANK, WAITING_FOR_OFFICER, Application, Party, WalletRequest
from onboarding.states import AppState

NUMBERS = count(1)


def queued(state: str = AppState.IN_REVIEW, *, waited_days: float = 1, band: str = "", owner=("Ann", "Lee"),
           **fields) -> Application:  # fmt: skip
    n = next(NUMBERS)
    now = timezone.now()
    values = {
        "legal_name": f"Business {n} LLC",
        "dba": f"Shop {n}",
        "submitted_at": now - timedelta(days=waited_days + 1),
        "waiting_since": now - timedelta(days=waited_days) if state in WAITING_FOR_OFFICER else None,
        "risk_band": band,
        "risk_rank": RISK_BAND_RANK[band],
        "risk_score": {"high": 80, "medium": 45, "low": 10}.get(band),
        "tax_id_last4": f"{n:04d}"[-4:],
        **fields,
    }
    application = Application.objects.create(state=state, **values)
    Party.objects.create(application=application, first_name=owner[0], last_name=owner[1], ownership_percent=100)
    WalletRequest.objects.create(application=application, wallet="alipay", channel="online", eligibility="eligible")
    WalletRequest.objects.create(application=application, wallet="wechat_pay", eligibility="ineligible")
    return application

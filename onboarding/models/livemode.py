"""The database's side of "test data never becomes live" (PostgreSQL; the services hold the same rules on
SQLite, see ``onboarding.services.livemode``).

- An application's ``livemode`` equals its merchant's: a merchant is boarded on one of the acquirer's modes,
  and every application filed under it is in that mode.
- An application's and a merchant's ``livemode`` never change once they exist (set at creation: from
  the partner's key, or the merchant's for its next application), so test data never turns live.

Each refusal is a ``check_violation`` (Django's ``IntegrityError``). The triggers are compiled without
django-pgtrigger's ignore check (``UnignorableTrigger``), like the event log's.
"""

import pgtrigger

from onboarding.models.events import UnignorableTrigger

APPLICATION_LIVEMODE_FUNC = """
IF NEW.merchant_id IS NOT NULL AND NEW.livemode IS DISTINCT FROM
   (SELECT merchant.livemode FROM onboarding_merchant AS merchant WHERE merchant.id = NEW.merchant_id) THEN
    RAISE EXCEPTION 'an application''s livemode must equal its merchant''s' USING ERRCODE = 'check_violation';
END IF;
IF TG_OP = 'UPDATE' AND OLD.livemode IS DISTINCT FROM NEW.livemode THEN
    RAISE EXCEPTION 'an application''s livemode never changes' USING ERRCODE = 'check_violation';
END IF;
RETURN NEW;
"""

MERCHANT_LIVEMODE_FUNC = """
RAISE EXCEPTION 'a merchant''s livemode never changes' USING ERRCODE = 'check_violation';
"""


def application_livemode_trigger() -> UnignorableTrigger:
    return UnignorableTrigger(
        name="livemode_is_merchants",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.UpdateOf("livemode", "merchant_id"),
        func=APPLICATION_LIVEMODE_FUNC,
    )


def merchant_livemode_trigger() -> UnignorableTrigger:
    return UnignorableTrigger(
        name="livemode_fixed",
        when=pgtrigger.Before,
        operation=pgtrigger.UpdateOf("livemode"),
        condition=pgtrigger.Condition("OLD.livemode IS DISTINCT FROM NEW.livemode"),
        func=MERCHANT_LIVEMODE_FUNC,
    )

"""The state tables of applications and merchants (terminals: payments.states)."""

from django.utils.translation import gettext_lazy as _

from onboarding.statemachine import StateMachine


class AppState:
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SCREENING = "screening"
    IN_REVIEW = "in_review"
    INFO_REQUESTED = "info_requested"
    AWAITING_SECOND_APPROVAL = "awaiting_second_approval"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    BOARDING = "boarding"
    BOARDED = "boarded"
    BOARDING_FAILED = "boarding_failed"

    CHOICES = [
        (DRAFT, _("Draft")),
        (SUBMITTED, _("Submitted")),
        (SCREENING, _("Screening")),
        (IN_REVIEW, _("In review")),
        (INFO_REQUESTED, _("Information requested")),
        (AWAITING_SECOND_APPROVAL, _("Awaiting second approval")),
        (APPROVED, _("Approved")),
        (DECLINED, _("Declined")),
        (WITHDRAWN, _("Withdrawn")),
        (EXPIRED, _("Expired")),
        (BOARDING, _("Boarding")),
        (BOARDED, _("Boarded")),
        (BOARDING_FAILED, _("Boarding failed")),
    ]

    # The merchant (or partner) may change the application's data only in these states.
    EDITABLE = frozenset({DRAFT, INFO_REQUESTED})
    FINAL = frozenset({BOARDED, DECLINED, WITHDRAWN, EXPIRED})
    # Open: not yet decided, so the merchant may still withdraw it (and may not start another).
    OPEN = frozenset({DRAFT, SUBMITTED, SCREENING, IN_REVIEW, INFO_REQUESTED, AWAITING_SECOND_APPROVAL})


S = AppState
APPLICATION_MACHINE = StateMachine(
    name="application",
    transitions={
        S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
        # submitted → in_review: the system's move when the checks cannot complete (owed work exhausted)
        S.SUBMITTED: frozenset({S.SCREENING, S.IN_REVIEW, S.WITHDRAWN}),
        S.SCREENING: frozenset({S.APPROVED, S.IN_REVIEW, S.DECLINED, S.WITHDRAWN}),
        S.IN_REVIEW: frozenset(
            {S.APPROVED, S.DECLINED, S.INFO_REQUESTED, S.AWAITING_SECOND_APPROVAL, S.SCREENING, S.WITHDRAWN}
        ),
        S.AWAITING_SECOND_APPROVAL: frozenset({S.APPROVED, S.IN_REVIEW, S.DECLINED, S.WITHDRAWN}),
        S.INFO_REQUESTED: frozenset({S.IN_REVIEW, S.EXPIRED, S.WITHDRAWN}),
        # approved | boarding | boarding_failed → in_review: a new sanctions hit (or the acquirer needs more)
        S.APPROVED: frozenset({S.BOARDING, S.IN_REVIEW}),
        S.BOARDING: frozenset({S.BOARDED, S.IN_REVIEW, S.BOARDING_FAILED}),
        S.BOARDING_FAILED: frozenset({S.BOARDING, S.DECLINED, S.IN_REVIEW}),
        S.BOARDED: frozenset(),
        S.DECLINED: frozenset(),
        S.WITHDRAWN: frozenset(),
        S.EXPIRED: frozenset(),
    },
)


class MerchantState:
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"
    CHOICES = [(ONBOARDING, "Onboarding"), (ACTIVE, "Active"), (SUSPENDED, "Suspended"), (CLOSED, "Closed")]
    LIVE = frozenset({ACTIVE, SUSPENDED})


M = MerchantState
MERCHANT_MACHINE = StateMachine(
    name="merchant",
    transitions={
        M.ONBOARDING: frozenset({M.ACTIVE, M.CLOSED}),
        M.ACTIVE: frozenset({M.SUSPENDED, M.CLOSED}),
        M.SUSPENDED: frozenset({M.ACTIVE, M.CLOSED}),
        M.CLOSED: frozenset(),
    },
)

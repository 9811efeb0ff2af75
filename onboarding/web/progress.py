"""The application's steps, in order, and how far each is: done, to do, or with something to fix.

A step's state comes from the requirements selector (what is still due, and where) and from whether
anything of the step was given yet: no state of its own is kept, so a draft continued on another device
shows the same progress.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from onboarding.models import Application
from onboarding.requirements import application_requirements


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    #: the requirement paths that belong to the step (prefixes)
    paths: tuple[str, ...]


START_FIELDS = ("legal_name", "dba", "entity_type", "mcc", "address_state")
STEPS = (
    Step("start", _("What you sell and where"), tuple(f"business.{f}" for f in START_FIELDS) + ("wallets",)),
    Step("business", _("Business details"), ("business.",)),
    Step("owners", _("Owners and control person"), ("parties",)),
    Step("bank", _("Settlement account"), ("bank_account",)),
    Step("stores", _("Stores and terminals"), ("stores",)),
    Step("documents", _("Documents"), ("documents.", "parties[", "documents")),
    Step("review", _("Review and sign"), ("agreement",)),
)
SLUGS = tuple(step.slug for step in STEPS)


def step_for(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def next_step(slug: str) -> str | None:
    index = SLUGS.index(slug)
    return SLUGS[index + 1] if index + 1 < len(SLUGS) else None


def _belongs(step: Step, path: str) -> bool:
    if step.slug == "business" and any(path == f"business.{f}" for f in START_FIELDS):
        return False
    if step.slug == "documents":
        return path.startswith("documents") or path.endswith(".identity_document")
    if step.slug == "owners" and path.endswith(".identity_document"):
        return False
    return any(path == prefix or path.startswith(prefix) for prefix in step.paths)


def _started(application: Application, step: Step) -> bool:
    if step.slug == "start":
        return bool(application.legal_name or application.mcc)
    if step.slug == "business":
        return bool(application.tax_id_last4 or application.phone or application.product_description)
    if step.slug == "owners":
        return application.parties.exists()
    if step.slug == "bank":
        return hasattr(application, "bank_account")
    if step.slug == "stores":
        return application.stores.exists()
    if step.slug == "documents":
        return application.documents.exists()
    return hasattr(application, "agreement")


@dataclass(frozen=True)
class StepProgress:
    step: Step
    state: str  # done | todo | problem
    current: bool
    due: tuple[str, ...]


def progress(application: Application | None, current: str) -> list[StepProgress]:
    if application is None:
        return [StepProgress(step, "todo", step.slug == current, ()) for step in STEPS]
    due = application_requirements(application).overall.currently_due
    rows = []
    for step in STEPS:
        mine = tuple(path for path in due if _belongs(step, path))
        if not mine:
            state = "done" if _started(application, step) or step.slug == "stores" else "todo"
        else:
            state = "problem" if _started(application, step) else "todo"
        rows.append(StepProgress(step, state, step.slug == current, mine))
    return rows

"""Building applications for the review page, and posting its decision forms as an officer's browser does."""

from onboarding.admin.review import page_version
from onboarding.kyc.pipeline import run_checks
from onboarding.kyc.risk import risk_assess
from onboarding.models import Application, CheckResult
from onboarding.states import AppState
from tests.sanctions.integration.helpers import application_with, person

MORENO = person("Daniel", "Moreno", "1972-10-12", 40, True, ssn="212-54-3321")
DELGADO = person("Rosa", "Delgado", "1975-11-30", 30, ssn="318-60-9912")
PETROVSKY = person("Ivan", "Petrovsky", "1970-02-01", 30, ssn="318-60-9913", nationalities=["RU"])


def screened_in_review(*applications: Application) -> None:
    """Run every check and the risk score, then put the applications in review (screened together, so
    each one's duplicates see the others)."""
    for application in applications:
        run_checks(application)
        results = {r.check_name: r for r in CheckResult.objects.filter(application=application, is_current=True)}
        risk_assess(application=application, results=results)
        Application.objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW, has_been_in_review=True)
        application.refresh_from_db()


def with_parties(*parties: dict) -> Application:
    return application_with(*parties)


def page_url(application: Application) -> str:
    return f"/admin/onboarding/application/{application.pk}/change/"


def decide(client, application: Application, decision: str, target: str = "", version: str | None = None, **fields):
    """POST one decision form (prefixed as the page renders it) and follow to the page with its message."""
    application.refresh_from_db()  # the page the officer has open shows the application as it is now
    prefix = f"{decision}-{target}" if target else decision
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    data[f"{prefix}-page_version"] = version if version is not None else page_version(application)
    if target:
        data["target"] = target
    url = f"/admin/onboarding/application/{application.pk}/decide/{decision}/"
    return client.post(url, data, follow=True)

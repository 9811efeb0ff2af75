"""Deploy checks of our own, run by ``manage.py check --deploy``."""

from django.core.checks import Error, Tags, register

from portal.local_secrets import used_local


@register(Tags.security, deploy=True)
def secrets_from_environment(app_configs, **kwargs):
    """A deployment must not run on the secrets a laptop generated for itself under var/."""
    return [
        Error(
            f"{name} is not set in the environment; the portal is using a locally generated value.",
            hint=f"Set {name} (see README, 'Configuration').",
            id="portal.E001",
        )
        for name in sorted(used_local)
    ]

"""A check's inputs and their keyed fingerprint: unchanged inputs are not run again, and an approval
stands only while every current result's fingerprint equals that of the inputs now (kyc/evidence.py)."""

import json

from onboarding import crypto
from onboarding.kyc import snapshot
from onboarding.kyc.registry import Check
from onboarding.models import Application


def check_inputs(check: Check, application: Application) -> dict:
    inputs = {name: snapshot.section(application, name) for name in check.reads}
    inputs.update(check.extra_inputs(application))
    return inputs


def fingerprint(check: Check, inputs: dict) -> str:
    canonical = json.dumps(
        {"check": check.name, "version": check.version, "inputs": inputs},
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return crypto.keyed_fingerprint(canonical)

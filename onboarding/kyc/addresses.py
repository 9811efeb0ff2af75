"""US postal addresses: parsed with ``usaddress``, state and ZIP validated, the ZIP checked against
the state with the ``zipcodes`` package's bundled USPS data (nothing is downloaded), PO boxes found.

Each function returns problems as plain sentences (empty when the address is fine), kind first:
``invalid`` (the data cannot be right) or ``review`` (an officer should look).
"""

import re
from dataclasses import dataclass

import usaddress
import zipcodes

from onboarding import validation

PO_BOX_RE = re.compile(r"\b(p\.?\s*o\.?\s*box|post\s+office\s+box|p\.?\s*o\.?\s*b\.?\s+\d|box\s+\d+$)", re.I)
ZIP_DATA = f"zipcodes {getattr(zipcodes, '__version__', '3.0.0')}"


@dataclass(frozen=True)
class AddressProblem:
    kind: str  # invalid | review
    message: str
    #: the address field at fault, and a stable code (the merchant reads a translated text for it)
    field: str = "address_line1"
    code: str = "street_unreadable"


def is_po_box(line1: str, line2: str = "") -> bool:
    text = " ".join(part for part in (line1, line2) if part).strip()
    if not text:
        return False
    if PO_BOX_RE.search(text):
        return True
    try:
        tags, address_type = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return False
    return address_type == "PO Box" or any(label.startswith("USPSBox") for label in tags)


def street_parses(line1: str, line2: str = "") -> bool:
    """``usaddress`` recognises a house number and a street name (or a PO box)."""
    try:
        tags, _ = usaddress.tag(" ".join(part for part in (line1, line2) if part))
    except usaddress.RepeatedLabelError:
        return False
    return ("AddressNumber" in tags and "StreetName" in tags) or "USPSBoxID" in tags


def zip_states(postal_code: str) -> set[str]:
    """The states the USPS files a ZIP code under (empty when it does not exist)."""
    code = (postal_code or "")[:5]
    if not (code.isascii() and code.isdigit() and len(code) == 5):
        return set()  # the package panics on non-ASCII digits, which \d in a regex lets through
    try:
        return {row["state"] for row in zipcodes.matching(code)}
    except (TypeError, ValueError):
        return set()


def us_address_problems(
    *, line1: str, line2: str = "", city: str, state: str, postal_code: str, allow_po_box: bool
) -> list[AddressProblem]:
    problems: list[AddressProblem] = []
    if not (line1 or "").strip():
        return [AddressProblem("invalid", "The street address is missing.", "address_line1", "street_missing")]
    if validation.us_state_errors(state):
        problems.append(
            AddressProblem("invalid", f"{state!r} is not a US state code.", "address_state", "state_invalid")
        )
    if validation.zip_errors(postal_code) or not (postal_code or "").isascii():
        problems.append(
            AddressProblem(
                "invalid",
                f"{postal_code!r} is not a ZIP code (12345 or 12345-6789).",
                "address_postal_code",
                "zip_invalid",
            )
        )
    else:
        states = zip_states(postal_code)
        if not states:
            problems.append(
                AddressProblem(
                    "review", f"ZIP code {postal_code[:5]} does not exist.", "address_postal_code", "zip_unknown"
                )
            )
        elif not validation.us_state_errors(state) and state not in states:
            listed = ", ".join(sorted(states))
            problems.append(
                AddressProblem(
                    "review",
                    f"ZIP code {postal_code[:5]} is in {listed}, not {state}.",
                    "address_postal_code",
                    "zip_not_in_state",
                )
            )
    if not (city or "").strip():
        problems.append(AddressProblem("invalid", "The city is missing.", "address_city", "city_missing"))
    if is_po_box(line1, line2):
        if not allow_po_box:
            problems.append(
                AddressProblem("review", "A PO box is not a business or store location.", "address_line1", "po_box")
            )
    elif not street_parses(line1, line2):
        problems.append(AddressProblem("review", "The street address could not be read as number and street."))
    return problems


def address_problems(obj, *, allow_po_box: bool, must_be_us: bool) -> list[AddressProblem]:
    """The problems of a model with PostalAddress fields (application, store, party)."""
    if (obj.address_country or "US") != "US":
        if must_be_us:
            return [
                AddressProblem(
                    "review", f"The address is outside the US ({obj.address_country}).", "address_country", "outside_us"
                )
            ]
        return []
    return us_address_problems(
        line1=obj.address_line1,
        line2=obj.address_line2,
        city=obj.address_city,
        state=obj.address_state,
        postal_code=obj.address_postal_code,
        allow_po_box=allow_po_box,
    )

"""The real merchant category codes (ISO 18245, from the ``iso18245`` package) with plain names."""

from functools import lru_cache

import iso18245


@lru_cache(maxsize=1)
def all_mccs() -> dict[str, str]:
    """Every assigned MCC → a plain-language name."""
    return {m.mcc: _name(m) for m in iso18245.get_all_mccs_in_range("0000", "9999")}


def _name(m) -> str:
    for text in (m.iso_description, m.visa_description, m.mastercard_description, m.usda_description,
                 m.stripe_description, m.range.description):  # fmt: skip
        if text:
            return text.split(" (no longer valid")[0].strip()
    return m.mcc


def mcc_name(code: str) -> str:
    return all_mccs().get(code, "unknown category")


def is_known(code: str) -> bool:
    return code in all_mccs()


def expand(codes) -> list[str]:
    """Codes and inclusive ranges ("3501-3999") → the assigned MCCs they cover, sorted."""
    known = all_mccs()
    out: set[str] = set()
    for item in codes:
        if "-" in item:
            start, end = item.split("-")
            out.update(code for code in known if start <= code <= end)
        else:
            if item not in known:
                raise ValueError(f"{item} is not an assigned MCC")
            out.add(item)
    return sorted(out)

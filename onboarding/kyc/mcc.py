"""The real merchant category codes (ISO 18245, from the ``iso18245`` package) with plain names, and the
names merchants read in their own language.

The English names come from the package and are the ones the checks and officers use. Chinese names exist for
the categories merchants actually pick (``data/mcc_names_zh_hans.json``, our own translation); every other
code keeps its English name in every language, so no category is ever missing from the list.
"""

import json
from functools import lru_cache
from pathlib import Path

import iso18245

LOCAL_NAME_FILES = {"zh-hans": Path(__file__).resolve().parent / "data" / "mcc_names_zh_hans.json"}


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


def _language_key(language: str | None) -> str:
    return (language or "").replace("_", "-").lower()


@lru_cache(maxsize=len(LOCAL_NAME_FILES))
def _local_names(language_key: str) -> dict[str, str]:
    path = LOCAL_NAME_FILES.get(language_key)
    if path is None:
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {code: name for code, name in data.items() if not code.startswith("_")}


def mcc_name_for(code: str, language: str | None) -> str:
    """The category's name in ``language`` (a Django language code): the local name where there is one,
    otherwise the English one."""
    return _local_names(_language_key(language)).get(code) or mcc_name(code)


def mcc_label_for(code: str, language: str | None) -> str:
    """What the category list shows: the local name followed by the English one ("快餐店 — Fast food
    restaurants"), so that a search in either language finds it; the English name alone where there is no
    local one."""
    english = mcc_name(code)
    local = _local_names(_language_key(language)).get(code)
    return f"{local} — {english}" if local else english


def mcc_choices_for(language: str | None) -> list[tuple[str, str]]:
    """Every assigned MCC with its label in ``language``, by code."""
    return [(code, mcc_label_for(code, language)) for code in all_mccs()]

"""Comparing the bank account holder's name with the business's (or the sole proprietor's) names.

Names are normalised first (case, accents, punctuation, "&", company suffixes such as LLC or Inc), then
compared with rapidfuzz's token-sort ratio, which ignores word order ("Zhao Wen" = "Wen Zhao").
"""

import re
import unicodedata

from rapidfuzz import fuzz

MATCH_THRESHOLD = 88
COMPANY_SUFFIXES = frozenset(
    ("llc", "lc", "pllc", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "lp", "llp")
    + ("lllp", "pc", "pa", "plc", "the", "dba")
)


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", (name or "").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ").replace(".", "").replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(word for word in text.split() if word not in COMPANY_SUFFIXES)


def name_similarity(a: str, b: str) -> int:
    left, right = normalise_name(a), normalise_name(b)
    if not left or not right:
        return 0
    return round(fuzz.token_sort_ratio(left, right))


def best_match(holder: str, candidates: dict[str, str]) -> tuple[str, int]:
    """(which candidate, score) for the closest of ``candidates`` (label → name)."""
    scored = [(name_similarity(holder, name), label) for label, name in candidates.items() if name]
    if not scored:
        return "", 0
    score, label = max(scored)
    return label, score

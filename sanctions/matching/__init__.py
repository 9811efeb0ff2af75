"""Explainable fuzzy name matching for sanctions screening (pure Python, no Django)."""

from sanctions.matching.index import ALGORITHM_VERSION, Hit, ScreeningIndex, build_index
from sanctions.matching.normalize import normalize_name
from sanctions.matching.score import Match, adjust, score_names
from sanctions.matching.thresholds import DEFAULT_THRESHOLDS, Thresholds

__all__ = [
    "ALGORITHM_VERSION",
    "DEFAULT_THRESHOLDS",
    "Hit",
    "Match",
    "ScreeningIndex",
    "Thresholds",
    "adjust",
    "build_index",
    "normalize_name",
    "score_names",
]

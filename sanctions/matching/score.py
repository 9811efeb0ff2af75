"""Pairwise name scoring and the secondary-factor (DOB, country) adjustment.

The score answers "how sure are we that these two strings name the same person or
business?" in [0, 1], with reasons a reviewer can read.  Two rules keep it honest:

* every token of the shorter name must be matched by some token of the other name, so
  "John Smith" and "John Doe" never score high just because they share "John";
* tokens count by rarity (inverse document frequency over the list's names), so a rare
  family name matters more than "Muhammad" or "Trading".

Token comparison uses rapidfuzz (OSA distance, which counts a transposition as one edit)
after the normaliser has folded case, script, romanisation and look-alike characters.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA

from sanctions.matching.common_names import is_common_token
from sanctions.matching.countries import country_code
from sanctions.matching.normalize import (
    Kind,
    NameForm,
    TokenForm,
    has_no_inner_vowels,
    is_vowel_drop,
    normalize_name,
    token_form,
)
from sanctions.matching.scripts import (
    abjad_skeleton,
    abjad_skeletons,
    abjad_spelled,
    greek_fold,
    greek_folds,
    split_syllables,
)

#: token pairs below this similarity are "not matched".
MIN_TOKEN_SIM = 0.7
#: ceiling for a name whose shorter side has an unmatched token.
UNMATCHED_CAP = 0.7
#: how much unmatched tokens of the longer name cost: score *= 1 - EXTRA_PENALTY * share**2
EXTRA_PENALTY = 0.8
#: weight of a particle (al, bin, de...) relative to an ordinary token.
PARTICLE_WEIGHT = 0.1

SIM_EXACT = 1.0
SIM_VARIANT = 0.96
SIM_OCR = 0.93
SIM_VOWELS = 0.9
SIM_INITIAL = 0.9
SIM_ABJAD = 0.9
SIM_GREEK = 0.93
#: a pinyin given name cut at a syllable is another given name (Fang is not Fangwei), not a truncation.
SIM_SHORTER_PINYIN = 0.6

#: the worst matched token costs WORST_PENALTY per point of similarity below WORST_FREE: one name word
#: changed beyond a typo is another name, even when the other words are the same.
WORST_FREE = 0.85
WORST_PENALTY = 1.0
#: listed words the query does not have cost DROP_PENALTY_MAX * share**2 when what matched is made of
#: common words, down to DROP_PENALTY_MIN when it holds a distinctive word.  Distinctiveness is the weight
#: of the uncommon words matched, as a share of the weight of a word the list has never seen (so that it
#: means the same on a list of any size): under DISTINCT_NONE nothing distinctive matched; DISTINCT_FULL is
#: about one word found in a handful of listed names.
DROP_PENALTY_MAX = 0.8
DROP_PENALTY_MIN = 0.25
DISTINCT_NONE = 0.375
DISTINCT_FULL = 0.85
#: words of the query that the listed name does not have cost QUERY_EXTRA_PENALTY * share: they may be
#: another person's name, unless they are common (a middle name), which count a third.
QUERY_EXTRA_PENALTY = 0.7
COMMON_EXTRA_SHARE = 1 / 3
#: an extra word between the first and the last is most often a middle name that the list lacks.
MIDDLE_EXTRA_SHARE = 0.4
#: a match made only of common words and not exact ("W. Li", LI Wei Ming for "Li Wei", Chan for Chen)
#: stays a near-miss by name alone; a date of birth or a country that agrees lifts it to review.
COMMON_CAP = 0.85
#: initials without a matching family (or other full) name.
INITIALS_ONLY_CAP = 0.6


@dataclass(frozen=True)
class Match:
    """The result of comparing two names: a score in [0, 1] and why."""

    score: float
    reasons: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- token weights


class TokenWeights:
    """Inverse document frequency of token keys over a list's names.

    Built once per index.  A token never seen in the list gets the highest weight: it is
    as informative as the rarest listed token.
    """

    def __init__(self, documents: Iterable[Iterable[TokenForm]] = ()) -> None:
        df: Counter[str] = Counter()
        vocabulary: set[str] = set()
        n = 0
        for tokens in documents:
            n += 1
            tokens = list(tokens)
            df.update({t.key for t in tokens})
            vocabulary.update(t.text for t in tokens)
        #: the listed tokens themselves: a query word found here is a real name, not a typo.
        self.vocabulary = frozenset(vocabulary)
        self.n_documents = n
        self._df = df
        self._max = self._idf(0)
        self._cache: dict[str, float] = {}

    def _idf(self, df: int) -> float:
        return 1.0 + math.log((self.n_documents + 1) / (df + 1))

    def weight(self, token: TokenForm, optional: bool = False) -> float:
        """IDF of the token's rarest-looking key; ignorable tokens weigh a tenth."""
        base = self._cache.get(token.text)
        if base is None:
            if self.n_documents == 0:
                base = 1.0
            else:
                df = max((self._df.get(k, 0) for k in token.keys), default=0)
                base = self._idf(df) if df else self._max
            self._cache[token.text] = base
        return base * PARTICLE_WEIGHT if optional else base

    @property
    def max_weight(self) -> float:
        """The weight of a word the list has never seen."""
        return self._max

    def document_frequency(self, key: str) -> int:
        return self._df.get(key, 0)


UNIFORM_WEIGHTS = TokenWeights()


# --------------------------------------------------------------------------- token similarity


def _edit_similarity(a: str, b: str) -> float:
    """Similarity from the OSA edit distance (a transposition is one edit).

    One edit in a word of six letters or more is a likely typo (0.9); in four or five
    letters, 0.85; in three letters barely a match (0.7).  Two edits are tolerated from
    eight letters, three from eleven.  Anything further is scored below the match floor.
    """
    longest = max(len(a), len(b))
    if longest == 0:
        return 0.0
    distance = OSA.distance(a, b, score_cutoff=4)
    if distance == 0:
        return 1.0
    if distance == 1:
        return 0.9 if longest >= 6 else 0.85 if longest >= 4 else 0.7
    if distance == 2 and longest >= 8:
        return 0.76
    if distance == 3 and longest >= 11:
        return 0.72
    return max(0.0, 0.8 * (1.0 - distance / longest))


@lru_cache(maxsize=500_000)
def token_similarity(query: str, listed: str) -> tuple[float, str]:
    """Similarity of two normalised tokens and the kind of match, e.g. ``(0.96, 'variant')``."""
    if query == listed:
        return SIM_EXACT, "exact"
    a, b = token_form(query), token_form(listed)
    if set(a.keys) & set(b.keys):
        return SIM_VARIANT, "spelling variant"
    if a.ocr == b.ocr or set(a.ocr_keys) & set(b.ocr_keys):
        return SIM_OCR, "look-alike characters"
    if len(query) == 1 or len(listed) == 1:
        return (SIM_INITIAL, "initial") if query[0] == listed[0] else (0.0, "")
    if (len(listed) - len(query) >= 2 and is_vowel_drop(query, listed)) or (
        has_no_inner_vowels(query) and set(a.skeletons) & set(b.skeletons)
    ):
        return SIM_VOWELS, "vowels dropped"
    best = max(_edit_similarity(a.key, b.key), _edit_similarity(query, listed))
    if len(query) >= 2 and len(listed) > len(query) and listed.startswith(query):
        if _whole_syllables(query, listed):
            return (best, "similar spelling") if best >= MIN_TOKEN_SIM else (SIM_SHORTER_PINYIN, "")
        if len(query) >= 3:
            prefix = 0.6 + 0.35 * len(query) / len(listed)
            if prefix > best:
                return prefix, "truncated"
    return best, "similar spelling" if best >= MIN_TOKEN_SIM else ""


def _whole_syllables(short: str, long: str) -> bool:
    """``fang`` / ``fangwei``: both pinyin, the shorter ending where a syllable of the longer ends.

    Only for a word that reads as a Chinese given name, two or three syllables of two letters or more:
    MARIANNE or PALOMINO can be cut into pinyin syllables too (ma-ri-an-ne), and "Marian" or "Palo" is such
    a word cut short, not another given name."""
    whole = split_syllables(long)
    if not whole or not 2 <= len(whole) <= 3 or any(len(s) < 2 for s in whole):
        return False
    cut, n = 0, len(short)
    for syllable in whole:
        cut += len(syllable)
        if cut == n:
            return True
        if cut > n:
            return False
    return False


#: the kinds of match that a word written in another script gets when it is the listed word as that script
#: writes it.
ABJAD_SAME = "same consonants (Arabic script)"
GREEK_SAME = "the same as Greek writes it"


@lru_cache(maxsize=200_000)
def abjad_similarity(query: str, listed: str) -> tuple[float, str]:
    """For a query written in Arabic script, whose short vowels were never written: consonant skeletons."""
    sim, why = token_similarity(query, listed)
    if sim >= SIM_ABJAD:
        return sim, why
    a = abjad_skeleton(query)
    skeletons = abjad_skeletons(listed)
    if a in skeletons and (len(a) >= 2 or abjad_spelled(query, listed)):
        return SIM_ABJAD, ABJAD_SAME
    if len(a) >= 4 and any(len(b) >= 4 and OSA.distance(a, b, score_cutoff=2) == 1 for b in skeletons):
        return max(sim, 0.82), "similar consonants (Arabic script)"
    return sim, why


@lru_cache(maxsize=200_000)
def greek_similarity(query: str, listed: str) -> tuple[float, str]:
    """For a query written in Greek, compared as Greek letters keep the listed word (``greek_fold``): no H,
    one letter for c, k and q, ΝΤ for d, nd and nt (Hossein is Οσσειν, Vladimirovich Βλαντιμιροβιχ)."""
    sim, why = token_similarity(query, listed)
    if sim >= SIM_GREEK:
        return sim, why
    a, folds = greek_fold(query), greek_folds(listed)
    if len(a) >= 2 and a in folds:
        return SIM_GREEK, GREEK_SAME
    other = max(_edit_similarity(a, b) for b in folds)
    return (other, "similar spelling as Greek writes it") if other > sim else (sim, why)


#: similarity of words, by the script a query was written in (Latin when absent).
SCRIPT_SIMILARITY = {"Arabic script": abjad_similarity, "Greek": greek_similarity}
#: word matches that are as close as a script written letter by letter can write the listed word: exact, for
#: the common-name cap (محمد حسن is Mohamed Hassan as exactly as Arabic can say it, without short vowels; in
#: Cyrillic or Greek a spelling variant is the romanisation's choice, not the applicant's).  Not for Chinese
#: characters: 李 read as Li is not the LEE of the list more surely than a typed Lee is.
_EXACT = frozenset({"exact"})
_LETTERS_EXACT = frozenset({"exact", "spelling variant"})
SCRIPT_EXACT = {
    "Arabic script": _LETTERS_EXACT | {"vowels dropped", ABJAD_SAME},
    "Greek": _LETTERS_EXACT | {GREEK_SAME},
    "Cyrillic": _LETTERS_EXACT,
}


#: match kinds that a real word of the list should not get: a query word that is itself a
#: listed name token ("Ziad", "Manuel") is a different name, not a typo of "Riad" or "Miguel".
_TYPO_KINDS = frozenset({"similar spelling"})
KNOWN_WORD_SIM = 0.6


# --------------------------------------------------------------------------- name scoring


@dataclass
class _Side:
    tokens: tuple[TokenForm, ...]
    optional: tuple[bool, ...]
    weights: list[float]
    partner: list[int | None]
    sims: list[float]
    kinds: list[str]

    @classmethod
    def of(cls, name: NameForm, weights: TokenWeights) -> _Side:
        n = len(name.tokens)
        return cls(
            name.tokens,
            name.optional,
            [weights.weight(t, o) for t, o in zip(name.tokens, name.optional, strict=True)],
            [None] * n,
            [0.0] * n,
            [""] * n,
        )

    def free(self, i: int) -> bool:
        return self.partner[i] is None

    def required(self) -> list[int]:
        return [i for i, opt in enumerate(self.optional) if not opt]


def _units(side: _Side) -> tuple[list[tuple[str, tuple[int, ...]]], list[tuple[str, tuple[int, ...]]]]:
    """Single tokens, and adjacent pairs written together (``AL SHANTI`` -> ``alshanti``)."""
    tokens = side.tokens
    singles = [(t.text, (i,)) for i, t in enumerate(tokens)]
    glued = [(tokens[i].text + tokens[i + 1].text, (i, i + 1)) for i in range(len(tokens) - 1)]
    return singles, glued


def _glued(glued, singles):
    """Each pair of words written together beside each single word of the other name that could be it."""
    by_initial = _by_initial(singles) if glued else {}
    for text, idx in glued:
        for other, other_idx in by_initial.get(text[0], ()):
            if abs(len(text) - len(other)) <= 3:
                yield text, idx, other, other_idx


def _by_initial(units: list[tuple[str, tuple[int, ...]]]) -> dict[str, list[tuple[str, tuple[int, ...]]]]:
    grouped: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
    for unit in units:
        grouped.setdefault(unit[0][0], []).append(unit)
    return grouped


def _assign(q: _Side, lst: _Side, reasons: list[str], vocabulary: frozenset[str], similarity=None) -> None:
    """Greedy one-to-one assignment, best similarity first; a token may also match two
    adjacent tokens of the other name written apart."""
    compare = similarity or token_similarity
    pairs: list[tuple[float, int, tuple[int, ...], tuple[int, ...], str, str, str]] = []
    q_singles, q_glued = _units(q)
    l_singles, l_glued = _units(lst)
    candidates: list[tuple[str, tuple[int, ...], str, tuple[int, ...]]] = [
        (q_text, q_idx, l_text, l_idx) for q_text, q_idx in q_singles for l_text, l_idx in l_singles
    ]
    # A pair written together is compared only with a single word of the same first letter and a similar
    # length (on a long business name, comparing every pair with every word is most of the time spent).
    candidates += _glued(q_glued, l_singles)
    candidates += [(q_text, q_idx, l_text, l_idx) for l_text, l_idx, q_text, q_idx in _glued(l_glued, q_singles)]
    for q_text, q_idx, l_text, l_idx in candidates:
        sim, why = compare(q_text, l_text)
        if why in _TYPO_KINDS and q_text in vocabulary:
            sim, why = KNOWN_WORD_SIM, why
        if sim >= MIN_TOKEN_SIM:
            pairs.append((sim, len(q_idx) + len(l_idx), q_idx, l_idx, why, q_text, l_text))
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
    for sim, _n, q_idx, l_idx, why, q_text, l_text in pairs:
        if all(q.free(i) for i in q_idx) and all(lst.free(j) for j in l_idx):
            for i in q_idx:
                q.partner[i], q.sims[i], q.kinds[i] = l_idx[0], sim, why
            for j in l_idx:
                lst.partner[j], lst.sims[j], lst.kinds[j] = q_idx[0], sim, why
            if len(q_idx) + len(l_idx) > 2:
                why = f"{why}, spacing"
                q_text = " ".join(q.tokens[i].text for i in q_idx)
                l_text = " ".join(lst.tokens[j].text for j in l_idx)
            reasons.append(_pair_reason(q_text, l_text, sim, why))


def _pair_reason(query: str, listed: str, sim: float, why: str) -> str:
    if why == "exact":
        return f"'{query}' = '{listed}'"
    return f"'{query}' ~ '{listed}' ({why}, {sim:.2f})"


def score_forms(query: NameForm, listed: NameForm, weights: TokenWeights = UNIFORM_WEIGHTS) -> Match:
    """Score two normalised names; see the module docstring for the rules."""
    if not query.tokens or not listed.tokens:
        return Match(0.0, ["empty name"])
    q, lst = _Side.of(query, weights), _Side.of(listed, weights)
    reasons: list[str] = []
    _assign(q, lst, reasons, weights.vocabulary, SCRIPT_SIMILARITY.get(query.script))
    l_req = lst.required()
    mean_listed = sum(lst.weights[i] for i in l_req) / len(l_req) if l_req else 1.0
    # A matched query token counts with its listed partner's weight, so that a typo does not
    # make it look rarer than the name it stands for; an unmatched one (a word the list has
    # never seen) counts no more than an average token of the listed name.
    for i, partner in enumerate(q.partner):
        if partner is not None:
            q.weights[i] = lst.weights[partner]
        elif not q.optional[i]:
            q.weights[i] = min(q.weights[i], mean_listed)
    q_req = q.required()
    if not q_req or not l_req:
        return Match(0.0, ["only ignorable words (titles, legal forms, particles)"])
    short, short_req, long, long_req = (q, q_req, lst, l_req) if len(q_req) <= len(l_req) else (lst, l_req, q, q_req)

    total_short = sum(short.weights[i] for i in short_req) or 1.0
    quality = sum(short.sims[i] * short.weights[i] for i in short_req) / total_short
    full = [i for i in short_req if not short.free(i) and short.kinds[i] != "initial"]
    # (a truncated word is cut, not changed: it does not count as the worst)
    worst = min((short.sims[i] for i in full if short.kinds[i] != "truncated"), default=1.0)
    quality -= WORST_PENALTY * max(0.0, WORST_FREE - worst)
    # How distinctive what matched is: the weight of its uncommon words (without a list, each counts fully).
    distinct = sum(
        short.weights[i] / weights.max_weight if weights.n_documents else DISTINCT_FULL
        for i in full
        if _informative(short, i) and not _common_pair(short, long, i)
    )
    long_free = [i for i in long_req if long.free(i)]
    if long is q:  # words the query has and the listed name has not
        total_long = sum(long.weights[i] for i in long_req) or 1.0
        extra_weight = sum(long.weights[i] * _extra_share(q, i, long_req) for i in long_free)
        extra = extra_weight / total_long
        score = quality * (1.0 - min(1.0, QUERY_EXTRA_PENALTY * extra))
    else:  # listed words the query leaves out
        total_long = sum(long.weights[i] for i in long_req) or 1.0
        extra = sum(long.weights[i] for i in long_free) / total_long
        relief = min(1.0, max(0.0, (distinct - DISTINCT_NONE) / (DISTINCT_FULL - DISTINCT_NONE)))
        if sum(1 for i in short_req if not short.free(i)) < 2:
            relief = 0.0  # one word left ("El Chapo" for GUZMAN, Chapo) is not a name with a word missing
        penalty = DROP_PENALTY_MAX - (DROP_PENALTY_MAX - DROP_PENALTY_MIN) * relief
        score = quality * (1.0 - penalty * extra * extra)

    unmatched_short = [short.tokens[i].text for i in short_req if short.free(i)]
    unmatched_long = [long.tokens[i].text for i in long_free]
    side = "query" if short is q else "listed name"
    if unmatched_short:
        score = min(score, UNMATCHED_CAP * quality)
        reasons.append(f"{side} tokens not matched: {', '.join(unmatched_short)}")
    if unmatched_long:
        other = "listed name" if short is q else "query"
        reasons.append(f"{other} tokens not in the other name: {', '.join(unmatched_long)} ({extra:.0%} of weight)")
    initials = any(short.kinds[i] == "initial" for i in short_req if not short.free(i))
    if initials and not full:
        score = min(score, INITIALS_ONLY_CAP)
        reasons.append("initials only: no full name matches")
    elif distinct < DISTINCT_NONE and score > COMMON_CAP:
        exact = SCRIPT_EXACT.get(query.script, _EXACT)
        inexact = initials or unmatched_long or any(short.kinds[i] not in exact for i in full)
        if inexact:
            score = COMMON_CAP
            reasons.append("only common name words match, and not exactly: a near-miss by name alone")
    return Match(round(max(0.0, min(1.0, score)), 4), reasons)


def _extra_share(q: _Side, i: int, required: list[int]) -> float:
    """How much an unmatched query word counts: less when common, less again between first and last."""
    share = COMMON_EXTRA_SHARE if is_common_token(q.tokens[i].text, q.tokens[i].keys) else 1.0
    return share * MIDDLE_EXTRA_SHARE if required[0] < i < required[-1] else share


def _informative(side: _Side, i: int) -> bool:
    """A close match, or the start of a word cut short that is long enough to say which word it was."""
    return side.sims[i] >= 0.85 or (side.kinds[i] == "truncated" and len(side.tokens[i].text) >= 4)


def _common_pair(short: _Side, long: _Side, i: int) -> bool:
    """The short side's token ``i`` and its partner are common name words (Li, Wei, Smith, Muhammad)."""
    token = short.tokens[i]
    partner = long.tokens[short.partner[i]] if short.partner[i] is not None else token
    return is_common_token(token.text, token.keys) or is_common_token(partner.text, partner.keys)


def score_names(query: str, listed: str, kind: Kind, weights: TokenWeights = UNIFORM_WEIGHTS) -> Match:
    """Score two raw names of the same kind ('person' or 'business')."""
    return score_forms(normalize_name(query, kind), normalize_name(listed, kind), weights)


# --------------------------------------------------------------------------- secondary factors

DOB_EXACT_BONUS = 0.05
DOB_YEAR_BONUS = 0.03
DOB_CONTRADICTION_PENALTY = 0.15
COUNTRY_MATCH_BONUS = 0.03
COUNTRY_MISMATCH_PENALTY = 0.03
DOB_TOLERANCE_YEARS = 2


@dataclass(frozen=True)
class QueryDate:
    year: int
    month: int | None = None
    day: int | None = None


_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


def parse_query_dob(value: object) -> QueryDate | None:
    """Accept a ``date``, ``'YYYY-MM-DD'``, ``'YYYY-MM'``, ``'YYYY'``, an int year or a tuple."""
    if value is None or value == "":
        return None
    if isinstance(value, QueryDate):
        return value
    if isinstance(value, date):
        return QueryDate(value.year, value.month, value.day)
    if isinstance(value, int):
        return QueryDate(value)
    if isinstance(value, tuple):
        year, month, day = (list(value) + [None, None])[:3]
        return QueryDate(int(year), month, day)
    m = _DATE_RE.match(str(value))
    if not m:
        return None
    year, month, day = m.groups()
    return QueryDate(int(year), int(month) if month else None, int(day) if day else None)


def _entry_country_codes(entry: object) -> set[str]:
    names: Iterable[str] = getattr(entry, "countries", ())
    codes = {country_code(n) for n in names}
    return {c for c in codes if c}


def adjust(score: float, query_dob: object, query_country: str | None, entry: object) -> tuple[float, list[str], bool]:
    """Move a name score by date of birth and country, and say whether the DOB contradicts.

    A matching DOB raises the score; a DOB whose year is more than two years from every
    listed date (and outside every listed range) lowers it and marks it contradicted.
    A shared nationality, citizenship, place-of-birth or address country raises it a
    little; a different one lowers it a little.  Missing data on either side moves nothing.
    """
    reasons: list[str] = []
    contradicted = False
    qdob = parse_query_dob(query_dob)
    dobs = getattr(entry, "dobs", ())
    if qdob and dobs:
        exact = any(
            d.year == qdob.year
            and d.year_to is None
            and d.month
            and d.month == qdob.month
            and (d.day is None or d.day == qdob.day)
            for d in dobs
        )
        # Reasons are stored on hits and shown in the admin: they name no date (the applicant's is personal
        # data; the listed ones are on the entry).
        if exact:
            score += DOB_EXACT_BONUS
            reasons.append("date of birth matches")
        elif any(d.covers_year(qdob.year) for d in dobs):
            score += DOB_YEAR_BONUS
            reasons.append("year of birth matches")
        elif any(d.covers_year(qdob.year, DOB_TOLERANCE_YEARS) for d in dobs):
            reasons.append(f"year of birth within {DOB_TOLERANCE_YEARS} years of a listed date of birth")
        else:
            score -= DOB_CONTRADICTION_PENALTY
            contradicted = True
            reasons.append("date of birth contradicts the listed dates of birth")
    qcode = country_code(query_country) if query_country else None
    if qcode:
        codes = _entry_country_codes(entry)
        if codes and qcode in codes:
            score += COUNTRY_MATCH_BONUS
            reasons.append(f"country {qcode} matches")
        elif codes:
            score -= COUNTRY_MISMATCH_PENALTY
            reasons.append(f"country {qcode} differs from listed {', '.join(sorted(codes)[:4])}")
    return round(max(0.0, min(1.0, score)), 4), reasons, contradicted

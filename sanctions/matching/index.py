"""Blocking index over a list version, and the search that screens one name against it.

Comparing a query with every listed name is too slow, so the index works in two steps:

1. *Token blocking.*  Every distinct token of the listed names is filed under keys that
   survive the perturbations screening must tolerate: its canonical romanisation key, its
   one-deletion neighbourhood (typos, transpositions, doubled letters), its OCR-folded
   form (0/O, 1/l, rn/m), its consonant skeleton (dropped vowels) and its prefixes
   (truncation).  A query token looks up the same keys and gets a handful of listed tokens,
   which are then scored with rapidfuzz.
2. *Name candidates.*  Names holding those tokens are ranked by how much of the query's (or
   their own) token weight is covered; only the best are scored in full by
   :func:`sanctions.matching.score.score_forms`.

Primary names and strong aliases of individuals and entities are indexed, one sub-index
per kind.  Vessels and aircraft are never matched to persons or businesses.  Weak aliases
are kept apart: they can confirm a hit found through a strong name but never create one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sanctions.matching.normalize import (
    Kind,
    NameForm,
    TokenForm,
    has_no_inner_vowels,
    normalize_name,
    token_form,
)
from sanctions.matching.score import (
    MIN_TOKEN_SIM,
    SCRIPT_SIMILARITY,
    TokenWeights,
    adjust,
    score_forms,
    token_similarity,
)
from sanctions.matching.scripts import abjad_skeleton, abjad_skeletons, greek_fold, greek_folds
from sanctions.matching.thresholds import DEFAULT_THRESHOLDS
from sanctions.ofac import Entry, ListSet

ALGORITHM_VERSION = (
    "ofac-name-match/2.1 (token blocking + rapidfuzz OSA, IDF-weighted, shorter-side coverage; initials, "
    "dropped words by distinctiveness, common-name cap, other scripts as they write a name)"
)

KIND_TO_SDN_TYPE: dict[str, str] = {"person": "individual", "business": "entity"}

#: names fully scored per query, at most.
MAX_CANDIDATES = 40
#: a name must have this share of the query's (or its own) token weight covered to be scored.
MIN_COVERAGE = 0.45
#: weak alias bonus when it confirms a hit.
WEAK_ALIAS_BONUS = 0.02


@dataclass(frozen=True)
class Hit:
    """One listed entry that a query name may be, with the evidence."""

    uid: int
    name: str
    matched_name: str
    matched_alias: bool
    alias_type: str | None
    weak_alias: str | None
    programs: tuple[str, ...]
    sdn_type: str
    lists: frozenset[str]
    score: float
    name_score: float
    reasons: tuple[str, ...]
    contradicted: bool = False


@dataclass(frozen=True, slots=True)
class _IndexedName:
    uid: int
    form: NameForm
    display: str
    alias_type: str | None  # None for the primary name
    total_weight: float


def _deletes(word: str) -> set[str]:
    """The word and every string one deletion away from it (SymSpell-style typo keys)."""
    out = {word}
    if len(word) > 2:
        out.update(word[:i] + word[i + 1 :] for i in range(len(word)))
    return out


def _file(table: dict[str, object], key: str, token_id: int) -> None:
    """Add ``token_id`` under ``key``; one id is stored bare, several as a list (saves memory)."""
    current = table.get(key)
    if current is None:
        table[key] = token_id
    elif isinstance(current, list):
        if current[-1] != token_id:
            current.append(token_id)
    elif current != token_id:
        table[key] = [current, token_id]


def _ids(table: dict[str, object], key: str) -> Iterable[int]:
    value = table.get(key)
    if value is None:
        return ()
    if isinstance(value, list):
        return value
    return (value,)  # type: ignore[return-value]


@dataclass
class _KindIndex:
    """Everything needed to search one kind of listed name (individuals or entities)."""

    kind: Kind
    weights: TokenWeights
    names: list[_IndexedName] = field(default_factory=list)
    token_ids: dict[str, int] = field(default_factory=dict)
    token_texts: list[str] = field(default_factory=list)
    token_weights: list[float] = field(default_factory=list)
    postings: list[list[int]] = field(default_factory=list)
    by_key: dict[str, object] = field(default_factory=dict)
    by_delete: dict[str, object] = field(default_factory=dict)
    by_skeleton: dict[str, object] = field(default_factory=dict)
    by_prefix: dict[str, object] = field(default_factory=dict)
    by_abjad: dict[str, object] = field(default_factory=dict)
    by_greek: dict[str, object] = field(default_factory=dict)

    def add_name(self, uid: int, display: str, form: NameForm, alias_type: str | None) -> None:
        if not form.tokens:
            return
        total = sum(self.weights.weight(t) for t in form.required) or 1.0
        # (ignorable tokens are indexed too: a query may hold them with a typo)
        name_id = len(self.names)
        self.names.append(_IndexedName(uid, form, display, alias_type, total))
        # Only tokens that must match are posted: a name is never a candidate just because
        # it shares "LIMITED" or "AL" with the query.
        for token, optional in zip(form.tokens, form.optional, strict=True):
            if not optional:
                self._post(token.text, name_id, glued=None)
        # Adjacent tokens glued together, so that "ALSHANTI" finds "AL-SHANTI".
        for i in range(len(form.tokens) - 1):
            if not (form.optional[i] and form.optional[i + 1]):
                a, b = form.tokens[i], form.tokens[i + 1]
                self._post(a.text + b.text, name_id, glued=a.key + b.key)

    def _post(self, text: str, name_id: int, glued: str | None) -> None:
        token_id = self.token_ids.get(text)
        if token_id is None:
            token_id = len(self.token_texts)
            self.token_ids[text] = token_id
            self.token_texts.append(text)
            self.postings.append([name_id])
            if glued is None:
                self._file_token(token_form(text), token_id)
                self.token_weights.append(self.weights.weight(token_form(text)))
            else:
                _file(self.by_key, text, token_id)
                _file(self.by_key, glued, token_id)
                self.token_weights.append(self.weights.weight(token_form(text)))
        elif self.postings[token_id][-1] != name_id:
            self.postings[token_id].append(name_id)

    def _file_token(self, token: TokenForm, token_id: int) -> None:
        text = token.text
        for key in {text, *token.keys, *token.ocr_keys, token.ocr}:
            _file(self.by_key, key, token_id)
        if len(text) >= 3:
            for d in _deletes(token.key) | _deletes(text):
                _file(self.by_delete, d, token_id)
        for skeleton in token.skeletons:
            if len(skeleton) >= 2:
                _file(self.by_skeleton, skeleton, token_id)
        for n in range(3, len(text)):
            _file(self.by_prefix, text[:n], token_id)
        if len(text) >= 3:
            for skeleton in {*abjad_skeletons(token.key), *abjad_skeletons(text)}:
                _file(self.by_abjad, skeleton, token_id)
        if len(text) >= 2:
            for folded in greek_folds(text):
                _file(self.by_greek, folded, token_id)

    # ------------------------------------------------------------------ search

    def similar_tokens(self, token: TokenForm, typo_keys: bool = True, script: str | None = None) -> dict[int, float]:
        """Listed token ids that may be this query token, with their similarity (``script``: the one the
        query was written in; Arabic script, without short vowels, is looked up by consonants too)."""
        found: set[int] = set()
        for form in {token.text, token.key, *token.ocr_keys, token.ocr}:
            found.update(_ids(self.by_key, form))
        if typo_keys and len(token.text) >= 3:
            for form in {token.text, token.key, *token.ocr_keys}:
                for d in _deletes(form):
                    found.update(_ids(self.by_delete, d))
            found.update(_ids(self.by_prefix, token.text))
        if typo_keys and (len(token.text) >= 4 or has_no_inner_vowels(token.text)):
            for skeleton in token.skeletons:
                found.update(_ids(self.by_skeleton, skeleton))
        if script == "Arabic script":
            found.update(_ids(self.by_abjad, abjad_skeleton(token.text)))
        elif script == "Greek":
            found.update(_ids(self.by_greek, greek_fold(token.text)))
        similarity = SCRIPT_SIMILARITY.get(script, token_similarity)
        out: dict[int, float] = {}
        texts = self.token_texts
        for token_id in found:
            sim, _why = similarity(token.text, texts[token_id])
            if sim >= MIN_TOKEN_SIM:
                out[token_id] = sim
        return out

    def candidates(self, query: NameForm) -> list[int]:
        """Name ids worth scoring in full, best coverage first.

        Query tokens are taken rarest first.  Once the tokens already taken carry so much of
        the query's weight that a name matching none of them could not reach
        ``MIN_COVERAGE``, common tokens ("Muhammad", "Trading") only add to names already
        found instead of pulling in thousands of new ones.
        """
        required = query.required
        # Initials find nothing by themselves: the names are found through the full words.
        if any(len(t.text) > 1 for t in required):
            required = tuple(t for t in required if len(t.text) > 1)
        if not required:
            return []
        token_weights = self.token_weights
        units: list[tuple[float, dict[int, float]]] = []
        for token in required:
            similar = self.similar_tokens(token, script=query.script)
            if similar:
                best_id = max(similar, key=similar.__getitem__)
                units.append((token_weights[best_id], similar))
            else:
                units.append((self.weights.weight(token), {}))
        q_total = sum(w for w, _ in units) or 1.0
        singles = sorted((u for u in units if u[1]), key=lambda u: -u[0])
        # Two query tokens that the list writes as one word ("RUSKHIM ALYANS" / "RUSKHIMALYANS"):
        # exact keys only; they may add names but do not count towards the rarest-first budget.
        glued_units: list[tuple[float, dict[int, float]]] = []
        tokens, optional = query.tokens, query.optional
        for i in range(len(tokens) - 1):
            if optional[i] and optional[i + 1]:
                continue
            a, b = tokens[i], tokens[i + 1]
            similar = self.similar_tokens(token_form(a.text + b.text), typo_keys=False)
            if similar:
                weight = self.weights.weight(a, optional[i]) + self.weights.weight(b, optional[i + 1])
                glued_units.append((weight, similar))
        if not singles and not glued_units:
            return []
        q_cover: dict[int, float] = {}
        l_cover: dict[int, float] = {}
        remaining = sum(w for w, _ in singles) / q_total
        postings = self.postings
        plan = [(w, m, True) for w, m in glued_units] + [(w, m, False) for w, m in singles]
        for q_weight, similar, is_glued in plan:
            share = q_weight / q_total
            open_to_new = is_glued or remaining >= MIN_COVERAGE
            if not is_glued:
                remaining -= share
            best: dict[int, float] = {}
            best_listed: dict[int, float] = {}
            for token_id, sim in sorted(similar.items(), key=lambda kv: kv[1]):
                listed_weight = token_weights[token_id] * sim
                for name_id in postings[token_id]:
                    if open_to_new or name_id in q_cover:
                        best[name_id] = sim
                        best_listed[name_id] = listed_weight
            for name_id, sim in best.items():
                q_cover[name_id] = q_cover.get(name_id, 0.0) + sim * share
                l_cover[name_id] = l_cover.get(name_id, 0.0) + best_listed[name_id]
        ranked: list[tuple[float, int]] = []
        names = self.names
        for name_id, qc in q_cover.items():
            qc = min(qc, 1.0)
            lc = min(l_cover[name_id] / names[name_id].total_weight, 1.0)
            if qc >= MIN_COVERAGE or lc >= MIN_COVERAGE:
                ranked.append((qc + lc, name_id))
        ranked.sort(reverse=True)
        return [name_id for _, name_id in ranked[:MAX_CANDIDATES]]


class ScreeningIndex:
    """Search structure over one list version; build once, query many times."""

    def __init__(self, entries: Mapping[int, Entry], weights: Mapping[str, TokenWeights] | None = None) -> None:
        self.entries: dict[int, Entry] = dict(entries)
        self._weak: dict[int, list[tuple[str, NameForm]]] = {}
        self.kinds: dict[str, _KindIndex] = {}
        for kind, sdn_type in KIND_TO_SDN_TYPE.items():
            listed = [e for e in self.entries.values() if e.sdn_type == sdn_type]
            forms = [
                (e, name, alias_type, normalize_name(name, kind))
                for e in listed
                for name, alias_type in _strong_names(e)
            ]
            kind_weights = (weights or {}).get(kind) or TokenWeights(form.tokens for _, _, _, form in forms)
            index = _KindIndex(kind=kind, weights=kind_weights)  # type: ignore[arg-type]
            for entry, name, alias_type, form in forms:
                index.add_name(entry.uid, name, form, alias_type)
            self.kinds[kind] = index
            for entry in listed:
                weak = [(a.name, normalize_name(a.name, kind)) for a in entry.weak_aliases]
                if weak:
                    self._weak[entry.uid] = weak

    @classmethod
    def from_list_set(
        cls,
        list_set: ListSet,
        only_uids: Iterable[int] | None = None,
        weights_from: ScreeningIndex | None = None,
    ) -> ScreeningIndex:
        """Index a whole version, or only some entries (a delta) with the full list's weights."""
        entries: Mapping[int, Entry] = list_set.entries
        if only_uids is not None:
            wanted = set(only_uids)
            entries = {uid: e for uid, e in list_set.entries.items() if uid in wanted}
        weights = {k: v.weights for k, v in weights_from.kinds.items()} if weights_from else None
        return cls(entries, weights)

    @property
    def weights(self) -> dict[str, TokenWeights]:
        return {kind: index.weights for kind, index in self.kinds.items()}

    def __len__(self) -> int:
        return sum(len(k.names) for k in self.kinds.values())

    def search(
        self,
        name: str,
        kind: Kind,
        dob: object = None,
        country: str | None = None,
        limit: int = 50,
        min_score: float | None = None,
    ) -> list[Hit]:
        """Screen one name; hits at or above ``min_score`` (default: the near-miss threshold)."""
        if kind not in self.kinds:
            raise ValueError(f"kind must be one of {sorted(self.kinds)}, not {kind!r}")
        floor = DEFAULT_THRESHOLDS.near_miss if min_score is None else min_score
        index = self.kinds[kind]
        query = normalize_name(name, kind)
        if not query.tokens:
            return []
        best: dict[int, tuple[float, _IndexedName, list[str]]] = {}
        for name_id in index.candidates(query):
            listed = index.names[name_id]
            match = score_forms(query, listed.form, index.weights)
            current = best.get(listed.uid)
            if current is None or match.score > current[0]:
                best[listed.uid] = (match.score, listed, match.reasons)
        hits: list[Hit] = []
        # Secondary factors can lower a score but also raise one a little: look slightly below the floor.
        look_from = floor - 0.1 if (dob or country) else floor
        for uid, (name_score, listed, reasons) in best.items():
            if name_score < look_from - 0.05:
                continue
            hits.append(self._hit(uid, name_score, listed, reasons, query, kind, dob, country))
        hits = [h for h in hits if h.score >= floor]
        hits.sort(key=lambda h: (-h.score, h.uid))
        return hits[:limit]

    def _hit(
        self,
        uid: int,
        name_score: float,
        listed: _IndexedName,
        reasons: list[str],
        query: NameForm,
        kind: Kind,
        dob: object,
        country: str | None,
    ) -> Hit:
        entry = self.entries[uid]
        score = name_score
        all_reasons = [
            f"name {name_score:.2f} vs '{listed.display}'" + (f" ({listed.alias_type})" if listed.alias_type else ""),
            *reasons,
        ]
        if query.script:
            all_reasons.insert(1, f"written in {query.script}: screened as its romanisation '{query.text}'")
        weak_name = None
        for weak_display, weak_form in self._weak.get(uid, ()):
            weak = score_forms(query, weak_form, self.kinds[kind].weights)
            if weak.score >= DEFAULT_THRESHOLDS.review:
                weak_name = weak_display
                score = min(1.0, score + WEAK_ALIAS_BONUS)
                all_reasons.append(f"weak alias '{weak_display}' also matches ({weak.score:.2f})")
                break
        contradicted = False
        if dob or country:
            score, extra, contradicted = adjust(score, dob, country, entry)
            all_reasons.extend(extra)
        return Hit(
            uid=uid,
            name=entry.name,
            matched_name=listed.display,
            matched_alias=listed.alias_type is not None,
            alias_type=listed.alias_type,
            weak_alias=weak_name,
            programs=entry.programs,
            sdn_type=entry.sdn_type,
            lists=entry.lists,
            score=round(score, 4),
            name_score=name_score,
            reasons=tuple(all_reasons),
            contradicted=contradicted,
        )


def _strong_names(entry: Entry) -> list[tuple[str, str | None]]:
    names: list[tuple[str, str | None]] = [(entry.name, None)]
    seen = {entry.name}
    for alias in entry.aliases:
        if not alias.weak and alias.name not in seen:
            seen.add(alias.name)
            names.append((alias.name, alias.alt_type))
    return names


def build_index(list_set: ListSet) -> ScreeningIndex:
    """Index a list version for :meth:`ScreeningIndex.search`."""
    return ScreeningIndex.from_list_set(list_set)

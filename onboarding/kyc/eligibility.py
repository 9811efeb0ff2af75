"""Wallet eligibility: can this merchant category, in this state, take this wallet through this channel
with this acquirer, and why.

One function answers it (``wallet_eligibility``) for the merchant form's early notice, the pipeline's
``wallet_eligibility`` check and the partner API. The rules are data (``data/eligibility_rules.json``,
each row with its source) stored as numbered, never-changed versions (``EligibilityRuleSet``); the
highest version is in force. Every matching row applies and the worst outcome wins
(ineligible > review > eligible); no matching row means eligible.

The pipeline's check is re-run whenever its inputs change (``check_inputs``): the rule version, the
acquirer, and the wallet request rows it records its outcomes on, so a request row that was replaced
(and is pending again) is always assessed, even when the wallets asked for read the same.

Reasons are English (``Eligibility.reasons``, ``.reason``): what the check stores in its details and on
``WalletRequest.eligibility_reason``, for the officers. The same reasons in the site's other languages
(``reasons_in``, ``reason_in``: the active language by default) are for what a merchant reads; their
words come from the data file (``reason_zh_hans`` beside each rule's ``reason``, found by the English
text, and ``composed_reasons``) and are not part of a version, so a translation changes no outcome. A
reason without a translation reads in English.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import get_language

from onboarding.kyc import mcc as mcc_data
from onboarding.models import EligibilityRule, EligibilityRuleSet

DATA_FILE = Path(__file__).parent / "data" / "eligibility_rules.json"
SEVERITY = {"eligible": 0, "review": 1, "ineligible": 2}
ROW_FIELDS = ("wallet", "channel", "acquirer", "mccs", "mcc_match", "states", "outcome", "reason", "source")
STORED_LANGUAGE = "en"
SEPARATORS = {"zh-hans": "；"}


def _language_key(language: str | None) -> str:
    return (language or STORED_LANGUAGE).replace("_", "-").lower()


def local_languages() -> tuple[str, ...]:
    """The site's languages other than the one reasons are stored in."""
    return tuple(_language_key(code) for code, _name in settings.LANGUAGES if _language_key(code) != STORED_LANGUAGE)


@dataclass(frozen=True)
class Eligibility:
    outcome: str  # eligible | review | ineligible
    reasons: list[str] = field(default_factory=list)  # English: what is stored, for the officers
    sources: list[str] = field(default_factory=list)
    rule_version: int = 0
    #: ``reasons`` in each of the other languages, in the same order (English where a text has no translation)
    translated: dict[str, list[str]] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def reasons_in(self, language: str | None = None) -> list[str]:
        """The reasons in ``language`` (a Django language code; the active language when None)."""
        key = _language_key(language or get_language())
        return list(self.translated.get(key, self.reasons))

    def reason_in(self, language: str | None = None) -> str:
        key = _language_key(language or get_language())
        return SEPARATORS.get(key, "; ").join(self.reasons_in(key))


def _eligibility(outcome: str, words: list[dict[str, str]], sources: list[str], rule_version: int) -> Eligibility:
    """An Eligibility from its reasons, each as {language: text} with the English text under "en"."""
    reasons = [w[STORED_LANGUAGE] for w in words]
    translated = {lang: [w.get(lang, w[STORED_LANGUAGE]) for w in words] for lang in local_languages()}
    return Eligibility(outcome, reasons, sources, rule_version, translated)


def load_data(path: Path | None = None) -> dict:
    return json.loads((path or DATA_FILE).read_text())


def rows_from_data(data: dict) -> list[dict]:
    """The data file's rules with MCC groups expanded to codes and sources written out (what a version
    holds: the translations of the reasons are not part of it)."""
    sources, groups = data["sources"], data["mcc_groups"]
    rows = []
    for rule in data["rules"]:
        mccs = rule["mccs"]
        if isinstance(mccs, str):
            group = groups[mccs.removeprefix("@")]
            codes = group.get("mccs") or [code for codes in group["categories"].values() for code in codes]
            mccs = mcc_data.expand(codes)
        else:
            mccs = mcc_data.expand(mccs)
        if rule["outcome"] not in SEVERITY:
            raise ValueError(f"unknown outcome {rule['outcome']!r}")
        rows.append({**{k: rule[k] for k in ROW_FIELDS}, "mccs": mccs, "source": sources[rule["source"]]})
    return rows


def rows_digest(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def rule_set_store(*, rows: list[dict], note: str = "", created_by=None) -> tuple[EligibilityRuleSet, bool]:
    """Store ``rows`` as the next version unless they equal the version in force. Returns (set, created)."""
    digest = rows_digest(rows)
    with transaction.atomic():
        latest = EligibilityRuleSet.objects.select_for_update().order_by("-version").first()
        if latest is not None and latest.digest == digest:
            return latest, False
        rule_set = EligibilityRuleSet.objects.create(
            version=(latest.version + 1) if latest else 1, digest=digest, note=note[:300], created_by=created_by
        )
        EligibilityRule.objects.bulk_create(
            EligibilityRule(rule_set=rule_set, position=i, **row) for i, row in enumerate(rows)
        )
    return rule_set, True


def rule_set_current() -> EligibilityRuleSet:
    """The version in force; on an empty database (fresh install, flushed test run) the data file's."""
    current = EligibilityRuleSet.objects.order_by("-version").first()
    if current is not None:
        return current
    try:
        return rule_set_store(rows=rows_from_data(load_data()), note="Initial table from the data file")[0]
    except IntegrityError:  # stored concurrently by another worker
        return EligibilityRuleSet.objects.order_by("-version").first()


_ROWS_CACHE: dict[int, list[EligibilityRule]] = {}


def _rules(rule_set: EligibilityRuleSet) -> list[EligibilityRule]:
    # A stored version never changes, so its rows can be kept for the life of the process.
    if rule_set.pk not in _ROWS_CACHE:
        _ROWS_CACHE[rule_set.pk] = list(rule_set.rules.order_by("position"))
    return _ROWS_CACHE[rule_set.pk]


def _entry_words(entry: dict) -> dict[str, str]:
    """{language: text} of a data entry: ``reason`` in English, ``reason_<language>`` in the others."""
    words = {STORED_LANGUAGE: entry["reason"]}
    for language in local_languages():
        text = entry.get("reason_" + language.replace("-", "_"))
        if isinstance(text, str) and text.strip():
            words[language] = text
    return words


@lru_cache(maxsize=4)
def _reason_words(path: Path, modified: int) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """(each rule's reason in every language it has, by its English text; the composed sentences), read
    from the data file as it was last modified."""
    data = load_data(path)
    rules = {rule["reason"]: _entry_words(rule) for rule in data["rules"]}
    composed = {name: _entry_words(entry) for name, entry in data["composed_reasons"].items()}
    return rules, composed


def _words() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    return _reason_words(DATA_FILE, DATA_FILE.stat().st_mtime_ns)


def _composed(name: str, parts: dict[str, dict[str, str]]) -> dict[str, str]:
    """The sentence ``name`` in every language, its parts ({placeholder: {language: text}}) filled in. A
    language that lacks the sentence or any part has the whole sentence in English."""
    sentences = _words()[1][name]
    english = sentences[STORED_LANGUAGE].format_map({k: v[STORED_LANGUAGE] for k, v in parts.items()})
    words = {STORED_LANGUAGE: english}
    for language in local_languages():
        if language in sentences and all(language in v for v in parts.values()):
            words[language] = sentences[language].format_map({k: v[language] for k, v in parts.items()})
    return words


def _category(mcc: str) -> dict[str, str]:
    """The category as reasons name it ("5812 Eating places and restaurants"), in every language."""
    words = {STORED_LANGUAGE: f"{mcc} {mcc_data.mcc_name(mcc)}"}
    for language in local_languages():
        words[language] = f"{mcc} {mcc_data.mcc_name_for(mcc, language)}"
    return words


def _rule_reason(rule: EligibilityRule) -> dict[str, str]:
    # Found by its English text: a version's rows hold only the English (older versions' too).
    return _words()[0].get(rule.reason) or {STORED_LANGUAGE: rule.reason}


def _matches(rule: EligibilityRule, *, mcc: str, state: str, wallet: str, channel: str, acquirer: str) -> bool:
    if rule.wallet and rule.wallet != wallet:
        return False
    if rule.channel and rule.channel != channel:
        return False
    if rule.acquirer and rule.acquirer != acquirer:
        return False
    if rule.states and state not in rule.states:
        return False
    if rule.mcc_match == EligibilityRule.MccMatch.NOT_IN:
        return mcc not in rule.mccs
    return not rule.mccs or mcc in rule.mccs


def wallet_eligibility(
    *, mcc: str, state: str, wallet: str, channel: str, acquirer: str, rule_set: EligibilityRuleSet | None = None
) -> Eligibility:
    """The outcome for one wallet request, with the reasons and sources of every rule that applied."""
    rule_set = rule_set or rule_set_current()
    if not mcc_data.is_known(mcc):
        code = {language: mcc for language in (STORED_LANGUAGE, *local_languages())}
        words = _composed("unknown_mcc", {"mcc": code}) if mcc else _composed("no_mcc", {})
        return _eligibility("review", [words], [], rule_set.version)
    category = _category(mcc)
    matched = [
        rule
        for rule in _rules(rule_set)
        if _matches(rule, mcc=mcc, state=state, wallet=wallet, channel=channel, acquirer=acquirer)
    ]
    if not matched:
        return _eligibility("eligible", [_composed("no_rule", {"category": category})], [], rule_set.version)
    matched.sort(key=lambda rule: -SEVERITY[rule.outcome])
    outcome = matched[0].outcome
    reasons = [
        _composed("rule", {"reason": _rule_reason(rule), "category": category})
        for rule in matched
        if rule.outcome == outcome
    ]
    sources = list(dict.fromkeys(rule.source for rule in matched if rule.outcome == outcome))
    return _eligibility(outcome, reasons, sources, rule_set.version)


def worst(results: list[Eligibility]) -> Eligibility:
    """Several states for one request (business and stores): the worst outcome, reasons merged."""
    top = max(results, key=lambda e: SEVERITY[e.outcome])
    same = [e for e in results if e.outcome == top.outcome]
    merged: dict[str, dict[str, str]] = {}
    for result in same:
        for index, reason in enumerate(result.reasons):
            words = {lang: texts[index] for lang, texts in result.translated.items()}
            merged.setdefault(reason, {STORED_LANGUAGE: reason, **words})
    sources = list(dict.fromkeys(s for e in same for s in e.sources))
    return _eligibility(top.outcome, list(merged.values()), sources, top.rule_version)


def check_inputs(application) -> dict:
    """What the ``wallet_eligibility`` check depends on beyond the sections it reads (business, stores,
    wallets). The check stores its outcome on each request row, and a new row starts as pending, so the
    rows themselves are inputs: a replaced row has a new id, which changes the check's fingerprint."""
    return {
        "eligibility_rules": rule_set_current().version,
        "acquirer": application.acquirer,
        "wallet_request_rows": sorted(application.wallet_requests.values_list("pk", flat=True)),
    }


def request_eligibility(application, wallet_request, *, rule_set: EligibilityRuleSet | None = None) -> Eligibility:
    """One wallet request of an application: the business's state, and each store's state in store."""
    rule_set = rule_set or rule_set_current()
    states = {application.address_state}
    if wallet_request.channel == "in_store":
        states |= {store.address_state for store in application.stores.all() if store.address_country == "US"}
    return worst(
        [
            wallet_eligibility(mcc=application.mcc, state=state, wallet=wallet_request.wallet,
                               channel=wallet_request.channel, acquirer=application.acquirer, rule_set=rule_set)
            for state in sorted(states)
        ]
    )  # fmt: skip

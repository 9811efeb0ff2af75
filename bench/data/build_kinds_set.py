"""Generate the screening sets for the harder kinds of query: initials, dropped and truncated tokens,
dropped vowels, doubled letters, other scripts (Cyrillic, Greek, Arabic, Chinese characters, pinyin with
tones), ordinary names of our users' origins (at least a quarter Chinese, in characters and in pinyin,
plus Korean and Vietnamese), and pairs for the pairwise calibration (perturbed listed names against
near-miss negatives: another listed name sharing a token, a token of another name swapped in, edits
beyond a typo, a listed name with an extra distinctive token).

Two sets come from it: the held-out set (``kinds_holdout.jsonl``, seed ``HOLDOUT_SEED``), generated and
committed before any tuning and never tuned on, and the tuning set (``kinds_tuning.jsonl``, seed
``TUNING_SEED``), the only one the matcher was tuned on.  Each line is a screening record (the schema of
``eval_set.jsonl``) or, with ``"pair": true``, a pair (``query``, ``listed_name``, ``same``).

Usage: ``python bench/data/build_kinds_set.py holdout|tuning``
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from build_eval_set import (  # noqa: E402
    ORIGIN_COUNTRY,
    business_negative,
    entry_country,
    entry_dob,
    natural_order,
    p_doubled,
    p_dropped_vowels,
    person_negative,
    random_dob,
    read_sections,
    simple_key,
)
from scripts import HANZI, split_pinyin, to_arabic, to_cyrillic, to_greek, to_hanzi, tone_pinyin  # noqa: E402

from sanctions import ofac  # noqa: E402

HOLDOUT_SEED = 60417
TUNING_SEED = 31337
PER_KIND = 300
PAIRS_PER_KIND = 400
PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "del", "la", "da", "di", "van", "von", "abu", "abd", "ul"}
CYRILLIC_COUNTRIES = {"Russia", "Ukraine", "Belarus", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Serbia", "Bulgaria"}
ARABIC_COUNTRIES = {
    "Syria", "Iraq", "Yemen", "Lebanon", "Saudi Arabia", "Egypt", "Libya", "Jordan", "Kuwait", "Qatar",
    "United Arab Emirates", "Bahrain", "Sudan", "Somalia", "Algeria", "Tunisia", "Morocco", "Palestinian",
    "West Bank", "Gaza", "Oman", "Mauritania",
}  # fmt: skip
CHINESE_COUNTRIES = {"China", "Hong Kong", "Taiwan", "Macau"}
PINYIN_GIVEN = [
    "Wei", "Jing", "Li", "Ming", "Hui", "Yan", "Xin", "Lei", "Jun", "Hong", "Fang", "Ying", "Yu", "Hao",
    "Jie", "Qiang", "Lin", "Tao", "Bo", "Na", "Min", "Jian", "Ping", "Yong", "Hua", "Mei", "Xiuying", "Guang",
    "Zhiqiang", "Jianguo", "Xiaoming", "Xiaohong", "Haiyan", "Chunmei", "Wenjie", "Yifan", "Zihan", "Jiayi",
    "Qingsong", "Shanshan", "Ruixue", "Kaiwen", "Yuting", "Xiaolong", "Jinlong", "Dehua", "Guoqing",
]  # fmt: skip
PINYIN_FAMILY = [
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
    "Hu", "Guo", "He", "Lin", "Gao", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng",
    "Cao", "Peng", "Zeng", "Tian", "Pan", "Cai", "Jiang", "Du", "Ye", "Su", "Lu", "Ding", "Ren", "Yao",
    "Shen", "Cui", "Tan", "Fan", "Liao", "Shi", "Jin", "Xia", "Fu", "Fang", "Zou", "Bai", "Meng", "Qin",
    "Qiu", "Hou", "Xue", "Yan", "Duan", "Lei", "Long", "Gu", "Mao", "Gong", "Shao", "Qian", "Dai", "Kong",
]  # fmt: skip


def person_words(entry: ofac.Entry) -> tuple[list[str], str] | None:
    """Given names and the family name of a listed person written 'FAMILY, Given'."""
    if entry.name.count(",") != 1:
        return None
    family, given = (p.strip() for p in entry.name.split(","))
    if not family or not given:
        return None
    return given.split(), family


def in_countries(entry: ofac.Entry, wanted: set[str]) -> bool:
    return any(any(w in c for w in wanted) for c in entry.countries)


# --------------------------------------------------------------------------- positive kinds


def k_initials(entry, kind, rng):
    split = person_words(entry)
    if split is None:
        return None
    given, family = split
    given = [g for g in given if len(g.strip(".")) > 1]
    if not given:
        return None
    dot = rng.choice([".", "", "."])
    how = rng.random()
    if how < 0.45:
        initials = [g[0] + dot for g in given]  # every given name an initial
    elif how < 0.75:
        initials = [given[0][0] + dot]  # the first initial only
    else:
        initials = [given[0]] + [g[0] + dot for g in given[1:]] if len(given) > 1 else [given[0][0] + dot]
    style = rng.random()
    if style < 0.6:
        return " ".join([*initials, family])
    if style < 0.8:
        return f"{family}, {' '.join(initials)}"
    return " ".join([*initials, family.upper()])


def k_dropped_token(entry, kind, rng):
    words = natural_order(entry.name) if kind == "person" else entry.name.replace(",", " ").split()
    content = [i for i, w in enumerate(words) if w.lower().strip(".-") not in PARTICLES and len(w) > 1]
    if len(content) < 3:
        return None
    i = rng.choice(content)
    return " ".join(words[:i] + words[i + 1 :])


def k_truncated_token(entry, kind, rng):
    words = natural_order(entry.name) if kind == "person" else entry.name.replace(",", " ").split()
    if len(words) < 2:
        return None
    if rng.random() < 0.35 and "-" in entry.name:
        # "MUHAMMAD ABD AL-RAHMAN" as "MUHAMMAD ABD AL": the field ends at a hyphen
        text = " ".join(words)
        return text[: text.rindex("-")].strip() or None
    spots = [i for i, w in enumerate(words) if len(w) >= 6]
    if not spots:
        return None
    i = rng.choice(spots)
    keep = rng.randint(max(3, len(words[i]) // 2), len(words[i]) - 2)
    return " ".join(words[:i] + [words[i][:keep]] + words[i + 1 :])


def k_dropped_vowels(entry, kind, rng):
    return p_dropped_vowels(entry.name, kind, rng, {})


def k_doubled(entry, kind, rng):
    return p_doubled(entry.name, kind, rng, {})


def k_cyrillic(entry, kind, rng):
    split = person_words(entry)
    if split is None or not in_countries(entry, CYRILLIC_COUNTRIES):
        return None
    given, family = split
    if rng.random() < 0.5:
        return to_cyrillic(" ".join([given[0], family]))  # as a Russian speaker writes it: no patronymic
    return to_cyrillic(" ".join([*given, family]))


def k_greek(entry, kind, rng):
    split = person_words(entry)
    if split is None:
        return None
    given, family = split
    return to_greek(" ".join([*given, family]))


def k_arabic(entry, kind, rng):
    split = person_words(entry)
    if split is None or not in_countries(entry, ARABIC_COUNTRIES):
        return None
    given, family = split
    return to_arabic(" ".join([*given, family]))


def chinese_parts(entry) -> tuple[str, str] | None:
    split = person_words(entry)
    if split is None or not in_countries(entry, CHINESE_COUNTRIES):
        return None
    given, family = split
    given_text = "".join(g.replace("-", "") for g in given)
    if not split_pinyin(family) or len(split_pinyin(family)) != 1 or not split_pinyin(given_text):
        return None
    return family, given_text


def k_chinese_characters(entry, kind, rng):
    parts = chinese_parts(entry)
    return to_hanzi(*parts) if parts else None


def k_pinyin_tones(entry, kind, rng):
    parts = chinese_parts(entry)
    if parts is None:
        return None
    hanzi = to_hanzi(*parts)
    if hanzi is None:
        return None
    numbers = rng.random() < 0.3
    syl = tone_pinyin(hanzi, numbers=numbers)
    family, given = syl[0].capitalize(), "".join(syl[1:]).capitalize()
    return f"{family} {given}" if rng.random() < 0.5 else f"{given} {family}"


POSITIVE_KINDS = {
    "initials": (k_initials, "person"),
    "dropped_token": (k_dropped_token, None),
    "truncated_token": (k_truncated_token, None),
    "dropped_vowels": (k_dropped_vowels, None),
    "doubled_collapsed": (k_doubled, None),
    "cyrillic": (k_cyrillic, "person"),
    "greek": (k_greek, "person"),
    "arabic_script": (k_arabic, "person"),
    "chinese_characters": (k_chinese_characters, "person"),
    "pinyin_tones": (k_pinyin_tones, "person"),
}


# --------------------------------------------------------------------------- ordinary names


def chinese_characters_negative(rng: random.Random) -> str:
    family = rng.choice(PINYIN_FAMILY).lower()
    given = split_pinyin(rng.choice(PINYIN_GIVEN)) or ["wei"]
    if rng.random() < 0.3:
        given = given[:1]
    chars = [HANZI.get(family)] + [HANZI.get(s) for s in given]
    if None in chars:
        return "王伟"
    return "".join(chars)


def chinese_pinyin_negative(rng: random.Random) -> str:
    family, given = rng.choice(PINYIN_FAMILY), rng.choice(PINYIN_GIVEN)
    r = rng.random()
    if r < 0.15:
        return f"{given[0]}. {family}"
    if r < 0.35:
        return f"{family} {given}"
    if r < 0.45:
        return f"{family.upper()}, {given}"
    return f"{given} {family}"


# --------------------------------------------------------------------------- near-miss pairs


def heavy_edit(word: str, rng: random.Random) -> str:
    letters = list(word.lower())
    for _ in range(max(2, len(letters) // 3)):
        i = rng.randrange(1, len(letters))
        op = rng.random()
        if op < 0.6:
            letters[i] = rng.choice("bcdfghklmnprstvz")
        elif op < 0.8 and len(letters) > 3:
            del letters[i]
        else:
            letters.insert(i, rng.choice("aeiou"))
    return "".join(letters).capitalize()


def near_miss(kind_name, entry, kind, rng, pool, by_token) -> str | None:
    words = natural_order(entry.name) if kind == "person" else entry.name.replace(",", " ").split()
    content = [i for i, w in enumerate(words) if w.lower().strip(".,-") not in PARTICLES and len(w) >= 4]
    # On a long name one changed word leaves the same name: near misses are made on names of 2-4 words.
    if not 2 <= len(content) <= 4:
        return None
    if kind_name == "other_listed":
        token = words[rng.choice(content)].lower().strip(".,-")
        others = [e for e in by_token.get((kind, token), []) if e.uid != entry.uid]
        others = [
            e for e in others if simple_key(e.name, kind == "business") != simple_key(entry.name, kind == "business")
        ]
        return rng.choice(others).name if others else None
    donor = rng.choice(pool)
    donor_words = [w for w in donor.name.replace(",", " ").split() if len(w) >= 5 and w.lower() not in PARTICLES]
    if kind_name == "token_swap":
        if len(content) < 2 or not donor_words:
            return None
        i = rng.choice(content)
        return " ".join(words[:i] + [rng.choice(donor_words)] + words[i + 1 :])
    if kind_name == "heavy_edit":
        i = rng.choice([j for j in content if len(words[j]) >= 5] or content)
        return " ".join(words[:i] + [heavy_edit(words[i], rng)] + words[i + 1 :])
    if kind_name == "extra_token":
        if not donor_words:
            return None
        i = rng.randrange(0, len(words) + 1)
        return " ".join(words[:i] + [rng.choice(donor_words)] + words[i:])
    raise ValueError(kind_name)


NEAR_MISS_KINDS = ("other_listed", "token_swap", "heavy_edit", "extra_token")


# --------------------------------------------------------------------------- main


def word_keys(bundled: ofac.ListSet) -> dict[str, set[tuple[str, ...]]]:
    """Every listed name (aliases too) as its words, by kind: an ordinary name found here is counted apart."""
    kinds = {"individual": "person", "entity": "business"}
    return {
        kind: {
            simple_key(n, kind == "business")
            for e in bundled.entries.values()
            if kinds.get(e.sdn_type) == kind
            for n in [e.name, *(a.name for a in e.aliases), *(a.name for a in e.weak_aliases)]
        }
        for kind in ("person", "business")
    }


def main(which: str) -> None:
    seed = {"holdout": HOLDOUT_SEED, "tuning": TUNING_SEED}[which]
    out = HERE / f"kinds_{which}.jsonl"
    rng = random.Random(seed)
    data = ROOT / "sanctions" / "data"
    listed = ofac.load_folder(data / "sdn_2024-06")
    bundled = ofac.load_folders(data / "sdn_2024-06", data / "alias_supplement_2026", data / "cons_2025-12")
    listed_keys = word_keys(bundled)
    people = sorted((e for e in listed.entries.values() if e.sdn_type == "individual"), key=lambda e: e.uid)
    companies = sorted((e for e in listed.entries.values() if e.sdn_type == "entity"), key=lambda e: e.uid)
    by_token: dict[tuple[str, str], list[ofac.Entry]] = {}
    for kind, group in (("person", people), ("business", companies)):
        for e in group:
            for w in set(e.name.replace(",", " ").lower().split()):
                by_token.setdefault((kind, w.strip(".,-")), []).append(e)
    records: list[dict] = []

    def positive(kind_name: str, query: str, entry: ofac.Entry, kind: str, pair: bool) -> dict:
        extra = {"pair": True, "same": True} if pair else {}
        dob, country = entry_dob(entry), entry_country(entry)
        return record(query, kind, expected_uid=entry.uid, perturbation=kind_name, listed_name=entry.name, dob=dob,
                      country=country, **extra)  # fmt: skip

    for kind_name, (make, only) in POSITIVE_KINDS.items():
        for pair in (False, True):
            made, attempts, used = 0, 0, set()
            wanted = PAIRS_PER_KIND if pair else PER_KIND
            while made < wanted and attempts < wanted * 60:
                attempts += 1
                person = only == "person" or rng.random() < 0.6
                entry = rng.choice(people if person else companies)
                if entry.uid in used:
                    continue
                kind = "person" if person else "business"
                query = make(entry, kind, rng)
                if not query or query == entry.name:
                    continue
                used.add(entry.uid)
                made += 1
                records.append(positive(kind_name, query, entry, kind, pair))

    for kind_name in NEAR_MISS_KINDS:
        made, attempts = 0, 0
        while made < PAIRS_PER_KIND and attempts < PAIRS_PER_KIND * 60:
            attempts += 1
            person = rng.random() < 0.6
            pool = people if person else companies
            entry = rng.choice(pool)
            kind = "person" if person else "business"
            query = near_miss(kind_name, entry, kind, rng, pool, by_token)
            if not query or simple_key(query, not person) == simple_key(entry.name, not person):
                continue
            made += 1
            records.append(
                {
                    "query": query,
                    "kind": kind,
                    "expected_uid": None,
                    "perturbation": kind_name,
                    "origin": None,
                    "listed_name": entry.name,
                    "pair": True,
                    "same": False,
                }
            )

    origins = {p.stem: read_sections(p) for p in sorted((HERE / "names").glob("*.txt"))}
    makers = {origin: (lambda o=origin, w=words: person_negative(o, w, rng)) for origin, words in origins.items()}
    makers["chinese_characters"] = lambda: chinese_characters_negative(rng)
    makers["chinese_pinyin"] = lambda: chinese_pinyin_negative(rng)
    counts = {origin: 600 for origin in makers}
    counts.update({"chinese_characters": 1000, "chinese_pinyin": 1000})
    countries = {**ORIGIN_COUNTRY, "chinese_characters": ["CN", "TW", "HK"], "chinese_pinyin": ["CN", "TW", "HK"]}
    for origin, make in makers.items():
        for _ in range(counts[origin]):
            query = make()
            dob = random_dob(rng)
            country = "US" if rng.random() < 0.75 else rng.choice(countries[origin])
            listed_word_for_word = simple_key(query, False) in listed_keys["person"] or (
                re.fullmatch(r"[\u4e00-\u9fff]+", query) is not None and _hanzi_is_listed(query, listed_keys)
            )
            records.append(ordinary(query, "person", origin, dob, country, listed_word_for_word))
    surnames = [n for o in origins.values() for n in o["family"]]
    business_words = read_sections(HERE / "business_words.txt")
    for _ in range(1500):
        query = business_negative(business_words, surnames, rng)
        records.append(
            ordinary(query, "business", "business", None, "US", simple_key(query, True) in listed_keys["business"])
        )
    with out.open("w", encoding="utf-8") as fh:
        for i, line in enumerate(records):
            fh.write(json.dumps({"id": i, **line}, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} records to {out}")


def record(query: str, kind: str, **fields) -> dict:
    """One line of the set, in the schema of ``eval_set.jsonl``."""
    base = dict.fromkeys(("expected_uid", "perturbation", "origin", "listed_name", "dob", "country"))
    return {"query": query, "kind": kind, **base, "true_name_match": False, **fields}


def ordinary(query: str, kind: str, origin: str, dob: str | None, country: str, listed: bool) -> dict:
    """An ordinary name; ``listed`` when it is word for word a listed name (counted apart)."""
    return record(query, kind, origin=origin, dob=dob, country=country, true_name_match=listed)


_READINGS = {v: k for k, v in HANZI.items()}


def _hanzi_is_listed(query: str, listed_keys: dict[str, set[tuple[str, ...]]]) -> bool:
    """李伟 is word for word a listed person when 'LI, Wei' (or 'Wei LI') is listed."""
    readings = [_READINGS.get(ch) for ch in query]
    if None in readings:
        return False
    family, given = readings[0], "".join(readings[1:])
    return tuple(sorted([family.upper(), given.upper()])) in listed_keys["person"]


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "holdout")

"""Generate the frozen screening evaluation set ``bench/data/eval_set.jsonl`` (run once).

Positives are listed names from the bundled 2024-06 SDN list, each changed in one way a
real query may differ from the list (case, accents, spacing, order, a dropped middle name,
a typo, look-alike letters...), with the uid they must find.  Negatives are ordinary US
person names of several origins and ordinary business names, built from the word lists in
this folder; a negative that is, word for word, a listed name is marked
``true_name_match`` so that it is counted apart.  Every record has a date of birth and a
country for the "with secondary factors" figures.

The generator is seeded and was run once; the matcher was tuned afterwards, and this file
must not be changed to suit it.

Usage: ``python bench/data/build_eval_set.py [OUT_JSONL]``
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sanctions import ofac  # noqa: E402
from sanctions.matching.countries import country_code  # noqa: E402

HERE = Path(__file__).resolve().parent
SEED = 20240627
PER_KIND = 320
ORIGIN_COUNTRY = {
    "anglo": ["US"],
    "hispanic": ["MX", "US", "SV", "GT", "CO"],
    "chinese_american": ["CN", "TW", "HK"],
    "korean_american": ["KR"],
    "vietnamese_american": ["VN"],
    "indian_american": ["IN"],
    "arabic_american": ["LB", "EG", "JO", "SY", "IQ", "YE", "PS"],
    "russian_american": ["RU", "UA", "BY"],
}
PERSON_ONLY = {"order_swap", "comma_form", "middle_dropped", "middle_added", "middle_initial"}
HONORIFICS = ["Mr", "Mr.", "Mrs.", "Dr", "Dr.", "Sheikh", "Hajji", "Ms.", "Prof.", "Haji"]
LEGAL_FORMS = [
    "LLC",
    "Ltd.",
    "Co., Ltd.",
    "S.A.",
    "GmbH",
    "Inc.",
    "Limited",
    "Corp.",
    "JSC",
    "OOO",
    "PJSC",
    "L.L.C.",
    "S.A. de C.V.",
    "Company",
    "PLC",
    "Pte. Ltd.",
    "Sdn. Bhd.",
]
ACCENTS = {
    "a": "áàâäãå",
    "e": "éèêë",
    "i": "íìîï",
    "o": "óòôöõø",
    "u": "úùûü",
    "n": "ñ",
    "c": "ç",
    "s": "š",
    "z": "ž",
    "y": "ýÿ",
    "g": "ğ",
}
HOMOGLYPHS = {
    "a": "а",
    "e": "е",
    "o": "оο",
    "p": "р",
    "c": "с",
    "x": "х",
    "y": "у",
    "i": "і",
    "A": "АΑ",
    "B": "ВΒ",
    "E": "ЕΕ",
    "H": "НΗ",
    "K": "КΚ",
    "M": "МΜ",
    "O": "ОΟ",
    "P": "РΡ",
    "C": "С",
    "T": "ТΤ",
    "X": "ХΧ",
    "I": "ІΙ",
    "N": "Ν",
    "Z": "Ζ",
    "Y": "Υ",
}
INVISIBLES = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u00ad",
    "\ufeff",
    "\u2060",
    "\u200e",
    "\u200f",
    "\ufe0f",
    "\u202a",
]
OCR = {
    "O": "0",
    "o": "0",
    "l": "1",
    "I": "1",
    "i": "1",
    "m": "rn",
    "M": "RN",
    "S": "5",
    "s": "5",
    "B": "8",
    "w": "vv",
    "W": "VV",
    "E": "3",
    "G": "6",
}
KEYBOARD = {
    "q": "wa",
    "w": "qes",
    "e": "wrd",
    "r": "etf",
    "t": "ryg",
    "y": "tuh",
    "u": "yij",
    "i": "uok",
    "o": "ipl",
    "p": "ol",
    "a": "qsz",
    "s": "awdz",
    "d": "sefx",
    "f": "drgc",
    "g": "fthv",
    "h": "gyjb",
    "j": "hukn",
    "k": "jilm",
    "l": "kop",
    "z": "asx",
    "x": "zsdc",
    "c": "xdfv",
    "v": "cfgb",
    "b": "vghn",
    "n": "bhjm",
    "m": "njk",
}
VOWELS = set("aeiouAEIOU")


# --------------------------------------------------------------------------- word lists


def read_sections(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1)
            sections[current] = []
            continue
        assert current is not None, path
        if current == "form":
            sections[current].extend(p.strip() for p in line.split("|") if p.strip())
        else:
            sections[current].extend(w.replace("_", " ") for w in line.split())
    return sections


def romanisation_groups() -> list[list[str]]:
    groups = []
    for line in (HERE / "romanisation_pairs.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            groups.append(line.split())
    return groups


# --------------------------------------------------------------------------- helpers


def simple_key(name: str, business: bool) -> tuple[str, ...]:
    """Word-for-word identity used to mark true name matches (independent of the matcher)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).upper()
    text = re.sub(r"(?<=\b[A-Z])\.(?=[A-Z]\b)", "", text)
    words = [w for w in re.split(r"[^A-Z0-9]+", text.replace("'", "")) if w]
    if business:
        forms = {
            "LLC",
            "INC",
            "CO",
            "LTD",
            "CORP",
            "CORPORATION",
            "COMPANY",
            "LIMITED",
            "LLP",
            "PLLC",
            "PC",
            "SA",
            "FZE",
            "FZCO",
            "GMBH",
            "PLC",
        }
        words = [w for w in words if w not in forms] or words
    return tuple(sorted(words))


def natural_order(name: str) -> list[str]:
    """'FAMILY, Given Names' -> ['Given', 'Names', 'FAMILY']."""
    if name.count(",") == 1:
        family, given = name.split(",")
        return given.split() + family.split()
    return name.split()


def word_positions(words: list[str], min_len: int) -> list[int]:
    return [i for i, w in enumerate(words) if len(re.sub(r"[^A-Za-z]", "", w)) >= min_len]


def edit_word(words: list[str], rng: random.Random, min_len: int, change) -> list[str] | None:
    positions = word_positions(words, min_len)
    if not positions:
        return None
    i = rng.choice(positions)
    new = change(words[i])
    if new is None or new == words[i]:
        return None
    return words[:i] + [new] + words[i + 1 :]


def letter_indexes(word: str) -> list[int]:
    return [i for i, ch in enumerate(word) if ch.isalpha()]


# --------------------------------------------------------------------------- perturbations


def p_case(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    style = rng.choice(["lower", "title", "random", "upper_given"])
    if style == "lower":
        return name.lower()
    if style == "title":
        return name.title()
    if style == "random":
        return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in name)
    return " ".join(natural_order(name)).upper()


def p_diacritics(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    chars = list(name)
    spots = [i for i, ch in enumerate(chars) if ch.lower() in ACCENTS]
    if not spots:
        return None
    for i in rng.sample(spots, min(len(spots), rng.randint(1, 3))):
        accented = rng.choice(ACCENTS[chars[i].lower()])
        chars[i] = accented.upper() if chars[i].isupper() else accented
    return "".join(chars)


def p_punctuation(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    words = name.replace(",", " ,").split()
    choice = rng.choice(["join", "hyphen", "strip", "split", "dots"])
    if choice == "join":
        idx = [i for i in range(len(words) - 1) if words[i] != "," and words[i + 1] != ","]
        if not idx:
            return None
        i = rng.choice(idx)
        words = words[:i] + [words[i] + words[i + 1]] + words[i + 2 :]
    elif choice == "hyphen":
        idx = [i for i in range(len(words) - 1) if words[i] != "," and words[i + 1] != ","]
        if not idx:
            return None
        i = rng.choice(idx)
        words = words[:i] + [words[i] + "-" + words[i + 1]] + words[i + 2 :]
    elif choice == "strip":
        out = re.sub(r"[-.,'()&/]", " ", name)
        return re.sub(r"\s+", " ", out).strip() if out != name else None
    elif choice == "split":
        idx = word_positions(words, 6)
        if not idx:
            return None
        i = rng.choice(idx)
        cut = rng.randint(3, len(words[i]) - 3)
        words = words[:i] + [words[i][:cut], words[i][cut:]] + words[i + 1 :]
    else:
        return "  ".join(w + "." if len(w) <= 3 and w.isalpha() else w for w in words).replace(" ,", ",")
    return " ".join(words).replace(" ,", ",")


def p_order_swap(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    words = natural_order(name)
    if len(words) < 2:
        return None
    for _ in range(5):
        shuffled = words[:]
        rng.shuffle(shuffled)
        if shuffled != words:
            return " ".join(shuffled)
    return None


def p_comma_form(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    words = natural_order(name)
    if len(words) < 2:
        return None
    if "," in name:
        return " ".join(words)  # listed as FAMILY, Given: query as Given Family
    return f"{words[-1]}, {' '.join(words[:-1])}"


def p_middle_dropped(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    words = natural_order(name)
    if len(words) < 3:
        return None
    i = rng.randrange(1, len(words) - 1)
    return " ".join(words[:i] + words[i + 1 :])


def p_middle_added(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    words = natural_order(name)
    if len(words) < 2:
        return None
    i = rng.randrange(1, len(words))
    return " ".join(words[:i] + [rng.choice(ctx["middle_names"])] + words[i:])


def p_middle_initial(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    words = natural_order(name)
    if len(words) < 3:
        return None
    i = rng.randrange(1, len(words) - 1)
    initial = words[i][0] + rng.choice([".", ""])
    return " ".join(words[:i] + [initial] + words[i + 1 :])


def p_romanisation(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    words = name.replace(",", " , ").split()
    options = []
    for i, w in enumerate(words):
        for group in ctx["groups"]:
            lowered = [g.lower() for g in group]
            if w.lower() in lowered:
                others = [g for g in group if g.lower() != w.lower()]
                options.append((i, rng.choice(others)))
    if not options:
        rules = [
            (r"OV$", "OFF"),
            (r"EV$", "YEV"),
            (r"IY$", "Y"),
            (r"SKIY$", "SKY"),
            (r"(?<=[^AEIOU])Y$", "IY"),
            (r"EI$", "EY"),
            (r"EY$", "EI"),
            (r"OU", "U"),
            (r"KH", "H"),
            (r"IE", "YE"),
        ]
        for i, w in enumerate(words):
            for pattern, repl in rules:
                if re.search(pattern, w, re.I):
                    options.append((i, re.sub(pattern, repl, w, flags=re.I)))
        if not options:
            return None
    i, new = rng.choice(options)
    new = new.upper() if words[i].isupper() else new
    words[i] = new
    return " ".join(words).replace(" ,", ",")


def p_honorific_suffix(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    if kind == "person":
        return f"{rng.choice(HONORIFICS)} {' '.join(natural_order(name))}"
    stripped = name
    for form in sorted(LEGAL_FORMS, key=len, reverse=True):
        if name.upper().endswith(" " + form.upper()) or name.upper().endswith(", " + form.upper()):
            stripped = name[: -len(form)].rstrip(" ,")
            break
    if stripped != name and rng.random() < 0.5:
        return stripped
    return f"{stripped} {rng.choice(LEGAL_FORMS)}"


def p_typo(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    def change(word: str) -> str | None:
        idx = [i for i in letter_indexes(word) if word[i].lower() in KEYBOARD]
        if not idx:
            return None
        i = rng.choice(idx)
        op = rng.choice(["sub", "sub", "del", "ins"])
        if op == "sub":
            ch = rng.choice(KEYBOARD[word[i].lower()])
            ch = ch.upper() if word[i].isupper() else ch
            return word[:i] + ch + word[i + 1 :]
        if op == "del":
            return word[:i] + word[i + 1 :]
        ch = rng.choice(KEYBOARD[word[i].lower()])
        return word[:i] + (ch.upper() if word[i].isupper() else ch) + word[i:]

    words = edit_word(name.split(), rng, 4, change)
    return " ".join(words) if words else None


def p_transposition(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    def change(word: str) -> str | None:
        idx = [
            i for i in range(len(word) - 1) if word[i].isalpha() and word[i + 1].isalpha() and word[i] != word[i + 1]
        ]
        if not idx:
            return None
        i = rng.choice(idx)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]

    words = edit_word(name.split(), rng, 4, change)
    return " ".join(words) if words else None


def p_dropped_vowels(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    def change(word: str) -> str | None:
        inner = [i for i in range(1, len(word)) if word[i] in VOWELS]
        if not inner:
            return None
        drop = set(inner) if rng.random() < 0.5 else set(rng.sample(inner, max(1, len(inner) // 2)))
        return "".join(ch for i, ch in enumerate(word) if i not in drop)

    words = edit_word(name.split(), rng, 5, change)
    return " ".join(words) if words else None


def p_doubled(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    def change(word: str) -> str | None:
        doubles = [i for i in range(len(word) - 1) if word[i] == word[i + 1] and word[i].isalpha()]
        if doubles and rng.random() < 0.6:
            i = rng.choice(doubles)
            return word[:i] + word[i + 1 :]
        idx = [i for i in letter_indexes(word) if word[i] not in VOWELS]
        if not idx:
            return None
        i = rng.choice(idx)
        return word[:i] + word[i] + word[i:]

    words = edit_word(name.split(), rng, 4, change)
    return " ".join(words) if words else None


def p_ocr(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    spots = [i for i, ch in enumerate(name) if ch in OCR]
    if not spots:
        return None
    chars = list(name)
    for i in rng.sample(spots, min(len(spots), rng.randint(1, 2))):
        chars[i] = OCR[chars[i]]
    return "".join(chars)


def p_truncation(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    """Cut as a fixed-width field would: long names at 35 characters, others inside the last word."""
    text = " ".join(natural_order(name)) if kind == "person" else name
    words = text.split()
    if len(words) < 2:
        return None
    if len(text) > 40 and rng.random() < 0.5:
        out = text[:35].rstrip(" ,-")
    else:
        last = words[-1]
        if len(last) < 5:
            return None
        keep = rng.randint(3, len(last) - 1)
        out = " ".join(words[:-1] + [last[:keep]])
    if out == text or len(out.split()[-1]) < 2:
        return None
    return out


def p_homoglyphs(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    spots = [i for i, ch in enumerate(name) if ch in HOMOGLYPHS]
    if not spots:
        return None
    chars = list(name)
    for i in rng.sample(spots, min(len(spots), rng.randint(1, 3))):
        chars[i] = rng.choice(HOMOGLYPHS[chars[i]])
    return "".join(chars)


def p_invisible(name: str, kind: str, rng: random.Random, ctx: dict) -> str | None:
    chars = list(name)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(1, len(chars))
        chars.insert(i, rng.choice(INVISIBLES))
    return "".join(chars)


PERTURBATIONS = {
    "case": p_case,
    "diacritics": p_diacritics,
    "punctuation_spacing": p_punctuation,
    "order_swap": p_order_swap,
    "comma_form": p_comma_form,
    "middle_dropped": p_middle_dropped,
    "middle_added": p_middle_added,
    "middle_initial": p_middle_initial,
    "romanisation": p_romanisation,
    "honorific_suffix": p_honorific_suffix,
    "typo": p_typo,
    "transposition": p_transposition,
    "dropped_vowels": p_dropped_vowels,
    "doubled_collapsed": p_doubled,
    "ocr_confusion": p_ocr,
    "truncation": p_truncation,
    "homoglyphs": p_homoglyphs,
    "invisible_chars": p_invisible,
}


# --------------------------------------------------------------------------- secondary factors


def entry_dob(entry: ofac.Entry) -> str | None:
    for d in entry.dobs:
        if d.year_to is None and d.month and d.day:
            return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    for d in entry.dobs:
        return f"{d.year:04d}"
    return None


def entry_country(entry: ofac.Entry) -> str | None:
    for value in entry.countries:
        code = country_code(value)
        if code:
            return code
    return None


def random_dob(rng: random.Random) -> str:
    return f"{rng.randint(1945, 2004):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


# --------------------------------------------------------------------------- negatives


def person_negative(origin: str, words: dict[str, list[str]], rng: random.Random) -> str:
    given, family = words["given"], words["family"]
    first = rng.choice(given)
    last = rng.choice(family)
    r = rng.random()
    if origin == "hispanic" and r < 0.4:
        parts = [first, last, rng.choice(family)]
    elif origin == "vietnamese_american" and r < 0.4:
        parts = [last, rng.choice(["Van", "Thi", "Minh", "Ngoc", "Văn", "Thị"]), first]
    elif r < 0.25:
        parts = [first, rng.choice(given), last]
    elif r < 0.35:
        parts = [first, rng.choice(given)[0] + ".", last]
    else:
        parts = [first, last]
    style = rng.random()
    if style < 0.1:
        return f"{parts[-1]}, {' '.join(parts[:-1])}"
    if style < 0.25:
        return " ".join(parts).upper()
    return " ".join(parts)


def business_negative(words: dict[str, list[str]], surnames: list[str], rng: random.Random) -> str:
    lead, noun, kind, form = words["lead"], words["noun"], words["type"], words["form"]
    r = rng.random()
    if r < 0.3:
        base = f"{rng.choice(lead)} {rng.choice(noun)}"
    elif r < 0.55:
        base = f"{rng.choice(lead)} {rng.choice(noun)} {rng.choice(kind)}"
    elif r < 0.7:
        base = f"{rng.choice(surnames)} {rng.choice(noun)}"
    elif r < 0.8:
        base = f"{rng.choice(surnames)} & {rng.choice(surnames)} {rng.choice(kind)}"
    elif r < 0.9:
        base = f"{rng.choice(lead)} {rng.choice(kind)}"
    else:
        base = f"{rng.choice(surnames)} {rng.choice(kind)}"
    if rng.random() < 0.6:
        base = f"{base} {rng.choice(form)}"
    return base.upper() if rng.random() < 0.2 else base


# --------------------------------------------------------------------------- main


def main(out: Path, seed: int = SEED) -> None:
    rng = random.Random(seed)
    data = ROOT / "sanctions" / "data"
    listed = ofac.load_folder(data / "sdn_2024-06")
    bundled = ofac.load_folders(data / "sdn_2024-06", data / "alias_supplement_2026", data / "cons_2025-12")
    listed_keys: dict[str, set[tuple[str, ...]]] = {"person": set(), "business": set()}
    for e in bundled.entries.values():
        kind = {"individual": "person", "entity": "business"}.get(e.sdn_type)
        if kind:
            for n in [e.name, *(a.name for a in e.aliases), *(a.name for a in e.weak_aliases)]:
                listed_keys[kind].add(simple_key(n, kind == "business"))

    origins = {p.stem: read_sections(p) for p in sorted((HERE / "names").glob("*.txt"))}
    ctx = {
        "groups": romanisation_groups(),
        "middle_names": origins["anglo"]["given"] + origins["arabic_american"]["given"] + origins["hispanic"]["given"],
    }
    people = sorted((e for e in listed.entries.values() if e.sdn_type == "individual"), key=lambda e: e.uid)
    companies = sorted((e for e in listed.entries.values() if e.sdn_type == "entity"), key=lambda e: e.uid)
    records: list[dict] = []

    for kind_name, perturb in PERTURBATIONS.items():
        made = 0
        attempts = 0
        used: set[int] = set()
        while made < PER_KIND and attempts < PER_KIND * 40:
            attempts += 1
            person = kind_name in PERSON_ONLY or rng.random() < 0.6
            entry = rng.choice(people if person else companies)
            if entry.uid in used:
                continue
            kind = "person" if person else "business"
            query = perturb(entry.name, kind, rng, ctx)
            if not query or query == entry.name:
                continue
            used.add(entry.uid)
            made += 1
            records.append(
                {
                    "query": query,
                    "kind": kind,
                    "expected_uid": entry.uid,
                    "perturbation": kind_name,
                    "origin": None,
                    "listed_name": entry.name,
                    "dob": entry_dob(entry),
                    "country": entry_country(entry),
                    "true_name_match": False,
                }
            )

    for origin, words in origins.items():
        for _ in range(650):
            query = person_negative(origin, words, rng)
            records.append(
                {
                    "query": query,
                    "kind": "person",
                    "expected_uid": None,
                    "perturbation": None,
                    "origin": origin,
                    "listed_name": None,
                    "dob": random_dob(rng),
                    "country": "US" if rng.random() < 0.75 else rng.choice(ORIGIN_COUNTRY[origin]),
                    "true_name_match": simple_key(query, False) in listed_keys["person"],
                }
            )
    surnames = [n for o in origins.values() for n in o["family"]]
    business_words = read_sections(HERE / "business_words.txt")
    for _ in range(2000):
        query = business_negative(business_words, surnames, rng)
        records.append(
            {
                "query": query,
                "kind": "business",
                "expected_uid": None,
                "perturbation": None,
                "origin": "business",
                "listed_name": None,
                "dob": None,
                "country": "US",
                "true_name_match": simple_key(query, True) in listed_keys["business"],
            }
        )

    with out.open("w", encoding="utf-8") as fh:
        for i, record in enumerate(records):
            fh.write(json.dumps({"id": i, **record}, ensure_ascii=False) + "\n")
    positives = sum(1 for r in records if r["expected_uid"] is not None)
    print(f"wrote {len(records)} records ({positives} positives, {len(records) - positives} negatives) to {out}")


if __name__ == "__main__":
    # The tuning set: `build_eval_set.py`; the held-out set: `build_eval_set.py bench/data/holdout_set.jsonl 20261125`.
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "eval_set.jsonl",
        int(sys.argv[2]) if len(sys.argv) > 2 else SEED,
    )

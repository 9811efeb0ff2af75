"""Name normalisation: turn any written form of a name into comparable ASCII tokens.

Screening must see through the ways a name can be written differently without being a
different name: case, accents, other scripts, look-alike letters from other alphabets,
invisible characters, punctuation, "FAMILY, Given" order, titles, legal forms and
romanisation systems.  Everything here is deterministic and cheap, because it runs on every
query and on every listed name when the index is built.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from anyascii import anyascii

from sanctions.matching.scripts import script_of, strip_tone_digits, transliterate_script
from sanctions.matching.variants import (
    ABD_PREFIXES,
    HONORIFICS,
    LEGAL_FORMS,
    PARTICLES,
    VARIANT_KEYS,
)

Kind = Literal["person", "business"]

# Cyrillic and Greek letters that look like Latin ones, mapped to the Latin letter they imitate.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic lower case
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ү": "y",
    "һ": "h",
    "ӏ": "l",
    "ɡ": "g",
    "ь": "b",
    "п": "n",
    "г": "r",
    "з": "3",
    # Cyrillic upper case
    "А": "A",
    "В": "B",
    "Е": "E",
    "Ё": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "У": "Y",
    "Х": "X",
    "І": "I",
    "Ї": "I",
    "Ј": "J",
    "Ѕ": "S",
    "Ү": "Y",
    "Һ": "H",
    "Ӏ": "I",
    "Ԛ": "Q",
    "Ԝ": "W",
    # Greek lower case
    "α": "a",
    "β": "b",
    "ε": "e",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "γ": "y",
    "η": "n",
    "μ": "u",
    # Greek upper case
    "Α": "A",
    "Β": "B",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "H",
    "Ι": "I",
    "Κ": "K",
    "Μ": "M",
    "Ν": "N",
    "Ο": "O",
    "Ρ": "P",
    "Τ": "T",
    "Υ": "Y",
    "Χ": "X",
}
_HOMOGLYPH_TABLE = str.maketrans(HOMOGLYPHS)

# Characters that render as nothing: removed so that "Mo\u200bhammed" is "Mohammed".
_EXTRA_INVISIBLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, 0x2800}


def _is_invisible(ch: str) -> bool:
    code = ord(ch)
    if unicodedata.category(ch) == "Cf":
        return True
    return (
        code in _EXTRA_INVISIBLE
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF  # variation selectors supplement
        or 0x180B <= code <= 0x180F  # Mongolian free variation selectors and vowel separator
    )


def remove_invisible(text: str) -> str:
    """Drop format characters (category Cf), variation selectors and other blank fillers."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if not _is_invisible(ch))


def _script(ch: str) -> str:
    if "a" <= ch.lower() <= "z":
        return "latin"
    name = unicodedata.name(ch, "")
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    if name.startswith("GREEK"):
        return "greek"
    if name.startswith("LATIN"):
        return "latin"
    return "other"


def fold_homoglyphs(text: str) -> str:
    """Replace Cyrillic/Greek look-alikes with Latin letters where they are mixed into Latin text.

    A word that mixes scripts is folded.  A word written only with look-alike letters is
    folded too when the rest of the name is Latin (``"Ivan Реtrov"``), but a name written
    wholly in Cyrillic or Greek is left for transliteration (``"Иван Петров"``).
    """
    if text.isascii():
        return text
    words = text.split(" ")
    scripts = [{_script(ch) for ch in w if ch.isalpha()} for w in words]
    any_latin = any("latin" in s for s in scripts)
    if not any_latin:
        return text
    out = []
    for word, used in zip(words, scripts, strict=True):
        foreign = used & {"cyrillic", "greek"}
        if foreign and ("latin" in used or all(ch in HOMOGLYPHS or not ch.isalpha() for ch in word)):
            word = word.translate(_HOMOGLYPH_TABLE)
        out.append(word)
    return " ".join(out)


_APOSTROPHES = re.compile(r"['`\u00b4\u2018\u2019\u02bc\u02bb\u02b9\u2032]")
_ACRONYM_DOTS = re.compile(r"\b(?:[a-z]\.){2,}(?:[a-z]\b)?")
_NON_ALNUM = re.compile(r"[^a-z0-9,]+")


def _folded(text: str) -> str:
    text = remove_invisible(text)
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", " ", text)
    return fold_homoglyphs(text)


def written_script(name: str) -> str | None:
    """The script a name is written in when it is not Latin (look-alike letters in Latin text do not count)."""
    return script_of(_folded(name))


def clean_text(text: str) -> str:
    """Invisible characters out, NFKC, homoglyphs folded, transliterated, lower-cased ASCII."""
    text = _folded(text)
    if not text.isascii():
        text = transliterate_script(text, script_of(text), anyascii)
        text = "".join(_transliterate(ch) for ch in text)
    return text.lower()


def _is_syllabic(code: int) -> bool:
    """CJK ideographs, kana and Hangul: one character is one syllable of the name."""
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xAC00 <= code <= 0xD7AF
        or 0x3040 <= code <= 0x30FF
        or 0xF900 <= code <= 0xFAFF
    )


def _transliterate(ch: str) -> str:
    if ch.isascii():
        return ch
    out = anyascii(ch)
    # "王伟" -> "wang wei" rather than "wangwei", so that syllables can be matched as tokens.
    return f" {out} " if _is_syllabic(ord(ch)) else out


def _split_tokens(text: str, initials: bool = False) -> list[str]:
    """Words of a cleaned name; ``initials`` (persons) keeps "V.A." as two initials, else it is one word."""
    text = _APOSTROPHES.sub("", text)
    joiner = " " if initials else ""
    text = _ACRONYM_DOTS.sub(lambda m: m.group(0).replace(".", joiner), text)
    text = text.replace("&", " and ")
    return [t for t in _NON_ALNUM.sub(" ", text).split() if t]


def _legal_form_positions(tokens: list[str]) -> set[int]:
    """Positions of tokens that are part of a company suffix or legal form, wherever it is."""
    marked: set[int] = set()
    i = 0
    while i < len(tokens):
        for form in LEGAL_FORMS:
            n = len(form)
            if tuple(tokens[i : i + n]) == form:
                marked.update(range(i, i + n))
                i += n
                break
        else:
            i += 1
    return marked


_GENERATIONAL = frozenset({"jr", "sr", "snr", "jnr", "ii", "iii", "iv"})


def _honorific_positions(tokens: list[str], given_count: int | None) -> set[int]:
    """Titles in front of the given name, and generational suffixes at the end.

    Only leading titles count, so a family name such as AL-SHAYKH stays a name.  In the
    "FAMILY, Given" form the given names come first after reordering.
    """
    marked: set[int] = set()
    start = 0
    while start < len(tokens) - 1 and tokens[start] in HONORIFICS:
        if given_count is not None and start >= given_count:
            break
        marked.add(start)
        start += 1
    end = len(tokens)
    while end - start > 1 and tokens[end - 1] in _GENERATIONAL:
        end -= 1
        marked.add(end)
    return marked


def _split_abd(token: str) -> list[str]:
    """``abdulrahman`` -> ``abd rahman``: the one-word spelling of Abd al-Rahman."""
    if token in VARIANT_KEYS or len(token) < 8:
        return [token]
    for prefix in ABD_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 4:
            return ["abd", token[len(prefix) :]]
    return [token]


def name_tokens(name: str, kind: Kind) -> list[tuple[str, bool]]:
    """Ordered ASCII tokens of a name, each with a flag saying it is ignorable.

    Ignorable tokens are honorifics (persons), company suffixes and legal forms
    (businesses) and particles (al, bin, de...): they never have to be matched and weigh
    little, but are kept so that "LIMITED LIABILITY COMPANY" written with a typo still
    lines up.  For a person, ``"FAMILY, Given"`` becomes ``given family``; commas in
    business names are only punctuation.
    """
    text = clean_text(name)
    given_count: int | None = None
    person = kind == "person"
    if person and text.count(",") == 1:
        family, given = text.split(",")
        given_count = len(_split_tokens(given, person))
        text = f"{given} {family}"
    tokens = [strip_tone_digits(t) for t in _split_tokens(text.replace(",", " "), person) if t]
    if not tokens:
        return []
    if kind == "person":
        ignorable = _honorific_positions(tokens, given_count)
        out: list[tuple[str, bool]] = []
        for i, t in enumerate(tokens):
            out.extend((part, i in ignorable or part in PARTICLES) for part in _split_abd(t))
    else:
        ignorable = _legal_form_positions(tokens)
        out = [(t, i in ignorable or t in PARTICLES) for i, t in enumerate(tokens)]
    if all(flag for _, flag in out):
        out = [(t, False) for t, _ in out]
    return out


# --------------------------------------------------------------------------- token keys

_VOWELS = frozenset("aeiouy")
_TRUE_VOWELS = frozenset("aeiou")
#: Look-alike sequences and digits read as letters by OCR or typed to evade filters.
_OCR_SEQUENCES = (("rn", "m"), ("vv", "w"), ("|", "l"))
_OCR_DIGITS = str.maketrans(
    {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b", "2": "z", "9": "g"}
)
_SIMPLE_RULES = (
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("dzh", "j"),
    ("kh", "h"),
    ("ou", "u"),
    ("ee", "i"),
    ("oo", "u"),
)
#: Endings written several ways: Ivanoff/Ivanov, Dmitriy/Dmitri, -skiy/-ski, Haniyeh/Haniya.
_ENDINGS = {
    "yevich": "evich",
    "ievich": "evich",
    "yevna": "evna",
    "ievna": "evna",
    "skiy": "ski",
    "skii": "ski",
    "skyi": "ski",
    "sky": "ski",
    "yeva": "eva",
    "ieva": "eva",
    "yev": "ev",
    "iev": "ev",
    "iy": "i",
    "ij": "i",
    "yi": "i",
    "ey": "ei",
    "ej": "ei",
    "of": "ov",
    "ef": "ev",
    "y": "i",
    "eh": "a",
    "ah": "a",
}
_ENDING_RE = re.compile("(" + "|".join(sorted(_ENDINGS, key=len, reverse=True)) + ")$")
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def phonetic_fold(token: str) -> str:
    """Spelling-insensitive form used when no table entry applies (-off/-ov, ph/f, doubles...)."""
    out = token
    for a, b in _SIMPLE_RULES:
        if a in out:
            out = out.replace(a, b)
    out = _DOUBLES.sub(r"\1", out)
    if out.startswith("ye") and len(out) > 3:
        out = out[1:]
    m = _ENDING_RE.search(out)
    if m and len(out) - len(m.group(1)) >= 3:
        out = out[: m.start()] + _ENDINGS[m.group(1)]
    return out


@lru_cache(maxsize=200_000)
def token_keys(token: str) -> tuple[str, ...]:
    """Canonical keys of a token; two tokens with a key in common are romanisation variants."""
    keys = VARIANT_KEYS.get(token)
    if keys is None:
        folded = phonetic_fold(token)
        keys = VARIANT_KEYS.get(folded, (folded,))
    return keys


@lru_cache(maxsize=200_000)
def ocr_repair(token: str) -> str:
    """Undo likely OCR/evasion substitutions: rn->m, vv->w, and digits inside words -> letters."""
    out = token
    for a, b in _OCR_SEQUENCES:
        out = out.replace(a, b)
    if not out.isdigit() and any(ch.isdigit() for ch in out):
        out = out.translate(_OCR_DIGITS)
    return out


@lru_cache(maxsize=200_000)
def ocr_fold(token: str) -> str:
    """A form where 1/l/I, 0/O, rn/m, vv/w, 5/S and 8/B are all one."""
    return ocr_repair(token).replace("i", "l")


@lru_cache(maxsize=200_000)
def consonant_skeleton(token: str) -> str:
    """First letter plus the consonants, doubles collapsed: what survives dropped vowels."""
    if not token:
        return ""
    rest = "".join(ch for ch in token[1:] if ch not in _VOWELS)
    return _DOUBLES.sub(r"\1", token[0] + rest)


def has_no_inner_vowels(token: str) -> bool:
    return len(token) >= 3 and not any(ch in _TRUE_VOWELS for ch in token[1:])


def is_vowel_drop(short: str, long: str) -> bool:
    """True when ``short`` is ``long`` with some vowels (a, e, i, o, u, y) left out."""
    if len(short) >= len(long) or not short or short[0] != long[0]:
        return False
    j = 0
    for ch in long:
        if j < len(short) and ch == short[j]:
            j += 1
        elif ch not in _VOWELS:
            return False
    return j == len(short)


@dataclass(frozen=True, slots=True)
class TokenForm:
    """One token with the comparison forms derived from it."""

    text: str
    keys: tuple[str, ...]
    ocr_keys: tuple[str, ...]
    ocr: str
    skeletons: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.keys[0]


@lru_cache(maxsize=200_000)
def token_form(token: str) -> TokenForm:
    keys = token_keys(token)
    repaired = ocr_repair(token)
    ocr_keys = token_keys(repaired) if repaired != token else keys
    skeletons = tuple(dict.fromkeys((consonant_skeleton(keys[0]), consonant_skeleton(repaired))))
    return TokenForm(
        text=token,
        keys=keys,
        ocr_keys=ocr_keys,
        ocr=ocr_fold(token),
        skeletons=skeletons,
    )


@dataclass(frozen=True, slots=True)
class NameForm:
    """A normalised name: its tokens in order, which of them are ignorable, and the original."""

    original: str
    tokens: tuple[TokenForm, ...]
    optional: tuple[bool, ...]
    #: the script the name was written in when not Latin ("Cyrillic", "Chinese characters"...): it was
    #: screened through its romanisation.
    script: str | None = None

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)

    @property
    def required(self) -> tuple[TokenForm, ...]:
        return tuple(t for t, opt in zip(self.tokens, self.optional, strict=True) if not opt)


def normalize_name(name: str, kind: Kind) -> NameForm:
    """Normalise a name for matching; see the module docstring for what is folded."""
    pairs = name_tokens(name, kind)
    return NameForm(
        original=name,
        tokens=tuple(token_form(t) for t, _ in pairs),
        optional=tuple(flag for _, flag in pairs),
        script=written_script(name),
    )


def normalize_for_display(name: str) -> str:
    """Cleaned, transliterated text of a name (no token removal), for reasons and logs."""
    return " ".join(_split_tokens(clean_text(name).replace(",", " ")))

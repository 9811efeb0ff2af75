"""Romanising names written in other scripts, as the list's romanised names would be written.

A name typed in Chinese characters, Cyrillic, Greek or Arabic is screened through its romanisation, and
the hit's reason says so.  anyascii handles most scripts letter by letter; three need more:

* **Chinese** through pinyin (pypinyin, without tones), family name first as Chinese writes it, the given
  name's syllables joined as passports write them (李方伟 -> ``li fangwei``); a family name's own reading
  where it differs (曾 is Zeng, not Ceng) and two-character family names (欧阳) kept whole.  Korean and
  Japanese syllables are joined the same way.
* **Greek** digraphs as names use them: ΜΠ is B, ΝΤ is D, ΟΥ is U (anyascii reads them letter by letter).
* **Arabic**, where short vowels are not written: the consonants and long vowels come out as they are
  (محمد -> ``mhmd``) and the matcher compares consonant skeletons (see ``abjad_skeleton``).

Pinyin typed with tone marks loses them with the other diacritics; pinyin typed with tone digits
(``Li3 Wei3``) loses the digits here, before look-alike digits are read as letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

#: Readings of characters as family names, where pypinyin's usual reading is another.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "乐": "yue",
    "朴": "piao",
    "盖": "ge",
    "种": "chong",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "祭": "zhai",
    "召": "shao",
    "宓": "fu",
    "秘": "bi",
    "任": "ren",
    "华": "hua",
    "沈": "shen",
    "薄": "bo",
    "纪": "ji",
    "尉": "wei",
    "员": "yun",
    "长": "chang",
}
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "司徒",
        "夏侯",
        "皇甫",
        "慕容",
        "令狐",
        "东方",
        "尉迟",
        "长孙",
        "宇文",
        "公孙",
        "轩辕",
    }
)

_GREEK_DIGRAPHS = (
    ("ΟΥ", "U"),
    ("ΜΠ", "B"),
    # before ΝΤ: "Γαλαουαντζι" is Galawan-ji, not Galawand-zi
    ("ΤΖ", "J"),
    ("ΤΣ", "TS"),
    ("ΝΤ", "ND"),
    ("ΓΚ", "G"),
    ("ΓΓ", "NG"),
    ("ΕΥ", "EV"),
    ("ΑΥ", "AV"),
    ("Χ", "KH"),
    ("Η", "I"),
    ("Υ", "Y"),
    ("Β", "V"),
)

_ARABIC = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ٱ": "a",
    "ى": "a",
    "ة": "a",
    "ء": "",
    "ؤ": "u",
    "ئ": "i",
    "ع": "a",  # ayn: where a romanised name has a vowel ('Ali, Essa, Omar); with it, علي is aly
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "و": "w",
    "ي": "y",
    "پ": "p",
    "چ": "ch",
    "ژ": "zh",
    "گ": "g",
    "ک": "k",
    "ی": "y",
}
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, shadda, sukun, tatweel: not written in names


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


def _is_syllable_script(ch: str) -> bool:
    """Hangul and kana: one character a syllable, as with Chinese."""
    code = ord(ch)
    return 0xAC00 <= code <= 0xD7AF or 0x3040 <= code <= 0x30FF


_SCRIPT_NAMES = {
    "CJK": "Chinese characters",
    "HANGUL": "Hangul",
    "HIRAGANA": "Japanese kana",
    "KATAKANA": "Japanese kana",
    "CYRILLIC": "Cyrillic",
    "GREEK": "Greek",
    "ARABIC": "Arabic script",
    "HEBREW": "Hebrew",
}


def script_of(text: str) -> str | None:
    """The non-Latin script a name is written in (the first one found), or None for Latin text."""
    if text.isascii():
        return None
    for ch in text:
        if ch.isalpha() and not ("a" <= ch.lower() <= "z"):
            name = unicodedata.name(ch, "")
            if name.startswith("LATIN"):
                continue
            for prefix, label in _SCRIPT_NAMES.items():
                if name.startswith(prefix):
                    return label
            return "another script"
    return None


def _chinese_run(run: str) -> str:
    """Han characters of one name: family name, then the given name's syllables joined."""
    family_len = 2 if run[:2] in COMPOUND_SURNAMES else 1
    family, given = run[:family_len], run[family_len:]
    if family_len == 1 and family in SURNAME_READINGS:
        family_text = SURNAME_READINGS[family]
    else:
        family_text = "".join(lazy_pinyin(family, style=Style.NORMAL))
    given_text = "".join(lazy_pinyin(given, style=Style.NORMAL)) if given else ""
    return (f" {family_text} {given_text} " if given_text else f" {family_text} ").replace("v", "u")


def _syllable_run(run: str, romanise) -> str:
    """Hangul or kana syllables of one name: the first is the family name, the rest one given name."""
    if len(run) == 1:
        return f" {romanise(run)} "
    return f" {romanise(run[0])} {''.join(romanise(ch) for ch in run[1:])} "


def romanise_runs(text: str, romanise) -> str:
    """Replace each run of Han characters, Hangul or kana with its romanised words."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if _is_han(ch) or _is_syllable_script(ch):
            han = _is_han(ch)
            j = i
            while j < len(text) and (_is_han(text[j]) if han else _is_syllable_script(text[j])):
                j += 1
            run = text[i:j]
            out.append(_chinese_run(run) if han else _syllable_run(run, romanise))
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def greek_digraphs(text: str) -> str:
    """Greek letters pairs that names write as one sound, in Latin, before letter-by-letter transliteration."""
    upper = "".join(c for c in unicodedata.normalize("NFD", text.upper()) if not unicodedata.combining(c))
    upper = re.sub(r"(?<![^\W\d_])ΝΤ", "D", upper)  # at the start of a word NT is D
    for greek, latin in _GREEK_DIGRAPHS:
        upper = upper.replace(greek, latin)
    return upper


#: What Greek writing does not tell apart, in a romanised word: it has no H (sh is written s, kh and ch are
#: one letter, χ), one letter for c, k and q, ου for u and w, ι for i and y, ΝΤ for d, nd and nt, ΜΠ for b, mb
#: and mp, and doubles that say nothing.  χ and θ stay Greek letters in the key, so that they stay apart
#: from k and t.
_GREEK_FOLD_RULES = (
    ("x", "ks"),
    ("ph", "f"),
    ("th", "θ"),
    ("ch", "χ"),
    ("kh", "χ"),
    ("h", ""),
    ("c", "k"),
    ("q", "k"),
    ("ou", "u"),
    ("w", "u"),
    ("y", "i"),
    ("nd", "d"),
    ("nt", "d"),
    ("mb", "b"),
    ("mp", "b"),
    ("tz", "j"),
)


_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def greek_fold(token: str) -> str:
    """A romanised word as Greek letters would keep it: ``hossein`` and ``ossein``, ``vladimirovich`` and
    ``vlandimirovikh`` (Βλαντιμιροβιχ) fold alike."""
    out = _DOUBLE.sub(r"\1", token)  # first too: "anndr" (Αλεξανντρ) is "andr"
    for a, b in _GREEK_FOLD_RULES:
        if a in out:
            out = out.replace(a, b)
    return _DOUBLE.sub(r"\1", out)


@lru_cache(maxsize=200_000)
def greek_folds(token: str) -> tuple[str, ...]:
    """The folds of a listed word: ch is χ (Timchenko as Τιμχενκο) or, as in English or Spanish, τσ
    (Τιμτσένκο)."""
    folded = greek_fold(token)
    if "ch" not in token:
        return (folded,)
    return tuple(dict.fromkeys((folded, greek_fold(token.replace("ch", "ts")))))


def arabic_to_latin(text: str) -> str:
    """Arabic letters as Latin consonants and long vowels; the article written apart (الحسن -> al hsn)."""
    text = _ARABIC_MARKS.sub("", text)
    words = []
    for word in text.split(" "):
        if any(_is_arabic(ch) for ch in word):
            if word.startswith("ال") and len(word) > 3:
                word = "ال " + word[2:]
            word = "".join(_ARABIC.get(ch, ch) for ch in word)
        words.append(word)
    return " ".join(words)


def transliterate_script(text: str, script: str | None, romanise) -> str:
    """Script-specific steps before the generic letter-by-letter transliteration."""
    if script is None:
        return text
    if script == "Greek":
        return greek_digraphs(text)
    if script == "Arabic script":
        return arabic_to_latin(text)
    return romanise_runs(text, romanise)


# --------------------------------------------------------------------------- pinyin tone digits


@cache
def pinyin_syllables() -> frozenset[str]:
    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
            if plain.isascii() and plain.isalpha():
                found.add(plain)
    return frozenset(found)


_TONED = re.compile(r"(?:[a-z]+[1-5])+[a-z]*")


@lru_cache(maxsize=50_000)
def strip_tone_digits(token: str) -> str:
    """``wei3sheng4`` -> ``weisheng`` when every digit follows a pinyin syllable; other tokens unchanged."""
    if not _TONED.fullmatch(token):
        return token
    parts = re.findall(r"([a-z]+)[1-5]?", token)
    syllables = pinyin_syllables()
    if all(p in syllables or split_syllables(p) for p in parts):
        return "".join(parts)
    return token


@lru_cache(maxsize=50_000)
def split_syllables(word: str) -> tuple[str, ...] | None:
    """``fangwei`` -> ``('fang', 'wei')``; None when the word is not made of pinyin syllables."""
    if not word:
        return ()
    syllables = pinyin_syllables()
    for end in range(min(6, len(word)), 0, -1):
        head = word[:end]
        if head in syllables:
            rest = split_syllables(word[end:])
            if rest is not None:
                return (head, *rest)
    return None


# --------------------------------------------------------------------------- abjad skeletons

#: (gh is ghayn, another letter than the jim that Egyptian names write G: Gamal is Jamal)
_ABJAD_RULES = (
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("dh", "d"),
    ("p", "b"),
    ("v", "f"),
    ("x", "ks"),
    ("gh", "ɣ"),
    ("g", "j"),
)


@lru_cache(maxsize=200_000)
def abjad_skeleton(token: str) -> str:
    """What Arabic writing keeps of a romanised name: consonants only, no leading vowel or inner w/y.

    ``muhammad``, ``mohamed`` and ``mhmd`` are all ``mhmd``; ``usama`` and ``asm`` are ``sm``.
    """
    return _skeleton(_abjad_letters(token))


@lru_cache(maxsize=200_000)
def abjad_skeletons(token: str) -> tuple[str, ...]:
    """The skeletons of a listed word: a G is jim (Gamal) or, in Gulf and Libyan names, qaf (Grein, قرين)."""
    jim = abjad_skeleton(token)
    if "g" not in token.replace("gh", ""):
        return (jim,)
    qaf = _skeleton(_abjad_letters(token.replace("gh", "ɣ").replace("g", "q")))
    return tuple(dict.fromkeys((jim, qaf)))


def _skeleton(letters: str) -> str:
    out = re.sub(r"(?<=[aeiou])h$", "", letters)  # Hamzah / Hamza (a final ta marbuta)
    head = out[:1] if out[:1] in "wy" else ""
    body = re.sub(r"[aeiouwy]", "", out[len(head) :])
    return _DOUBLE.sub(r"\1", head + body)


def _abjad_letters(token: str) -> str:
    out = token
    for a, b in _ABJAD_RULES:
        if a in out:
            out = out.replace(a, b)
    return out


#: what a long vowel written in Arabic letters stands for in a romanised name
_LONG_VOWELS = {"a": "[aeiou]+", "w": "(?:w|[ou]+)", "y": "(?:y|[iey]+)"}


@lru_cache(maxsize=200_000)
def abjad_spelled(query: str, listed: str) -> bool:
    """The romanised Arabic-script ``query`` (consonants and long vowels, ``abw``) spells the romanised
    ``listed`` word letter for letter, short vowels left out (``abu``; ``ata`` for ``attia``).

    The skeleton of a short word is one consonant, too little to compare by itself; where each long vowel
    written stands where the listed word has a vowel, the word is the same.
    """
    parts = []
    for run in re.findall(r"[awy]{2,}|.", _DOUBLE.sub(r"\1", query)):
        if len(run) == 1:
            parts.append(_LONG_VOWELS.get(run, re.escape(run)))
        else:  # ayn and a long vowel (عيسى, aysa) are one vowel of Essa, or each its own (Awad)
            parts.append("(?:" + "[aeiou]*?".join(_LONG_VOWELS[ch] for ch in run) + "|[aeiouwy]+)")
    pattern = "[aeiou]*?".join(parts)
    listed = _DOUBLE.sub(r"\1", _abjad_letters(listed))
    return re.fullmatch(f"(?:{pattern})[h]?", listed) is not None

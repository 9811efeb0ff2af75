"""Writing a romanised listed name in another script, as a person typing it there would (for the bench sets).

Independent of the matcher on purpose: Cyrillic and Greek follow the usual letter-by-letter correspondences
in the Latin-to-script direction, Arabic drops the short vowels as Arabic writing does, and Chinese picks,
for each pinyin syllable, a character commonly used in names (the tables below), else the first character
whose usual reading is that syllable.
"""

from __future__ import annotations

import re
from functools import cache

from pypinyin import Style, pinyin
from pypinyin.pinyin_dict import pinyin_dict

CYRILLIC = [
    ("shch", "щ"),
    ("kh", "х"),
    ("zh", "ж"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ye", "е"),
    ("yo", "ё"),
    ("iy", "ий"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("w", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("j", "й"),
    ("y", "ы"),
    ("k", "к"),
    ("c", "к"),
    ("q", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("x", "кс"),
]
GREEK = [
    ("th", "θ"),
    ("ch", "χ"),
    ("kh", "χ"),
    ("ps", "ψ"),
    ("ks", "ξ"),
    ("x", "ξ"),
    ("ph", "φ"),
    ("a", "α"),
    ("b", "μπ"),
    ("v", "β"),
    ("g", "γ"),
    ("d", "ντ"),
    ("e", "ε"),
    ("z", "ζ"),
    ("i", "ι"),
    ("k", "κ"),
    ("c", "κ"),
    ("q", "κ"),
    ("l", "λ"),
    ("m", "μ"),
    ("n", "ν"),
    ("o", "ο"),
    ("p", "π"),
    ("r", "ρ"),
    ("s", "σ"),
    ("t", "τ"),
    ("u", "ου"),
    ("f", "φ"),
    ("y", "ι"),
    ("j", "τζ"),
    ("w", "ου"),
    ("h", ""),
]
ARABIC_CONSONANTS = [
    ("th", "ث"),
    ("kh", "خ"),
    ("dh", "ذ"),
    ("sh", "ش"),
    ("gh", "غ"),
    ("b", "ب"),
    ("p", "ب"),
    ("t", "ت"),
    ("j", "ج"),
    ("g", "ج"),
    ("h", "ح"),
    ("d", "د"),
    ("r", "ر"),
    ("z", "ز"),
    ("s", "س"),
    ("f", "ف"),
    ("v", "ف"),
    ("q", "ق"),
    ("k", "ك"),
    ("c", "ك"),
    ("x", "كس"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("w", "و"),
    ("y", "ي"),
]

#: Characters usual in Chinese names, by pinyin syllable.
HANZI = {
    "wang": "王",
    "li": "李",
    "zhang": "张",
    "liu": "刘",
    "chen": "陈",
    "yang": "杨",
    "huang": "黄",
    "zhao": "赵",
    "wu": "吴",
    "zhou": "周",
    "xu": "徐",
    "sun": "孙",
    "ma": "马",
    "zhu": "朱",
    "hu": "胡",
    "guo": "郭",
    "he": "何",
    "lin": "林",
    "gao": "高",
    "luo": "罗",
    "zheng": "郑",
    "liang": "梁",
    "xie": "谢",
    "song": "宋",
    "tang": "唐",
    "han": "韩",
    "feng": "冯",
    "deng": "邓",
    "cao": "曹",
    "peng": "彭",
    "zeng": "曾",
    "xiao": "小",
    "tian": "田",
    "dong": "东",
    "pan": "潘",
    "yuan": "元",
    "cai": "蔡",
    "jiang": "江",
    "yu": "玉",
    "du": "杜",
    "ye": "叶",
    "wei": "伟",
    "su": "苏",
    "lu": "路",
    "ding": "丁",
    "ren": "任",
    "yao": "姚",
    "shen": "沈",
    "zhong": "中",
    "cui": "崔",
    "tan": "谭",
    "fan": "范",
    "liao": "廖",
    "shi": "石",
    "jin": "金",
    "jia": "佳",
    "xia": "夏",
    "fu": "福",
    "fang": "芳",
    "zou": "邹",
    "xiong": "雄",
    "bai": "白",
    "meng": "孟",
    "qin": "秦",
    "qiu": "秋",
    "hou": "侯",
    "yin": "银",
    "xue": "雪",
    "yan": "燕",
    "duan": "段",
    "lei": "磊",
    "long": "龙",
    "tao": "涛",
    "gu": "顾",
    "mao": "毛",
    "hao": "浩",
    "gong": "龚",
    "shao": "邵",
    "qian": "钱",
    "dai": "戴",
    "mo": "莫",
    "kong": "孔",
    "jing": "静",
    "ming": "明",
    "hui": "辉",
    "xin": "欣",
    "jun": "军",
    "hong": "红",
    "ying": "英",
    "jie": "杰",
    "qiang": "强",
    "bo": "波",
    "zhi": "志",
    "guang": "光",
    "hua": "华",
    "ping": "平",
    "yong": "勇",
    "an": "安",
    "jian": "建",
    "min": "敏",
    "na": "娜",
    "mei": "梅",
    "xiu": "秀",
    "lan": "兰",
    "qing": "青",
    "chun": "春",
    "wen": "文",
    "hai": "海",
    "xiang": "祥",
    "sheng": "胜",
    "kai": "凯",
    "rui": "瑞",
    "chao": "超",
    "yi": "一",
    "fei": "飞",
    "bin": "斌",
    "gang": "刚",
    "de": "德",
    "cheng": "成",
    "xing": "兴",
    "quan": "全",
    "kang": "康",
    "le": "乐",
    "ning": "宁",
    "zi": "子",
    "xuan": "轩",
    "rong": "荣",
    "tai": "泰",
    "shan": "山",
    "ke": "克",
    "yue": "月",
    "qi": "琪",
    "jiao": "娇",
}
#: Readings of a character as a family name, where they differ from its usual reading.
SURNAME_READINGS = {"曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "乐": "yue"}
_SYLLABLES = None


def _apply(word: str, table: list[tuple[str, str]]) -> str:
    out, i, low = [], 0, word.lower()
    while i < len(low):
        for latin, script in table:
            if low.startswith(latin, i):
                out.append(script)
                i += len(latin)
                break
        else:
            if low[i].isalpha():
                i += 1
                continue
            out.append(low[i])
            i += 1
    return "".join(out)


def to_cyrillic(name: str) -> str:
    return " ".join(_apply(w, CYRILLIC).capitalize() for w in re.split(r"[\s,]+", name) if w)


def to_greek(name: str) -> str:
    words = [_apply(w, GREEK) for w in re.split(r"[\s,]+", name) if w]
    return " ".join(re.sub("σ$", "ς", w).capitalize() for w in words if w)


def _arabic_word(word: str) -> str:
    low = re.sub(r"[^a-z]", "", word.lower())
    out, i = [], 0
    while i < len(low):
        ch = low[i]
        if ch in "aeiou":
            run = re.match(r"[aeiou]+", low[i:]).group(0)
            at_start, at_end = i == 0, i + len(run) == len(low)
            if at_start:
                out.append("ا" if run[0] in "ae" else "ا" if run[0] == "i" else "أو")
            elif run in ("ou", "oo", "uu") or (at_end and run[-1] in "ou"):
                out.append("و")
            elif run in ("ee", "ii", "ei", "ai") or (at_end and run[-1] in "ie"):
                out.append("ي")
            elif run == "aa" or (at_end and run[-1] == "a"):
                out.append("ا")
            i += len(run)
            continue
        for latin, script in ARABIC_CONSONANTS:
            if low.startswith(latin, i):
                if not (out and out[-1] == script):  # doubled consonants are written once (shadda)
                    out.append(script)
                i += len(latin)
                break
        else:
            i += 1
    return "".join(out)


def to_arabic(name: str) -> str:
    words = [w for w in re.split(r"[\s,\-]+", name) if w]
    out: list[str] = []
    for w in words:
        if w.lower() in ("al", "el") and out is not None:
            out.append("ال")
            continue
        word = _arabic_word(w)
        if out and out[-1] == "ال":
            out[-1] = "ال" + word
        elif word:
            out.append(word)
    return " ".join(out)


def syllables() -> frozenset[str]:
    global _SYLLABLES
    if _SYLLABLES is None:
        found = set()
        for readings in pinyin_dict.values():
            for r in readings.split(","):
                found.add(_toneless(r))
        _SYLLABLES = frozenset(s for s in found if s.isalpha() and s.isascii())
    return _SYLLABLES


def _toneless(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).replace("ü", "v")


def split_pinyin(word: str) -> list[str] | None:
    """'fangwei' -> ['fang', 'wei']; None when the word is not a run of pinyin syllables."""
    word = re.sub(r"[^a-z]", "", word.lower())
    known = syllables()

    @cache
    def split(i: int) -> tuple[str, ...] | None:
        if i == len(word):
            return ()
        for j in range(min(len(word), i + 6), i, -1):
            if word[i:j] in known:
                rest = split(j)
                if rest is not None:
                    return (word[i:j], *rest)
        return None

    result = split(0)
    return list(result) if result else None


@cache
def hanzi_for(syllable: str) -> str | None:
    if syllable in HANZI:
        return HANZI[syllable]
    for code in range(0x4E00, 0x9FA6):
        readings = pinyin_dict.get(code)
        if readings and _toneless(readings.split(",")[0]) == syllable:
            return chr(code)
    return None


def to_hanzi(family: str, given: str) -> str | None:
    """Family name first, then the given name, one character a syllable."""
    parts = []
    for word in (family, *given.split()):
        split = split_pinyin(word)
        if not split:
            return None
        parts.extend(split)
    chars = [hanzi_for(s) for s in parts]
    return None if None in chars else "".join(chars)


def tone_pinyin(hanzi: str, numbers: bool = False) -> list[str]:
    """Pinyin of each character with its tone (marks, or digits with ``numbers``)."""
    style = Style.TONE3 if numbers else Style.TONE
    out = []
    for i, ch in enumerate(hanzi):
        if i == 0 and ch in SURNAME_READINGS and not numbers:
            reading = pinyin(ch, style=style, heteronym=True)[0]
            wanted = [r for r in reading if _toneless(r) == SURNAME_READINGS[ch]]
            out.append(wanted[0] if wanted else reading[0])
        else:
            out.append(pinyin(ch, style=style)[0][0])
    return out

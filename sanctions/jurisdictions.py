"""Comprehensively embargoed jurisdictions under US sanctions, as a data table.

Screening names is not enough: US persons may not deal with anyone ordinarily resident in,
or goods bound for, a comprehensively sanctioned country or region, whoever they are.  This
module recognises those jurisdictions from ISO country codes and from free text (country
names, official names, capitals and main cities, region names in an address or a place of
birth).

Source: OFAC "Sanctions Programs and Country Information" pages and the governing
regulations: Cuban Assets Control Regulations (31 CFR 515), Iranian Transactions and
Sanctions Regulations (31 CFR 560), North Korea Sanctions Regulations (31 CFR 510), and
Executive Orders 13685 (Crimea, 19 Dec 2014) and 14065 (so-called DNR and LNR regions of
Ukraine, 21 Feb 2022).  Syria: the Syrian Sanctions Regulations' comprehensive embargo was
ended by Executive Order 14312 with effect from 1 July 2025; targeted designations remain on
the SDN list and are screened by name.  As of 2025-07-01; review whenever OFAC changes a
program.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

AS_OF = date(2025, 7, 1)
SOURCE = (
    "OFAC Sanctions Programs and Country Information; 31 CFR 515 (Cuba), 31 CFR 560 (Iran), "
    "31 CFR 510 (North Korea), E.O. 13685 (Crimea), E.O. 14065 (DNR/LNR regions of Ukraine)"
)


@dataclass(frozen=True)
class Jurisdiction:
    key: str
    name: str
    country_code: str | None  # ISO 3166-1 alpha-2; None for a region inside a country
    program: str
    legal_basis: str
    since: str
    #: lower-case phrases that, found as whole words in an address or place, point here.
    phrases: tuple[str, ...]
    #: for a region: the country it lies in (a code match alone is not enough).
    within: str | None = None


JURISDICTIONS: tuple[Jurisdiction, ...] = (
    Jurisdiction(
        key="CU",
        name="Cuba",
        country_code="CU",
        program="CUBA",
        legal_basis="Cuban Assets Control Regulations, 31 CFR part 515",
        since="1963-07-08",
        phrases=(
            "cuba",
            "republic of cuba",
            "republica de cuba",
            "cuban",
            "havana",
            "la habana",
            "habana",
            "santiago de cuba",
            "camaguey",
            "holguin",
            "guantanamo",
            "cienfuegos",
            "matanzas",
            "pinar del rio",
            "santa clara, cuba",
            "varadero",
        ),
    ),
    Jurisdiction(
        key="IR",
        name="Iran",
        country_code="IR",
        program="IRAN",
        legal_basis="Iranian Transactions and Sanctions Regulations, 31 CFR part 560",
        since="1995-05-06",
        phrases=(
            "iran",
            "islamic republic of iran",
            "iran, islamic republic of",
            "persia",
            "tehran",
            "teheran",
            "mashhad",
            "isfahan",
            "esfahan",
            "tabriz",
            "shiraz",
            "karaj",
            "qom",
            "ahvaz",
            "ahwaz",
            "kermanshah",
            "bandar abbas",
            "bandar-e abbas",
            "kish island",
            "rasht",
            "yazd",
            "kerman",
        ),
    ),
    Jurisdiction(
        key="KP",
        name="North Korea",
        country_code="KP",
        program="DPRK",
        legal_basis="North Korea Sanctions Regulations, 31 CFR part 510; E.O. 13722",
        since="2016-03-15",
        phrases=(
            "north korea",
            "korea, north",
            "dprk",
            "d.p.r.k.",
            "democratic people's republic of korea",
            "korea, democratic people's republic of",
            "pyongyang",
            "p'yongyang",
            "nampo",
            "nampho",
            "chongjin",
            "hamhung",
            "wonsan",
            "sinuiju",
            "kaesong",
            "rason",
            "rajin",
        ),
    ),
    Jurisdiction(
        key="UA-CRIMEA",
        name="Crimea region of Ukraine",
        country_code=None,
        program="UKRAINE-EO13685",
        legal_basis="Executive Order 13685; Ukraine-/Russia-Related Sanctions Regulations, 31 CFR part 589",
        since="2014-12-19",
        phrases=(
            "crimea",
            "crimean",
            "krym",
            "krim",
            "autonomous republic of crimea",
            "republic of crimea",
            "sevastopol",
            "sebastopol",
            "sevastopil",
            "simferopol",
            "simferopil",
            "yalta",
            "kerch",
            "feodosia",
            "feodosiya",
            "yevpatoria",
            "evpatoria",
            "yevpatoriya",
            "dzhankoi",
            "alushta",
        ),
        within="UA",
    ),
    Jurisdiction(
        key="UA-DNR",
        name="So-called Donetsk People's Republic region of Ukraine",
        country_code=None,
        program="UKRAINE-EO14065",
        legal_basis="Executive Order 14065",
        since="2022-02-21",
        phrases=(
            "donetsk",
            "donetske",
            "donetsk people's republic",
            "dnr",
            "dpr",
            "donbas",
            "donbass",
            "makiivka",
            "makeyevka",
            "horlivka",
            "gorlovka",
            "yenakiieve",
            "yenakiyevo",
            "khartsyzk",
            "shakhtarsk",
            "torez",
            "snizhne",
        ),
        within="UA",
    ),
    Jurisdiction(
        key="UA-LNR",
        name="So-called Luhansk People's Republic region of Ukraine",
        country_code=None,
        program="UKRAINE-EO14065",
        legal_basis="Executive Order 14065",
        since="2022-02-21",
        phrases=(
            "luhansk",
            "lugansk",
            "luhanske",
            "luhansk people's republic",
            "lugansk people's republic",
            "lnr",
            "lpr",
            "alchevsk",
            "alchevske",
            "krasnyi luch",
            "krasny luch",
            "khrustalnyi",
            "sverdlovsk, ukraine",
            "dovzhansk",
            "rovenky",
            "antratsyt",
            "antratsit",
            "stakhanov",
            "kadiivka",
            "brianka",
            "bryanka",
        ),
        within="UA",
    ),
)

#: Programs that used to be comprehensive embargoes and have ended (kept for audit trails).
ENDED: tuple[dict[str, str], ...] = (
    {
        "key": "SY",
        "name": "Syria",
        "country_code": "SY",
        "program": "SYRIA",
        "ended": "2025-07-01",
        "note": "Comprehensive embargo under the Syrian Sanctions Regulations (31 CFR 542) ended by "
        "E.O. 14312 effective 1 July 2025; individual designations remain on the SDN list.",
    },
)

_BY_CODE = {j.country_code: j for j in JURISDICTIONS if j.country_code}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("\u2019", "'")
    return re.sub(r"\s+", " ", text)


_PATTERNS: tuple[tuple[Jurisdiction, str, re.Pattern[str]], ...] = tuple(
    (j, phrase, re.compile(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])"))
    for j in JURISDICTIONS
    for phrase in j.phrases
)


def embargo_hits(country_code: str | None = None, text: str | None = None) -> list[tuple[Jurisdiction, str]]:
    """Embargoed jurisdictions that an ISO country code or a free text points to, with why.

    ``country_code`` is an ISO 3166-1 alpha-2 code (case-insensitive).  ``text`` may be an
    address, a city, a place of birth or a country name; phrases are matched as whole
    words after accents and case are folded.  A region of Ukraine is found from the text
    only (the code UA alone is not an embargoed jurisdiction).
    """
    hits: dict[str, tuple[Jurisdiction, str]] = {}
    if country_code:
        code = country_code.strip().upper()
        if code in _BY_CODE:
            j = _BY_CODE[code]
            hits[j.key] = (j, f"country code {code}")
    if text:
        folded = _fold(text)
        for j, phrase, pattern in _PATTERNS:
            if j.key not in hits and pattern.search(folded):
                hits[j.key] = (j, f"text mentions '{phrase}'")
    return list(hits.values())


def ended_programs() -> tuple[dict[str, str], ...]:
    """Comprehensive embargoes that have ended, with their end date."""
    return ENDED

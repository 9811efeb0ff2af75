"""Name words so common among people that, alone, they say little about who someone is.

A match made only of such words ("W. Li", 李伟 = ``li wei``, "Walid Issa" against AHMAD, Walid Issa) is
shown as a near-miss by name alone; a date of birth or a country that agrees lifts it to review.  The
list's own token frequencies cannot tell this: SMITH or NGUYEN are rare on the SDN list and frequent among
applicants.

What is here: a selection (not exhaustive) of the most frequent family names in the US (Anglo and
Hispanic), China (pinyin, with the Cantonese, Taiwanese and Southeast Asian spellings of the same names),
Korea, Vietnam and South Asia, and of the most frequent given names in the US and in Arabic, Hispanic and
Russian usage.  Every single pinyin syllable counts as common too: Chinese given names are built from them.
"""

from __future__ import annotations

from functools import lru_cache

from sanctions.matching.scripts import pinyin_syllables

_WORDS = """
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson
anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis
robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall
rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes
stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard
ramos kim cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price
alvarez castillo sanders patel myers long ross foster jimenez
wong chan leung cheung lau ho ng chow tsang yip kwok lam fong chu tse mak yuen chiu hui kwan poon tam
fung siu choi lo chin eng moy tan lim teo goh ong koh chua tay yap ooi
park choi jung kang cho yoon jang lim han oh seo shin kwon hwang ahn yoo jeon ko moon son bae baek heo
nam sim noh kwak sung cha joo woo koo min ryu na jin ji chung rhee yi pak choe suh shim yun
tran le pham hoang huynh phan vu vo dang bui do ngo duong ly truong dinh luong cao trinh van thi ngoc
singh kumar sharma shah gupta khan das reddy rao mehta joshi iyer
muhammad ahmad ali hasan husayn ibrahim abd abdullah mahmud mustafa umar yusuf khalid said salih hamid
karim nasir jamal rahman amin aziz ismail musa isa hamza yahya abu bin uthman sulayman qasim hakim fadi
walid sami omar tariq faris bilal rami ziad nabil adel samir khalil mansur haddad
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony
mark donald steven paul andrew joshua kevin brian george edward ronald timothy jason jeffrey ryan jacob
gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel frank gregory raymond
alexander patrick jack dennis jerry peter henry vincent kenneth alan calvin tony jimmy tommy sean
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret
sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca laura
sharon cynthia kathleen amy angela helen anna grace alice vivian cindy tiffany jenny winnie julie
rachel hannah sophia christine esther annie lily tina
jose juan luis carlos jorge pedro miguel antonio francisco manuel jesus javier alejandro ricardo
fernando roberto eduardo rafael sergio mario maria ana rosa carmen guadalupe juana sofia lucia isabel
aleksandr sergei dmitri andrei aleksei vladimir ivan mikhail nikolai evgeni igor oleg yuri viktor pavel
elena olga natalya tatyana irina svetlana ekaterina yulia
"""


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    return frozenset(_WORDS.split())


def is_common_token(text: str, keys: tuple[str, ...] = ()) -> bool:
    """A word (or one of its romanisation keys) that many applicants share."""
    common = _common()
    return text in common or any(k in common for k in keys) or text in pinyin_syllables()

"""Search over a full list index: every kind of variation finds the real entry; ordinary
names do not; vessels are never persons; weak aliases only confirm."""

from __future__ import annotations

import pytest

from sanctions import ofac
from sanctions.matching import ALGORITHM_VERSION, DEFAULT_THRESHOLDS, ScreeningIndex

REVIEW = DEFAULT_THRESHOLDS.review

# (uid, kind, query, variation) over real entries of the 2021-07 SDN list and the consolidated list.
VARIANTS = [
    (21171, "person", "prigozhin yevgeniy viktorovich", "case"),
    (21171, "person", "Yevgeniy Viktorovich Prigozhin", "order"),
    (21171, "person", "PRIGOZHIN, Yevgeniy", "middle name dropped"),
    (21171, "person", "Yevgeniy V. Prigozhin", "middle initial"),
    (21171, "person", "Evgeny Prigozhin", "romanisation"),
    (21171, "person", "Yevgeniy Viktorovich Prigozhyn", "typo"),
    (21171, "person", "Yevgeniy Viktorovich Prigzohin", "transposition"),
    (21171, "person", "Yevgeniy Viktorovich Prgzhn", "dropped vowels"),
    (21171, "person", "Yevgeniy Viktorovich Priggozhin", "doubled letter"),
    (21171, "person", "Yevgeniy Viktorovich Рrigоzhin", "homoglyphs"),
    (21171, "person", "Yevgeniy Vik\u200btorovich Prigo\u00adzhin", "invisible characters"),
    (21171, "person", "Евгений Викторович Пригожин", "Cyrillic script"),
    (9639, "person", "Ismail Haniyeh", "romanisation, middle names dropped"),
    (9639, "person", "Ismaïl Abdul Salah Haniya", "diacritics"),
    (9639, "person", "Ismail Abdul-Salah Haniya", "punctuation"),
    (9639, "person", "Mr. Ismail Abdul Salah Haniya", "honorific"),
    (2686, "person", "Hassan Nasrallah", "romanisation"),
    (2686, "person", "Sayyed Hasan Nasrallah", "middle name added"),
    (22790, "person", "Nicolas Maduro Moros", "order"),
    (22790, "person", "Nicolás Maduro", "diacritics, family name dropped"),
    (24283, "person", "Oleg Deripaska", "patronymic dropped"),
    (24283, "person", "0leg Vladimirovich Der1paska", "OCR"),
    (24283, "person", "Oleg Vladimirovich Deripa", "truncation"),
    (23343, "person", "Ramzan Kadyrov", "patronymic dropped"),
    (6861, "person", "Joaquin Guzman Loera", "order"),
    (6861, "person", "Chapo Guzman", "strong alias"),
    (306, "business", "Banco Nacional de Cuba", "case"),
    (306, "business", "BANCONACIONAL DE CUBA", "spacing"),
    (306, "business", "National Bank of Cuba", "strong alias"),
    (17022, "business", "Rosneft Oil Company PJSC", "legal form"),
    (23943, "business", "Internet Research Agency", "legal form dropped"),
    (23943, "business", "INTERNET RESEARCH AGENCY L.L.C.", "legal form punctuation"),
    (12927, "business", "MAHAN AIR LLC", "legal form added"),
    (12927, "business", "MAHAN AIR Co., Ltd.", "legal form added"),
    (10391, "business", "Islamic Revolutionary Guards Corps", "plural"),
    (10391, "business", "IRGC", "strong alias"),
    (4697, "business", "Hizbollah", "romanisation"),
    (8354, "business", "Baroon Shipping Co Ltd", "legal form abbreviated"),
    (9639, "person", "Ismail Abdul Salah HANIYA", "on the consolidated list"),
]


@pytest.mark.parametrize(("uid", "kind", "query", "variation"), VARIANTS, ids=[v[3] + ":" + v[2] for v in VARIANTS])
def test_variation_finds_the_listed_entry(full_index, uid, kind, query, variation):
    hits = full_index.search(query, kind)
    found = [h for h in hits if h.uid == uid]
    assert found, (query, [(h.uid, h.matched_name, h.score) for h in hits[:3]])
    assert found[0].score >= REVIEW, (query, found[0])
    assert found[0].reasons


NEGATIVE_PEOPLE = [
    "John Smith",
    "Mary Johnson",
    "Robert Williams",
    "Jennifer Brown",
    "Michael Davis",
    "Linda Wilson",
    "Wei Chen",
    "Kevin Zhang",
    "Emily Wong",
    "Michelle Liu",
    "Jason Huang",
    "Grace Lin",
    "Min-jun Park",
    "Jiwoo Kim",
    "Seo-yeon Choi",
    "Daniel Jung",
    "Esther Kang",
    "Sarah Yoon",
    "Maria Garcia",
    "Jose Hernandez",
    "Guadalupe Martinez",
    "Carlos Ramirez",
    "Ana Castillo",
    "Luis Flores",
]
NEGATIVE_BUSINESSES = [
    "Golden Dragon Restaurant",
    "Blue Ridge Plumbing LLC",
    "Sunrise Dental Care",
    "Main Street Bakery",
    "Pacific Coast Realty Inc.",
    "Smith & Sons Construction",
    "Evergreen Landscaping",
    "Lucky Star Nail Salon",
]


@pytest.mark.parametrize("name", NEGATIVE_PEOPLE)
def test_ordinary_person_names_are_not_flagged(full_index, name):
    hits = full_index.search(name, "person")
    assert not hits or hits[0].score < REVIEW, [(h.matched_name, h.score, h.reasons) for h in hits[:2]]


@pytest.mark.parametrize("name", NEGATIVE_BUSINESSES)
def test_ordinary_business_names_are_not_flagged(full_index, name):
    hits = full_index.search(name, "business")
    assert not hits or hits[0].score < REVIEW, [(h.matched_name, h.score, h.reasons) for h in hits[:2]]


def test_a_listed_name_minus_a_middle_name_of_common_words_is_a_near_miss(full_index):
    """ "Ana Torres" is "TORRES, Ana Leonor" without a middle name, but both words are common: a near-miss by
    name alone, and a date of birth or country that agrees sends it to review."""
    hits = full_index.search("Ana Torres", "person")
    assert hits and hits[0].uid == 10938 and hits[0].score < REVIEW
    assert any("leonor" in r for r in hits[0].reasons)


def test_weak_alias_alone_does_not_hit(full_index):
    """'EL CHAPO' is not a strong alias of GUZMAN LOERA (6861); the strong alias is 'GUZMAN, Chapo'."""
    assert all(h.score < REVIEW for h in full_index.search("El Chapo", "person") if h.uid == 6861)


def test_kind_selects_individuals_or_entities(full_index):
    assert all(h.sdn_type == "individual" for h in full_index.search("Banco Nacional de Cuba", "person"))
    assert all(h.sdn_type == "entity" for h in full_index.search("Yevgeniy Prigozhin", "business"))
    with pytest.raises(ValueError):
        full_index.search("x", "vessel")  # type: ignore[arg-type]


def test_vessels_and_aircraft_are_never_matched(full_index):
    # 4243 is the vessel SAND SWAN; it is in neither the person nor the business index.
    for kind in ("person", "business"):
        assert all(h.uid != 4243 for h in full_index.search("Sand Swan", kind, min_score=0.0))


def test_hit_fields_and_dob_contradiction(full_index):
    hit = next(h for h in full_index.search("Yevgeniy Prigozhin", "person") if h.uid == 21171)
    assert hit.name == "PRIGOZHIN, Yevgeniy Viktorovich" and hit.sdn_type == "individual"
    assert "SDN" in hit.lists and hit.programs
    confirmed = next(
        h for h in full_index.search("Yevgeniy Prigozhin", "person", dob="1961-06-01", country="RU") if h.uid == 21171
    )
    assert confirmed.score >= hit.score and not confirmed.contradicted
    contradicted = [
        h for h in full_index.search("Yevgeniy Prigozhin", "person", dob="1995-03-02", min_score=0.0) if h.uid == 21171
    ]
    assert contradicted and contradicted[0].contradicted and contradicted[0].score < hit.score
    assert any("contradicts" in r for r in contradicted[0].reasons)


def test_alias_hit_is_marked(full_index):
    hit = next(h for h in full_index.search("National Bank of Cuba", "business") if h.uid == 306)
    assert hit.matched_alias and hit.alias_type == "aka" and hit.matched_name == "NATIONAL BANK OF CUBA"


def test_weak_alias_confirms_but_never_creates_a_hit(sample_2025):
    index = ScreeningIndex.from_list_set(sample_2025)
    # 'BURTON BURGESS' is only a weak alias of 10278 (LOGAN MOREY, Elvis Angus).
    assert not [h for h in index.search("Burton Burgess", "person") if h.uid == 10278]
    entry = sample_2025.entries[10278]
    assert [a.name for a in entry.weak_aliases] == ["BURTON BURGESS"]


def test_delta_index_with_full_weights(full_index, sdn_2021):
    delta = ScreeningIndex.from_list_set(sdn_2021, only_uids=[21171, 306], weights_from=full_index)
    assert {h.uid for h in delta.search("Yevgeniy Prigozhin", "person")} == {21171}
    assert not delta.search("Joaquin Guzman Loera", "person")


def test_algorithm_version_is_a_string():
    assert isinstance(ALGORITHM_VERSION, str) and ALGORITHM_VERSION


def test_index_of_bundled_data_loads(sdn_2024):
    index = ScreeningIndex.from_list_set(
        ofac.ListSet(entries={uid: e for uid, e in sdn_2024.entries.items() if uid < 2000}, files=sdn_2024.files)
    )
    assert len(index) > 0

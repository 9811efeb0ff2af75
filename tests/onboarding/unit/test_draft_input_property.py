"""Whatever JSON-like input reaches the draft services (wrong types, nesting, huge or control-character
strings, lone surrogates, NULs, numbers, flags and nulls in every field and section), they either
succeed or raise ValidationFailed, and a failure writes nothing. Run on PostgreSQL too: NULs and lone
surrogates are what it refuses."""

import copy

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from onboarding.errors import ValidationFailed
from onboarding.services.actors import Actor
from onboarding.services.drafts import (
    BANK_FIELDS,
    BUSINESS_FIELDS,
    PARTY_FIELDS,
    STORE_FIELDS,
    TERMINAL_FIELDS,
    WALLET_FIELDS,
    application_create_draft,
    application_update_draft,
)
from tests.factories import VALID_DRAFT, UserFactory, draft_application
from tests.onboarding.unit.test_draft_input import row_counts, stored

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXISTING = "<existing public id>"  # replaced by an id of the application's own items

NASTY_TEXT = st.sampled_from(
    ["", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "10013\n", "line\nbreak", "\r\n", "\t", "\x1b[31m",
     "\x7f", "\x85", "\u2028", "\ufeff", "💳", "x" * 201, "x" * 5001, "5812", "10013", "NY", "US", "CN",
     "2020-01-01", "19800517", "2199-01-01", "021000021", "482910337765", "46-2811507", "212-54-3321",
     "individual", "company", "ein", "ssn", "itin", "sole_proprietorship", "checking", "stripe_s700", "alipay",
     "wechat_pay", "in_store", "online", "12.345", "NaN", "-1", "1e3", "203.0.113.7", EXISTING]
)  # fmt: skip
TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=30)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    TEXT,
    NASTY_TEXT,
)
JSON_LIKE = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
VALUES = st.one_of(SCALARS, NASTY_TEXT, JSON_LIKE, st.lists(st.sampled_from(["US", "CN", "us", 1, None]), max_size=3))


def fields_of(declared, nested=None):
    """A section or item whose keys are mostly its own field names (and now and then an unknown one)."""
    keys = st.one_of(st.sampled_from(sorted(declared)), st.sampled_from(["unknown", "", "\ud800", "public_id "]))
    values = VALUES if nested is None else st.one_of(VALUES, nested)
    return st.dictionaries(keys, values, max_size=8)


def items_of(item):
    return st.one_of(JSON_LIKE, st.lists(st.one_of(item, JSON_LIKE), max_size=3))


TERMINAL = fields_of(TERMINAL_FIELDS)
STORE = st.one_of(
    fields_of(STORE_FIELDS),
    st.builds(lambda store, terminals: {**store, "terminals": terminals}, fields_of(STORE_FIELDS), items_of(TERMINAL)),
)
ANY_SECTIONS = st.fixed_dictionaries(
    {},
    optional={
        "business": st.one_of(fields_of(BUSINESS_FIELDS), JSON_LIKE),
        "parties": items_of(fields_of(PARTY_FIELDS)),
        "bank_account": st.one_of(fields_of(BANK_FIELDS), JSON_LIKE),
        "stores": items_of(STORE),
        "wallets": items_of(fields_of(WALLET_FIELDS)),
    },
)


def _paths(value, path=()):
    """Every place in a valid draft a value can be put: sections, items and fields."""
    if path:
        yield path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _paths(child, (*path, key))


DRAFT_PATHS = sorted(_paths(VALID_DRAFT), key=repr)


@st.composite
def changed_valid_sections(draw):
    """Some sections of a valid draft, with a few sections, items or fields replaced by anything."""
    data = copy.deepcopy(VALID_DRAFT)
    for path in draw(st.lists(st.sampled_from(DRAFT_PATHS), max_size=3)):
        target = data
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced what this path went through
    names = draw(st.sets(st.sampled_from(sorted(data)), min_size=1))
    return {name: data[name] for name in names}


SECTIONS = st.one_of(ANY_SECTIONS, changed_valid_sections())


def with_existing_ids(value, ids: list[str]):
    """Put the application's own public ids where the strategy drew the placeholder."""
    if value == EXISTING and isinstance(value, str):
        return ids[len(ids) // 2] if ids else value
    if isinstance(value, list):
        return [with_existing_ids(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: with_existing_ids(item, ids) for key, item in value.items()}
    return value


def own_ids(application) -> list[str]:
    ids = [p.public_id for p in application.parties.all()] + [s.public_id for s in application.stores.all()]
    return ids + [t.public_id for s in application.stores.all() for t in s.terminals.all()]


def assert_showable(fields: dict) -> None:
    # Keys and messages are rendered into pages and JSON bodies: they must always encode.
    for key, messages in fields.items():
        key.encode("utf-8")
        assert messages and all(isinstance(m, str) and m.encode("utf-8") for m in messages)


@pytest.fixture
def application():
    return draft_application()


@PROPERTY_SETTINGS
@given(sections=SECTIONS)
def test_any_update_succeeds_or_is_refused_field_by_field_writing_nothing(application, sections):
    sections = with_existing_ids(sections, own_ids(application))
    before = stored(application)
    try:
        application_update_draft(application=application, actor=Actor.for_user(application.applicant), **sections)
    except ValidationFailed as exc:
        event("refused")
        assert_showable(exc.fields)
        assert stored(application) == before
    else:
        event("accepted")
        stored(application)  # everything written reads back


@settings(PROPERTY_SETTINGS, max_examples=100)
@given(sections=SECTIONS)
def test_any_new_draft_is_created_or_refused_creating_nothing(sections):
    user = UserFactory()
    before = row_counts()
    try:
        application_create_draft(actor=Actor.for_user(user), **sections)
    except ValidationFailed as exc:
        event("refused")
        assert_showable(exc.fields)
        assert row_counts() == before
    else:
        event("accepted")

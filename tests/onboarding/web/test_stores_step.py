"""The step "stores and terminals": stores added and removed on one page, reader counts as terminals."""

import pytest

from onboarding.errors import ValidationFailed
from onboarding.models import Store
from onboarding.web.errors import form_errors
from onboarding.web.stores import StoreFormSet, count_field, terminal_items
from tests.onboarding.web.merchant_pages import (  # noqa: F401 (merchant_fixture gives the fixture merchant)
    described_by_error,
    error_of,
    merchant_fixture,
    own_application,
    step_url,
)

pytestmark = pytest.mark.django_db
S700, WISEPOS = "stripe_s700", "bbpos_wisepos_e"


def store_data(*stores: dict) -> dict:
    data = {"stores-TOTAL_FORMS": str(len(stores)), "stores-INITIAL_FORMS": "0"}
    for index, store in enumerate(stores):
        for name, value in store.items():
            data[f"stores-{index}-{name}"] = value
    return data


def a_store(**overrides) -> dict:
    store = {
        "name": "Flushing Main Street",
        "phone": "(718) 555-0134",
        "address_line1": "136-20 Roosevelt Avenue",
        "address_city": "Flushing",
        "address_state": "NY",
        "address_postal_code": "11354",
        f"count_{S700}": "1",
        f"count_{WISEPOS}": "2",
    }
    store.update(overrides)
    return store


def the_store_there(application, **overrides) -> dict:
    store = application.stores.get()
    values = {
        "public_id": store.public_id,
        "name": store.name,
        "address_line1": store.address_line1,
        "address_city": store.address_city,
        "address_postal_code": store.address_postal_code,
        f"count_{S700}": "1",
        f"count_{WISEPOS}": "0",
    }
    return a_store(**{**values, **overrides})


def test_the_page_shows_the_stores_with_their_reader_counts_and_how_the_wallets_work_on_readers(client, merchant):
    application = own_application(merchant)
    body = client.get(step_url(application, "stores")).content.decode()
    assert 'value="Mott Street"' in body
    assert f'name="stores-0-count_{S700}" value="1"' in body and f'name="stores-0-count_{WISEPOS}" value="0"' in body
    assert "WeChat Pay is taken as a QR code" in body and "Alipay is not available in store" in body
    assert '<label for="id_stores-0-address_postal_code">ZIP code</label>' in body


def test_stores_and_reader_counts_are_saved_as_terminals(client, merchant):
    application = own_application(merchant)
    response = client.post(step_url(application, "stores"), store_data(the_store_there(application), a_store()))
    assert response.status_code == 302 and response["Location"] == step_url(application, "documents")
    stores = list(application.stores.order_by("position"))
    assert [s.name for s in stores] == ["Mott Street", "Flushing Main Street"]
    assert stores[1].phone == "+17185550134" and stores[1].address_postal_code == "11354"
    assert sorted(t.device_type for t in stores[1].terminals.all()) == [WISEPOS, WISEPOS, S700]


def test_terminals_already_requested_keep_their_public_ids_while_the_counts_stay(client, merchant):
    application = own_application(merchant)
    kept = application.stores.get().terminals.get()
    client.post(step_url(application, "stores"), store_data(the_store_there(application, **{f"count_{WISEPOS}": "1"})))
    terminals = list(application.stores.get().terminals.all())
    assert len(terminals) == 2 and kept.public_id in [t.public_id for t in terminals]
    assert [t.label for t in terminals if t.public_id == kept.public_id] == ["Counter"]
    wisepos = next(t.public_id for t in terminals if t.device_type == WISEPOS)
    counts = {f"count_{S700}": "0", f"count_{WISEPOS}": "1"}
    client.post(step_url(application, "stores"), store_data(the_store_there(application, **counts)))
    assert [t.public_id for t in application.stores.get().terminals.all()] == [wisepos]


def test_adding_a_store_shows_another_empty_store_keeps_what_was_typed_and_saves_nothing(client, merchant):
    application = own_application(merchant)
    typed = the_store_there(application, name="Mott Street (renamed, not saved)")
    response = client.post(step_url(application, "stores"), {**store_data(typed), "add_store": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Mott Street (renamed, not saved)"' in body and 'name="stores-1-name"' in body
    assert 'name="stores-TOTAL_FORMS" value="2"' in body
    assert application.stores.get().name == "Mott Street"


def test_removing_a_store_takes_it_off_the_page_and_saving_removes_it(client, merchant):
    application = own_application(merchant)
    posted = store_data(the_store_there(application), a_store(name="Second store"))
    response = client.post(step_url(application, "stores"), {**posted, "remove_store": "0"})
    body = response.content.decode()
    assert response.status_code == 200 and "Mott Street" not in body.split("<fieldset", 1)[1]
    assert 'value="Second store"' in body and "Save to keep this change" in body
    assert application.stores.count() == 1  # nothing saved yet
    client.post(step_url(application, "stores"), store_data(a_store(name="Second store")))
    assert [s.name for s in application.stores.all()] == ["Second store"]


def test_an_empty_store_form_is_left_out_rather_than_refused(client, merchant):
    application = own_application(merchant)
    empty = dict.fromkeys(a_store(), "")
    response = client.post(step_url(application, "stores"), store_data(the_store_there(application), empty))
    assert response.status_code == 302 and application.stores.count() == 1


def test_each_store_error_appears_next_to_its_field_and_nothing_typed_is_lost(client, merchant):
    application = own_application(merchant)
    bad = a_store(name="", address_postal_code="ABCDE", phone="12", address_line2="Unit 5")
    response = client.post(step_url(application, "stores"), store_data(the_store_there(application), bad))
    body = response.content.decode()
    assert response.status_code == 400
    assert error_of(body, "id_stores-1-name")
    assert "ZIP" in error_of(body, "id_stores-1-address_postal_code")
    assert error_of(body, "id_stores-1-phone")
    assert described_by_error(body, "id_stores-1-address_postal_code")
    assert 'value="ABCDE"' in body and 'value="Unit 5"' in body and 'value="136-20 Roosevelt Avenue"' in body
    assert f'name="stores-1-count_{WISEPOS}" value="2"' in body
    assert application.stores.count() == 1  # all or nothing


def test_a_count_the_service_refuses_is_shown_on_that_store(client, merchant):
    application = own_application(merchant)
    response = client.post(
        step_url(application, "stores"), store_data(the_store_there(application, **{f"count_{S700}": "500"}))
    )
    body = response.content.decode()
    assert response.status_code == 400
    store_part = body.split('id="store-0"', 1)[1]
    assert "List at most 100 items" in store_part
    assert application.stores.get().terminals.count() == 1


def test_a_count_that_is_not_a_number_is_shown_on_its_reader(client, merchant):
    application = own_application(merchant)
    response = client.post(
        step_url(application, "stores"), store_data(the_store_there(application, **{f"count_{WISEPOS}": "two"}))
    )
    body = response.content.decode()
    assert response.status_code == 400 and error_of(body, f"id_stores-0-count_{WISEPOS}")
    assert 'value="two"' in body


def test_a_terminals_error_lands_on_the_count_of_its_reader():
    """The service names a terminal by position (``stores[0].terminals[1].device_type``); the page shows it
    on the count of that terminal's reader."""
    formset = StoreFormSet(
        data={
            "stores-TOTAL_FORMS": "1",
            "stores-INITIAL_FORMS": "0",
            "stores-0-name": "A",
            f"stores-0-count_{S700}": "1",
            f"stores-0-count_{WISEPOS}": "1",
        },
        prefix="stores",
    )
    assert formset.is_valid()
    items = terminal_items(None, {S700: 1, WISEPOS: 1})
    renames = {f"stores[0].terminals[{i}].device_type": count_field(t["device_type"]) for i, t in enumerate(items)}
    error = ValidationFailed(
        "x",
        fields={
            "stores[0].terminals[1].device_type": ["Not a reader we offer."],
            "stores[0].address_postal_code": ["Enter a valid ZIP code."],
        },
    )
    assert form_errors(error, sections={"stores": formset}, renames=renames) == []
    form = formset.forms[0]
    second, first = count_field(items[1]["device_type"]), count_field(items[0]["device_type"])
    assert second != first and form.errors[second] == ["Not a reader we offer."] and first not in form.errors
    assert form.errors["address_postal_code"] == ["Enter a valid ZIP code."]


def test_without_in_store_payments_the_page_says_no_store_is_needed_and_lets_the_merchant_go_on(client, merchant):
    application = own_application(merchant, stores=[], wallets=[{"wallet": "alipay", "channel": "online"}])
    response = client.get(step_url(application, "stores"))
    body = response.content.decode()
    assert "no store or terminal is needed" in body and 'name="stores-TOTAL_FORMS"' not in body
    response = client.post(step_url(application, "stores"), {"save": ""})
    assert response.status_code == 302 and response["Location"] == step_url(application, "documents")
    assert not Store.objects.filter(application=application).exists()
    assert not application.events.filter(action="updated", details__sections=[]).exists()


def test_another_merchants_stores_step_is_not_found(client, merchant):
    other = own_application(None)
    assert client.get(step_url(other, "stores")).status_code == 404
    assert client.post(step_url(other, "stores"), store_data(a_store())).status_code == 404

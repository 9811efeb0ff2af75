"""The wire format and the SDK-derived allow-list, without a server."""

import pytest
from stripe.params import AccountCreateParams, AccountUpdateParams
from stripe.params.terminal import ReaderListParams

from payments.acquirer.schema import validate
from payments.acquirer.wire import ApiError, flatten, form_decode


def test_brackets_nest_and_make_lists():
    assert form_decode("a[b][c]=1&a[b][d]=2&e[0]=x&e[1]=y&f[]=p&f[]=q&g=") == {
        "a": {"b": {"c": "1", "d": "2"}}, "e": ["x", "y"], "f": ["p", "q"], "g": "",
    }  # fmt: skip
    assert form_decode("items[0][price]=1&items[1][price]=2") == {"items": [{"price": "1"}, {"price": "2"}]}
    assert flatten({"a": {"b": ["x"]}}) == {"a[b][0]": "x"}


def refusal(params, params_class) -> tuple[str, str]:
    with pytest.raises(ApiError) as refused:
        validate(params, params_class)
    return refused.value.code, refused.value.param


def test_the_allow_list_is_the_sdks():
    # every capability the SDK knows is accepted; one it does not know is refused
    validate({"capabilities": {"us_bank_account_ach_payments": {"requested": "true"}}}, AccountCreateParams)
    assert refusal({"capabilities": {"wechat_pay_payments": {"requested": "true"}}}, AccountCreateParams) == (
        "parameter_unknown", "capabilities[wechat_pay_payments]")  # fmt: skip
    assert refusal({"company": {"address": {"street": "x"}}}, AccountUpdateParams) == (
        "parameter_unknown", "company[address][street]")  # fmt: skip
    assert refusal({"individual": {"dob": {"day": "first"}}}, AccountUpdateParams)[0] == "parameter_invalid_integer"
    assert refusal({"limit": "ten"}, ReaderListParams) == ("parameter_invalid_integer", "limit")
    validate({"metadata": {"anything": "goes"}, "expand": ["external_accounts"]}, AccountUpdateParams)
    validate({"metadata": ""}, AccountUpdateParams)  # an empty string unsets

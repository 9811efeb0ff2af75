"""What each endpoint accepts, read from the pinned stripe SDK's typed parameters (``stripe.params``).

The SDK is generated from Stripe's own API specification, so its TypedDicts are Stripe's allow-list: an
unknown key anywhere in the tree is refused as Stripe refuses it (400 ``parameter_unknown`` naming the
bracketed path), a required key that is missing is ``parameter_missing``, a closed ``Literal`` (one
without ``|str``) only takes its values, and integers and booleans must look like them. Nothing here is
written by hand, so the local acquirer cannot simply agree with the code that calls it.
"""

from __future__ import annotations

import re
import types
import typing
from functools import cache

import stripe._request_options as request_options
import typing_extensions
from stripe._request_options import RequestOptions
from stripe._stripe_context import StripeContext

from payments.acquirer.wire import ApiError

# Names the SDK's annotations use without importing them where they are evaluated.
_NAMESPACE = {**vars(typing), **vars(request_options), "StripeContext": StripeContext}
_OPTIONS = frozenset(RequestOptions.__annotations__)
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _is_typeddict(tp) -> bool:
    return isinstance(tp, type) and (typing.is_typeddict(tp) or typing_extensions.is_typeddict(tp))


@cache
def fields(params_class) -> tuple[dict, frozenset]:
    """A TypedDict's keys and their types (request options left out) and its required keys."""
    hints = typing.get_type_hints(params_class, localns=_NAMESPACE)
    hints = {name: tp for name, tp in hints.items() if name not in _OPTIONS}
    return hints, frozenset(params_class.__required_keys__) - _OPTIONS


def _join(path: str, key) -> str:
    return f"{path}[{key}]" if path else str(key)


def _fail(path: str, message: str, code: str = "") -> ApiError:
    return ApiError(400, message, code=code, param=path)


def check(value, tp, path: str = "") -> None:
    """Raise the ApiError Stripe would give for ``value`` at ``path`` if it does not fit ``tp``."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is typing.Any:
        return
    if origin in (typing.Union, types.UnionType):
        _check_union(value, args, path)
    elif _is_typeddict(tp):
        _check_object(value, tp, path)
    elif origin in (typing.Literal, typing_extensions.Literal):
        allowed = [str(a).lower() if isinstance(a, bool) else str(a) for a in args]
        if not isinstance(value, str) or value not in allowed:
            raise _fail(path, f"Invalid {path}: must be one of {', '.join(allowed) or '(empty)'}")
    elif origin in (list, typing.List):  # noqa: UP006
        if not isinstance(value, list):
            raise _fail(path, f"Invalid array for {path}", code="parameter_invalid_array")
        for index, item in enumerate(value):
            check(item, args[0] if args else typing.Any, _join(path, index))
    elif (
        origin in (dict, dict)
        or getattr(tp, "__name__", "") == "UntypedStripeObject"
        or (  # noqa: UP006
            origin is not None and getattr(origin, "__name__", "") == "UntypedStripeObject"
        )
    ):
        if not isinstance(value, dict):
            raise _fail(path, f"Invalid object for {path}", code="parameter_invalid_object")
    else:
        _check_scalar(value, tp, path)


def _check_scalar(value, tp, path: str) -> None:
    if not isinstance(value, str):
        raise _fail(path, f"Invalid {path}: expected a single value, not an object or a list")
    if tp is bool and value not in ("true", "false"):
        raise _fail(path, f"Invalid boolean: {value}", code="parameter_invalid_boolean")
    if tp is int and not _INTEGER.match(value):
        raise _fail(path, f"Invalid integer: {value}", code="parameter_invalid_integer")
    if tp is float and not _NUMBER.match(value):
        raise _fail(path, f"Invalid decimal: {value}", code="parameter_invalid_decimal")


def _kind_fits(value, tp) -> bool:
    origin = typing.get_origin(tp)
    if isinstance(value, dict):
        return _is_typeddict(tp) or origin in (dict, typing.Dict) or "UntypedStripeObject" in str(tp)  # noqa: UP006
    if isinstance(value, list):
        return origin in (list, typing.List)  # noqa: UP006
    return not (_is_typeddict(tp) or origin in (list, typing.List, dict, typing.Dict))  # noqa: UP006


def _check_union(value, args, path: str) -> None:
    candidates = [tp for tp in args if _kind_fits(value, tp)]
    if not candidates:
        raise _fail(path, f"Invalid {path}: this value has the wrong shape")
    errors = []
    for tp in candidates:
        try:
            check(value, tp, path)
            return
        except ApiError as exc:
            errors.append((tp, exc))
    if isinstance(value, dict):
        # Of several object shapes (a card or a bank account), report against the one the value names.
        named = [e for tp, e in errors if _is_typeddict(tp) and _names_itself(value, tp)]
        if named:
            raise named[0]
    raise errors[0][1]


def _names_itself(value: dict, tp) -> bool:
    hints, _ = fields(tp)
    literal = hints.get("object")
    return literal is not None and value.get("object") in [str(a) for a in typing.get_args(literal)]


def _check_object(value, tp, path: str) -> None:
    if not isinstance(value, dict):
        raise _fail(path, f"Invalid object for {path}", code="parameter_invalid_object")
    hints, required = fields(tp)
    for key, item in value.items():
        if key not in hints:
            where = _join(path, key)
            raise _fail(where, f"Received unknown parameter: {where}", code="parameter_unknown")
        check(item, hints[key], _join(path, key))
    for key in sorted(required - set(value)):
        where = _join(path, key)
        raise _fail(where, f"Missing required param: {where}.", code="parameter_missing")


def validate(params: dict, params_class) -> None:
    check(params, params_class, "")

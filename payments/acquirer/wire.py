"""Stripe's wire format: form bodies and query strings with bracket nesting in, JSON and Stripe-shaped
errors out.

``a[b][c]=1`` nests, ``a[0]=x`` and ``a[]=x`` make lists (a dict whose keys are all digits becomes a list
in index order, as Stripe reads it). Values stay strings: the schema decides what they must look like.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import parse_qsl

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


class ApiError(Exception):
    """A refusal, shaped like Stripe's ``{"error": {...}}`` with its HTTP status."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str = "",
        param: str = "",
        headers: dict | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type, code, param
        self.headers = headers or {}

    def body(self, request_id: str) -> dict:
        error = {"type": self.type, "message": self.message, "request_log_url": f"local://requests/{request_id}"}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://docs.stripe.com/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        return {"error": error}


def missing(kind: str, value: str, param: str = "id") -> ApiError:
    return ApiError(404, f"No such {kind}: '{value}'", code="resource_missing", param=param)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(18).replace('-', 'A').replace('_', 'B')[:24]}"


def request_id() -> str:
    return new_id("req")


def _listify(value):
    if isinstance(value, dict):
        value = {key: _listify(item) for key, item in value.items()}
        if value and all(key.isdigit() for key in value):
            return [value[key] for key in sorted(value, key=int)]
    elif isinstance(value, list):
        return [_listify(item) for item in value]
    return value


def form_decode(text: str) -> dict:
    """``a[b][0]=x&a[b][1]=y`` → ``{"a": {"b": ["x", "y"]}}``."""
    root: dict = {}
    for raw_key, value in parse_qsl(text, keep_blank_values=True):
        match = _KEY.match(raw_key)
        if not match:
            raise ApiError(400, f"Invalid parameter name: {raw_key}", code="parameter_unknown", param=raw_key)
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            following = None if last else parts[index + 1]
            if part == "":  # a[]=x appends
                if not isinstance(node, list):
                    raise ApiError(400, f"Invalid array parameter: {raw_key}", param=raw_key)
                if last:
                    node.append(value)
                else:
                    node.append({})
                    node = node[-1]
                continue
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if child is None:
                    child = [] if following == "" else {}
                    node[part] = child
                node = child
    return _listify(root)


def flatten(value, prefix: str = "") -> dict:
    """The inverse, for fingerprints and logs: ``{"a": {"b": 1}}`` → ``{"a[b]": 1}``."""
    out: dict = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}[{key}]" if prefix else key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{index}]"))
    else:
        out[prefix] = value
    return out

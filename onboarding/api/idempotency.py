"""``Idempotency-Key`` on every POST: a retried request never acts twice.

- The key, with a SHA-256 of the method, path and body, is stored in the database (``IdempotencyKey``) for
  ``PARTNER_API_IDEMPOTENCY_HOURS`` (24 by default) before the request runs.
- The same key with the same request replays the first answer (status, body, ETag and Location), errors
  included, with ``Idempotent-Replayed: true``. The same key with another request is refused (400,
  ``idempotency_key_reused``). A request arriving while the first still runs gets 409
  (``idempotency_key_in_use``): the unique constraint lets exactly one of them run.
- The writes of the request and the stored answer commit together: an answer is stored exactly when its
  writes are. A 4xx answer rolls its writes back and is stored on its own. A server error stores nothing
  (nothing was written), so the retry runs again. A request that died holding its key is taken over by a
  retry after ``PARTNER_API_IDEMPOTENCY_LOCK_SECONDS``.
- Uploads write their file in their own transaction (onboarding.services.documents): their answer is
  stored right after it commits; so do webhook pings, which call out to the partner's receiver.
- An answer that carries something shown only once (a webhook endpoint's signing secret, an onboarding
  link's URL) names those fields (``sealed``): they are stored encrypted with the personal-data keys
  (``onboarding.crypto``), never in plain text, and decrypted only to replay the answer to the same key.
"""

import hashlib
import json
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from onboarding import crypto
from onboarding.api.errors import BadRequest, Conflict
from onboarding.models import IdempotencyKey

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 255
REPLAYED_HEADERS = ("ETag", "Location")


class IdempotencyKeyInUse(Conflict):
    default_detail = _("A request with this Idempotency-Key is still being processed: retry later.")
    default_code = "idempotency_key_in_use"


def _refused(message, code: str) -> BadRequest:
    return BadRequest(detail=message, code=code)


def _request_hash(request) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    files = getattr(request, "FILES", None) or {}
    if files:
        fields = {key: request.data.getlist(key) for key in request.data if key not in files}
        for name in sorted(files):
            for upload in files.getlist(name):
                content = hashlib.sha256()
                for chunk in upload.chunks():
                    content.update(chunk)
                upload.seek(0)
                fields.setdefault(f"file:{name}", []).append([upload.name, content.hexdigest()])
        body = fields
    else:
        body = request.data
    digest.update(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode())
    return digest.hexdigest()


def _key(request) -> str:
    key = request.headers.get(HEADER, "")
    if not key.strip():
        raise _refused(_("Send an Idempotency-Key header with every POST (a unique value, such as a UUID)."),
                       "idempotency_key_required")  # fmt: skip
    if len(key) > KEY_MAX_LENGTH or not key.isprintable():
        raise _refused(_("The Idempotency-Key must be at most 255 printable characters."), "idempotency_key_invalid")
    return key


def _sealed_body(body, sealed: tuple[str, ...], transform):
    if not sealed or not isinstance(body, dict):
        return body
    return {name: transform(value) if name in sealed and isinstance(value, str) else value
            for name, value in body.items()}  # fmt: skip


def _claim(*, principal, key: str, request_hash: str, sealed: tuple[str, ...]) -> IdempotencyKey | Response:
    """The row this request now holds, or the first answer to replay."""
    now = timezone.now()
    scope = {"partner": principal.partner, "livemode": principal.livemode, "key": key}
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(**scope, request_hash=request_hash, locked_at=now)
        except IntegrityError:
            row = IdempotencyKey.objects.filter(**scope).first()
        if row is None:
            continue  # expired and removed meanwhile
        if row.created_at < now - timedelta(hours=settings.PARTNER_API_IDEMPOTENCY_HOURS):
            IdempotencyKey.objects.filter(pk=row.pk, created_at=row.created_at).delete()
            continue
        if row.request_hash != request_hash:
            raise _refused(
                _("This Idempotency-Key was used for a different request: use a new key for a new request."),
                "idempotency_key_reused",
            )
        if row.state == IdempotencyKey.State.DONE:
            headers = {**row.response_headers, "Idempotent-Replayed": "true"}
            body = _sealed_body(row.response_body, sealed, crypto.decrypt)
            return Response(body, status=row.response_status, headers=headers)
        stale = now - timedelta(seconds=settings.PARTNER_API_IDEMPOTENCY_LOCK_SECONDS)
        if row.locked_at < stale and IdempotencyKey.objects.filter(
            pk=row.pk, state=IdempotencyKey.State.IN_FLIGHT, locked_at=row.locked_at
        ).update(locked_at=now):
            row.locked_at = now
            return row
        raise IdempotencyKeyInUse()
    raise IdempotencyKeyInUse()


def _store(row: IdempotencyKey, response: Response, sealed: tuple[str, ...]) -> None:
    body = json.loads(JSONRenderer().render(response.data)) if response.data is not None else None
    body = _sealed_body(body, sealed, crypto.encrypt)
    headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
    IdempotencyKey.objects.filter(pk=row.pk).update(
        state=IdempotencyKey.State.DONE, response_status=response.status_code, response_body=body,
        response_headers=headers,
    )  # fmt: skip


def run_idempotent(*, request, view, perform, atomic: bool = True, sealed: tuple[str, ...] = ()) -> Response:
    """Run ``perform()`` (the POST's work, returning a Response) at most once per Idempotency-Key;
    ``sealed``: the answer's top-level fields that are kept encrypted."""
    key = _key(request)
    claimed = _claim(principal=request.user, key=key, request_hash=_request_hash(request), sealed=sealed)
    if isinstance(claimed, Response):
        return claimed
    stored = False
    try:
        with transaction.atomic() if atomic else nullcontext():
            try:
                response = perform()
            except Exception as exc:
                response = view.handle_exception(exc)
            if status.is_client_error(response.status_code) and atomic:
                transaction.set_rollback(True)
            elif status.is_success(response.status_code):
                _store(claimed, response, sealed)
                stored = True
    except BaseException:
        IdempotencyKey.objects.filter(pk=claimed.pk, state=IdempotencyKey.State.IN_FLIGHT).delete()
        raise
    if status.is_server_error(response.status_code):
        IdempotencyKey.objects.filter(pk=claimed.pk).delete()
    elif not stored:
        _store(claimed, response, sealed)
    return response

"""One exception handler for the partner API: domain errors and DRF's own in one shape,
``{"type": …, "errors": [{"code", "detail", "attr"}]}`` (drf-standardized-errors).

A ``ValidationFailed`` keeps the services' field paths as ``attr`` unchanged (``parties[1].date_of_birth``,
the format of the requirements' paths); its overall message comes first, with no ``attr``."""

from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions, status

from onboarding.api.section_serializers import path_to_api
from onboarding.errors import ConcurrentChange, DomainError, InvalidTransition, ValidationFailed
from onboarding.errors import PermissionDenied as DomainPermissionDenied


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the object's current state.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The object changed since you read it (If-Match does not match its ETag): read it again.")
    default_code = "precondition_failed"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"


def validation_error(exc: ValidationFailed) -> exceptions.ValidationError:
    detail: dict = {}
    if exc.message:
        detail["non_field_errors"] = [exceptions.ErrorDetail(str(exc.message), code=exc.code)]
    for path, messages in exc.fields.items():
        messages = [messages] if isinstance(messages, str) else messages
        detail[path_to_api(path)] = [exceptions.ErrorDetail(str(message), code="invalid") for message in messages]
    return exceptions.ValidationError(detail)


class PartnerExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, ValidationFailed):
            return validation_error(exc)
        if isinstance(exc, (InvalidTransition, ConcurrentChange)):
            return Conflict(detail=exc.message, code=exc.code)
        if isinstance(exc, DomainPermissionDenied):
            return exceptions.PermissionDenied(detail=exc.message, code=exc.code)
        if isinstance(exc, DomainError):
            return BadRequest(detail=exc.message, code=exc.code)
        return super().convert_known_exceptions(exc)

    def format_exception(self, exc: exceptions.APIException) -> dict:
        data = super().format_exception(exc)
        for error in data["errors"]:
            if error.get("attr") == NON_FIELD:
                error["attr"] = None
        return data


NON_FIELD = "non_field_errors"

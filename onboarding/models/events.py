"""The append-only event log: every change, about any subject, with its actor and visibility.

On PostgreSQL two triggers guard the table: one refuses UPDATE and DELETE of any row, one refuses TRUNCATE.
The only way past is a DELETE inside the retention purge (``manage.py purge_events``), which opens a gate
for its own transaction: it sets ``PURGE_SETTING`` transaction-locally to ``PURGE_GATE``, a value naming
that one transaction (its id and its start time), and the trigger compares the two. A value left on a
session (``SET``, or a pooled connection) was set before the later transaction began and cannot name
it, so it opens nothing. Neither does ``pgtrigger.ignore()``: these triggers are compiled without the
ignore check that django-pgtrigger puts in front of every trigger it generates. The owner of the table
could still drop a trigger; that is why the app connects as a role that owns nothing and may only read
and append events (``manage.py grant_app_role``, README "Database roles").
"""

import pgtrigger
from django.conf import settings
from django.db import models
from pgtrigger import compiler

from onboarding.ids import PublicIdField

PURGE_SETTING = "portal.event_purge"
# Functions are schema-qualified so that no search_path can put others in their place.
PURGE_GATE = "pg_catalog.txid_current()::text || '@' || (EXTRACT(EPOCH FROM pg_catalog.transaction_timestamp()))::text"


class UnignorableTriggerSql(compiler.UpsertTriggerSql):
    """django-pgtrigger's installation SQL without its ignore check: the function runs its body, always."""

    def get_template(self) -> str:
        return """
            CREATE OR REPLACE FUNCTION {pgid}()
            RETURNS TRIGGER AS $$
                {declare}
                BEGIN
                    {func}
                END;
            $$ LANGUAGE plpgsql;

            DROP TRIGGER IF EXISTS {pgid} ON {table};
            CREATE {constraint} TRIGGER {pgid}
                {when} {operation} ON {table}
                {timing}
                {referencing}
                FOR EACH {level} {condition}
                EXECUTE PROCEDURE {execute};

            COMMENT ON TRIGGER {pgid} ON {table} IS '{hash}';
        """


class UnignorableTrigger(pgtrigger.Trigger):
    """A trigger declared like any other (migrations carry it) that ``pgtrigger.ignore()`` cannot switch off."""

    def compile(self, model: models.Model) -> compiler.Trigger:
        compiled = super().compile(model)
        return compiler.Trigger(name=self.name, sql=UnignorableTriggerSql(**compiled.sql.kwargs))


APPEND_ONLY_FUNC = (
    f"IF TG_OP = 'DELETE' AND pg_catalog.current_setting('{PURGE_SETTING}', true) = ({PURGE_GATE}) THEN "
    "RETURN OLD; END IF; "
    "RAISE EXCEPTION 'the event log is append-only: % refused outside the retention purge', TG_OP;"
)
NO_TRUNCATE_FUNC = "RAISE EXCEPTION 'the event log is append-only: TRUNCATE refused';"


class Event(models.Model):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", "Internal"
        # Also shown to the merchant and the partner, through the neutral reason-code text.
        SHARED = "shared", "Shown to merchant and partner"

    class ActorType(models.TextChoices):
        USER = "user", "User"
        PARTNER = "partner", "Partner"
        SYSTEM = "system", "System"

    public_id = PublicIdField(prefix="evt")
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_type = models.CharField(max_length=8, choices=ActorType.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_partner = models.ForeignKey(
        "onboarding.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True, help_text="The system process, for system actors")
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=40, help_text="The subject's public id")
    # The case the event belongs to; subjects with events cannot be deleted.
    application = models.ForeignKey(
        "onboarding.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    merchant = models.ForeignKey(
        "onboarding.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    partner = models.ForeignKey(
        "onboarding.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(max_length=60)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    reason_code = models.CharField(max_length=60, blank=True)
    details = models.JSONField(default=dict, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.INTERNAL)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        triggers = [
            UnignorableTrigger(
                name="append_only",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=APPEND_ONLY_FUNC,
            ),
            UnignorableTrigger(
                name="no_truncate",
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                func=NO_TRUNCATE_FUNC,
            ),
        ]

    def __str__(self) -> str:
        arrow = f" {self.from_state}→{self.to_state}" if self.to_state else ""
        return f"{self.subject_id} {self.action}{arrow}"

    @property
    def actor_display(self) -> str:
        if self.actor_type == self.ActorType.USER and self.actor_user_id:
            return self.actor_user.get_username()
        if self.actor_type == self.ActorType.PARTNER and self.actor_partner_id:
            return self.actor_partner.name
        return self.actor_label or self.actor_type

    @property
    def public_text(self) -> str:
        from onboarding.reason_codes import public_text

        return public_text(self.reason_code, self.to_state)

"""What a person chose for themselves on the merchant site: for now, the language of its pages.

One row per user at most. The language is one of ``settings.LANGUAGES`` when written through
``onboarding.accounts.user_language_save``; a code no longer offered is ignored when read.
"""

from django.conf import settings
from django.db import models


class UserPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    #: a code of settings.LANGUAGES (``en``, ``zh-hans``)
    language = models.CharField(max_length=16)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "user preference"

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"

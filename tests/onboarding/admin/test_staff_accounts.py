"""Administrators run staff accounts: they give others their roles (each change an event naming who
changed what), never change their own groups or status, never make a superuser, never touch a superuser's
account, and hold none of the review's rights."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from onboarding.errors import PermissionDenied
from onboarding.models import Event
from onboarding.roles import ADMINISTRATOR, COMPLIANCE_OFFICER, SENIOR_COMPLIANCE_OFFICER, SUPPORT
from onboarding.services.actors import Actor
from onboarding.services.staff_accounts import OWN_ACCESS_REFUSED, Access, user_access_update
from tests.factories import UserFactory, officer
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


def change_url(user) -> str:
    return f"/admin/auth/user/{user.pk}/change/"


def form_data(user, groups: list[str], **flags) -> dict:
    data = {"username": user.username, "email": user.email, "first_name": "", "last_name": "",
            "groups": [Group.objects.get(name=name).pk for name in groups]}  # fmt: skip
    for flag in ("is_active", "is_staff", "is_superuser"):
        if flags.get(flag, getattr(user, flag)):
            data[flag] = "on"
    return data


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_an_administrator_gives_another_staff_member_a_role_and_the_change_is_an_event(client):
    administrator, colleague = officer(ADMINISTRATOR), officer(SUPPORT)
    staff_login(client, administrator)
    saved = client.post(change_url(colleague), form_data(colleague, [COMPLIANCE_OFFICER]))
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert group_names(colleague) == {COMPLIANCE_OFFICER}
    event = Event.objects.get(subject_type="user", subject_id=str(colleague.pk), action="staff_access_changed")
    assert event.actor_user == administrator and event.visibility == Event.Visibility.INTERNAL
    assert event.details["from"]["groups"] == [SUPPORT] and event.details["to"]["groups"] == [COMPLIANCE_OFFICER]


def test_an_administrator_cannot_change_their_own_groups_or_status(client):
    administrator = officer(ADMINISTRATOR)
    staff_login(client, administrator)
    page = client.get(change_url(administrator))
    body = page.content.decode()
    assert page.status_code == 200 and OWN_ACCESS_REFUSED in body
    assert 'name="groups"' not in body and 'name="is_staff"' not in body and 'name="is_superuser"' not in body

    posted = client.post(
        change_url(administrator),
        {
            **form_data(administrator, [ADMINISTRATOR, SENIOR_COMPLIANCE_OFFICER], is_superuser=True),
            "first_name": "Ada",
        },
    )
    assert posted.status_code == 302
    administrator.refresh_from_db()
    assert administrator.first_name == "Ada"  # the rest of the account is theirs to keep up to date
    assert group_names(administrator) == {ADMINISTRATOR} and not administrator.is_superuser
    assert not Event.objects.filter(action="staff_access_changed").exists()


def test_the_service_refuses_a_change_of_ones_own_access_whatever_the_caller():
    administrator = officer(ADMINISTRATOR)
    wanted = Access(is_active=True, is_staff=True, is_superuser=False, groups=frozenset({SENIOR_COMPLIANCE_OFFICER}))
    with pytest.raises(PermissionDenied, match="your own groups"):
        user_access_update(actor=Actor.for_user(administrator), user=administrator, wanted=wanted)
    assert group_names(administrator) == {ADMINISTRATOR}


def test_only_a_superuser_makes_a_superuser_or_edits_one(client):
    administrator, colleague = officer(ADMINISTRATOR), officer(SUPPORT)
    wanted = Access(is_active=True, is_staff=True, is_superuser=True, groups=frozenset({SUPPORT}))
    with pytest.raises(PermissionDenied, match="superuser"):
        user_access_update(actor=Actor.for_user(administrator), user=colleague, wanted=wanted)

    staff_login(client, administrator)
    client.post(change_url(colleague), form_data(colleague, [SUPPORT], is_superuser=True))
    colleague.refresh_from_db()
    assert not colleague.is_superuser
    root = UserFactory(is_staff=True, is_superuser=True)
    shown = client.get(change_url(root))
    assert shown.status_code == 200 and 'name="username"' not in shown.content.decode()  # read-only
    assert client.post(change_url(root), form_data(root, [SUPPORT], is_active=False)).status_code == 403
    assert client.get(f"/admin/auth/user/{root.pk}/password/").status_code == 403


def test_an_administrator_holds_no_right_of_the_review():
    perms = officer(ADMINISTRATOR).get_all_permissions()
    assert not perms & {
        "onboarding.review_application",
        "onboarding.second_approve_application",
        "onboarding.reveal_personal_data",
        "auth.change_group",
        "auth.change_permission",
    }
    assert not any(perm.startswith(("sanctions.", "payments.")) for perm in perms)
    assert not any(perm.endswith(("_application", "_checkresult", "_riskruleset", "_decisionpolicy")) for perm in perms)


def test_an_account_made_in_the_admin_is_a_staff_account_without_a_role(client):
    administrator = officer(ADMINISTRATOR)
    staff_login(client, administrator)
    passphrase = "a-long-new-passphrase"
    made = client.post("/admin/auth/user/add/", {"username": "new.officer@example.com", "usable_password": "true",
                                                  "password1": passphrase, "password2": passphrase})  # fmt: skip
    assert made.status_code == 302, made.content.decode()[:3000]
    user = get_user_model().objects.get(username="new.officer@example.com")
    assert user.is_staff and user.is_active and not user.is_superuser and group_names(user) == set()
    event = Event.objects.get(subject_type="user", subject_id=str(user.pk), action="staff_access_changed")
    assert event.actor_user == administrator and event.details["to"]["is_staff"] is True


def test_a_merchants_account_is_read_only_to_an_administrator(client):
    merchant = UserFactory()
    staff_login(client, officer(ADMINISTRATOR))
    shown = client.get(change_url(merchant))
    assert shown.status_code == 200 and 'name="email"' not in shown.content.decode()
    assert client.post(change_url(merchant), form_data(merchant, [], is_staff=True)).status_code == 403
    assert client.get(f"/admin/auth/user/{merchant.pk}/password/").status_code == 403
    merchant.refresh_from_db()
    assert not merchant.is_staff

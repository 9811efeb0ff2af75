"""How tests sign a staff member in to the admin."""


def staff_login(client, user) -> None:
    client.force_login(user)

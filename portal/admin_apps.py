"""Django's admin app with the portal's site (``portal.admin_site``) in place of the default one. Kept apart
from the site because INSTALLED_APPS imports it before any model can be."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"

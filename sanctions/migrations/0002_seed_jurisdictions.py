"""Seed the embargoed-jurisdictions table from sanctions/jurisdictions.py (values copied here, so the
migration keeps its meaning when the module changes), with the ended Syria program."""

from datetime import date

from django.db import migrations

SOURCE = (
    "OFAC Sanctions Programs and Country Information; 31 CFR 515 (Cuba), 31 CFR 560 (Iran), "
    "31 CFR 510 (North Korea), E.O. 13685 (Crimea), E.O. 14065 (DNR/LNR regions of Ukraine)"
)
AS_OF = date(2025, 7, 1)
ROWS = [
    ("CU", "Cuba", "CU", "CUBA", "Cuban Assets Control Regulations, 31 CFR part 515", "1963-07-08", None, ""),
    ("IR", "Iran", "IR", "IRAN", "Iranian Transactions and Sanctions Regulations, 31 CFR part 560", "1995-05-06",
     None, ""),
    ("KP", "North Korea", "KP", "DPRK", "North Korea Sanctions Regulations, 31 CFR part 510; E.O. 13722",
     "2016-03-15", None, ""),
    ("UA-CRIMEA", "Crimea region of Ukraine", "", "UKRAINE-EO13685", "Executive Order 13685", "2014-12-19", None,
     "Found from addresses and places, not from the code UA."),
    ("UA-DNR", "So-called Donetsk People's Republic region of Ukraine", "", "UKRAINE-EO14065",
     "Executive Order 14065", "2022-02-21", None, "Found from addresses and places, not from the code UA."),
    ("UA-LNR", "So-called Luhansk People's Republic region of Ukraine", "", "UKRAINE-EO14065",
     "Executive Order 14065", "2022-02-21", None, "Found from addresses and places, not from the code UA."),
    ("SY", "Syria", "SY", "SYRIA", "Syrian Sanctions Regulations, 31 CFR part 542", "2004-05-11", "2025-07-01",
     "Comprehensive embargo ended by E.O. 14312 effective 1 July 2025; individual designations remain on the "
     "SDN list."),
]


def seed(apps, schema_editor):
    model = apps.get_model("sanctions", "EmbargoedJurisdiction")
    for key, name, code, program, basis, since, ended, note in ROWS:
        model.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "country_code": code,
                "program": program,
                "legal_basis": basis,
                "since": date.fromisoformat(since),
                "ended": date.fromisoformat(ended) if ended else None,
                "source": SOURCE + ("; E.O. 14312 (Syria)" if key == "SY" else ""),
                "as_of": AS_OF,
                "note": note,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("sanctions", "EmbargoedJurisdiction").objects.filter(key__in=[r[0] for r in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

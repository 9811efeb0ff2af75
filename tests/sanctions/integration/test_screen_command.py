"""The ``screen`` command: one name, a CSV batch, a pairwise comparison; exit 0 with or without hits."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def screen(*args) -> str:
    out = StringIO()
    call_command("screen", *args, stdout=out)
    return out.getvalue()


def test_one_name_as_json(fresh_list):
    lines = [json.loads(line) for line in screen("Daniel Moreno", "--dob", "1972-10-12", "--json").splitlines()]
    assert lines[0]["uid"] == 15102 and lines[0]["score"] == 1.0 and lines[0]["type"] == "individual"
    assert lines[0]["programs"] == ["SDNTK"] and lines[0]["reasons"]
    assert screen("Wen Zhao", "--json") == ""
    assert "0 hit(s)" in screen("Wen Zhao")
    assert "MORENO, Daniel" in screen("Daniel Moreno")


def test_a_csv_batch_gives_one_object_per_row(fresh_list, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name,type,dob,country\nDaniel Moreno,person,1972-10-12,\nSuex OTC,business,,\nWen Zhao,,,US\n")
    rows = [json.loads(line) for line in screen("--file", str(names), "--json").splitlines()]
    assert [r["query"] for r in rows] == ["Daniel Moreno", "Suex OTC", "Wen Zhao"]
    assert [r["type"] for r in rows] == ["person", "business", "person"]
    assert [[h["uid"] for h in r["hits"]] for r in rows] == [[15102], [33151], []]


def test_compare_prints_the_pairwise_score(db):
    assert screen("--compare", "Osama bin Laden", "USAMA BIN LADIN").startswith("0.")
    assert float(screen("--compare", "Daniel Moreno", "MORENO, Daniel").split()[0]) == 1.0

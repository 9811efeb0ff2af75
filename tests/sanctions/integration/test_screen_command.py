"""The ``screen`` command: one name, a CSV batch, a pairwise comparison; exit 0 with or without hits."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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
    assert [r["type"] for r in rows] == ["person", "business", "any"]
    assert [[h["uid"] for h in r["hits"]] for r in rows] == [[15102], [33151], []]


def test_a_row_without_a_type_is_screened_as_a_person_and_as_a_business(fresh_list, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name,dob\nSuex OTC,\nDaniel Moreno,1972-10-12\n")
    rows = [json.loads(line) for line in screen("--file", str(names), "--json").splitlines()]
    assert [r["type"] for r in rows] == ["any", "any"]
    suex, moreno = rows
    assert [(h["uid"], h["screened_as"], h["type"]) for h in suex["hits"]] == [(33151, "business", "entity")]
    assert (moreno["hits"][0]["uid"], moreno["hits"][0]["screened_as"]) == (15102, "person")


def test_type_restricts_rows_without_a_type(fresh_list, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name\nSuex OTC\n")
    as_person = [json.loads(line) for line in screen("--file", str(names), "--type", "person", "--json").splitlines()]
    as_business = [json.loads(line) for line in screen("--file", str(names), "--type", "business").splitlines()]
    assert as_person[0]["type"] == "person" and as_person[0]["hits"] == []
    assert as_business[0]["type"] == "business" and [h["uid"] for h in as_business[0]["hits"]] == [33151]


def test_compare_prints_the_pairwise_score(db):
    assert screen("--compare", "Osama bin Laden", "USAMA BIN LADIN").startswith("0.")
    assert float(screen("--compare", "Daniel Moreno", "MORENO, Daniel").split()[0]) == 1.0


def test_a_file_that_is_not_utf8_is_a_one_line_error(fresh_list, tmp_path):
    names = tmp_path / "names.csv"
    names.write_bytes("name,type\nJos\u00e9 Mar\u00eda Moreno,person\n".encode("utf-16"))
    with pytest.raises(CommandError, match=r"names.csv is not UTF-8 text .*save it as UTF-8\.$") as failure:
        screen("--file", str(names), "--json")
    assert "\n" not in str(failure.value)


def test_a_missing_file_is_a_one_line_error(fresh_list, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere.csv: no such file\.$"):
        screen("--file", str(tmp_path / "nowhere.csv"))


def test_a_field_over_the_csv_limit_is_a_one_line_error(fresh_list, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name,type\nDaniel Moreno,person\n" + "x" * 131_073 + ",person\n")
    with pytest.raises(CommandError, match=r"names.csv, line 3: a field is longer than 131,072 characters\.$"):
        screen("--file", str(names), "--json")

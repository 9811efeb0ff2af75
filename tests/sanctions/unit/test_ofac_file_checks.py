"""Files that are not to the letter of OFAC's specification are named with their problem and not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctions import ofac

DATA = Path(__file__).resolve().parents[2] / "data" / "ofac"
ROW = b'15102,"MORENO, Daniel","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 12 Oct 1972."\r\n'


@pytest.mark.parametrize("path", sorted(DATA.glob("*/*.csv")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_real_file_is_to_the_specification(path):
    assert ofac.file_problem(path.name, path.read_bytes()) is None


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("sdn.csv", b"<!DOCTYPE html><html><body>Down for maintenance</body></html>", "is an HTML page"),
        ("sdn.csv", b"\r\n  <html lang='en'>\r\n<body>503</body></html>", "is an HTML page"),
        ("add.csv", b"", "is empty"),
        ("alt.csv", b"\r\n\x1a", "is empty"),
        (
            "sdn.csv",
            b"ent_num,SDN_name,SDN_type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,"
            b"Remarks\r\n\x1a",
            "holds no data rows",
        ),
        ("sdn.csv", ROW.decode().encode("utf-16"), "holds NUL bytes: it is UTF-16"),
        ("sdn.csv", ROW.decode().encode("utf-16-le"), "holds NUL bytes"),
        ("sdn.csv", ROW + b'15103,"DOE, J\x00ohn"\r\n', "holds NUL bytes"),
        ("sdn.csv", ROW.replace(b"Daniel", b"Dan\x07iel"), "control character 0x07 on line 1"),
        ("sdn.csv", ROW + ROW[:70], "line 2 has 10 fields; the specification has 12"),
        ("sdn.csv", ROW + ROW[:-8], "line 2 ends inside a quoted field: the file is cut short"),
        ("sdn.csv", ROW.replace(b"15102,", b"1510x,"), "ent_num '1510x' is not an integer"),
        ("add.csv", b'15102,-0- ,-0- ,"Belize City","Belize",-0- \r\n', "Add_num '-0-' is not an integer"),
        ("alt.csv", b'15102,1,"aka","MORENO, Dan",-0- ,extra\r\n', "line 1 has 6 fields; the specification has 5"),
        ("sdn_comments.csv", b'15102,"' + b"x" * 131_073 + b'"\r\n', "a field is longer than 131,072 characters"),
        ("sdn.csv", ROW + b"\x1a" + ROW, "control character 0x1a on line 2"),
        ("sdn.csv", b"\x81\x8d\x8f\x90\x9d" + ROW, "is not ASCII text"),
    ],
)
def test_a_broken_file_is_named_with_its_problem(name, data, problem):
    found = ofac.file_problem(name, data)
    assert found is not None and problem in found


def test_a_header_row_and_the_final_ctrl_z_line_are_to_the_specification():
    header = b"ent_num,SDN_name,SDN_type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\r\n"
    assert ofac.file_problem("sdn.csv", header + ROW + b"\x1a") is None
    assert ofac.file_problem("SDN.CSV", ROW) is None  # OFAC's own upper-case name
    assert ofac.file_problem("sdn.csv", ROW + header) is not None  # a header is only the first row


def test_a_broken_file_is_recorded_and_not_read():
    listed = ofac.load_files({"sdn.csv": ROW + ROW[:-8], "add.csv": b'15102,1,-0- ,-0- ,"Belize",-0- \r\n'})
    assert listed.problems == {"sdn.csv": "line 2 ends inside a quoted field: the file is cut short"}
    assert listed.files["sdn.csv"].supplied and listed.files["sdn.csv"].rows == 0
    assert len(listed) == 0 and listed.files["add.csv"].orphan_rows == 1

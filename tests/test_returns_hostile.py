"""A reply is untrusted input: a file that would unpack past a documented limit, or whose XML
declares entities, is refused before it is read, naming the limit; markup in a label is words the
reader cannot account for, never a count's label."""
from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from returns_helpers import write_xlsx
from unallocated.errors import ReturnReadError
from unallocated.returns import read_returns
from unallocated.returns import files as loader


def _bomb(path, unpacked_mb: int) -> None:
    """An xlsx-shaped zip whose one sheet unpacks to `unpacked_mb` MB of spaces (a few hundred kB zipped)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b" " * 2**20
            for _ in range(unpacked_mb):
                part.write(chunk)


def test_a_zip_bomb_is_refused_before_it_is_read_naming_the_limit(tmp_path):
    path = tmp_path / "bexley.xlsx"
    _bomb(path, loader.MAX_UNZIPPED_BYTES // 2**20 + 10)
    assert path.stat().st_size < 2 * 2**20  # small on disk
    tracemalloc.start()
    with pytest.raises(ReturnReadError, match=r"unpacks to 2\d\d MB, more than the 200 MB a reply is allowed"):
        loader.load_file(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 2**20  # the directory was read, never the sheet
    res = read_returns(tmp_path, reference=None)
    assert list(res.files["outcome"]) == ["not_read"] and "200 MB" in res.files["reason"].iloc[0]


def test_xml_that_declares_entities_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "barking.xlsx", {"Return": [["Case type", "Unallocated"], ["Child protection", 3]]})
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/"))
    body = parts[sheet].split(b"?>", 1)[-1]  # after an XML declaration, if the writer made one
    parts[sheet] = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>' + body
    with zipfile.ZipFile(path, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    with pytest.raises(ReturnReadError, match="declares a document type or entities"):
        loader.load_file(path)


def test_a_file_too_large_is_refused_naming_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "havering.csv"
    path.write_text("Case type,Unallocated\n" + "Child protection,3\n" * 200)
    with pytest.raises(ReturnReadError, match="more than the 0 MB a reply is allowed"):
        loader.load_file(path)


def test_markup_in_a_label_is_words_the_reader_cannot_account_for(tmp_path):
    path = tmp_path / "hounslow.csv"
    path.write_text('Case type,Unallocated\n"Child protection <img src=x onerror=alert(1)>",3\n')
    res = read_returns(path, reference=None)
    assert res.returns["count"].isna().all()  # kept as a row with no number
    problem = res.issues.loc[res.issues["cell"] == "B2", "problem"].iloc[0]
    assert "'img', 'src', 'onerror', 'alert'" in problem


def test_the_limits_are_far_above_a_real_reply():
    # a council's workbook or letter is a few hundred kilobytes; the limits leave two orders of magnitude
    assert loader.MAX_FILE_BYTES >= 20 * 2**20 and loader.MAX_UNZIPPED_BYTES >= 100 * 2**20


def test_a_fault_in_the_reader_on_one_file_never_stops_the_others(tmp_path, monkeypatch):
    from returns_helpers import write_csv
    from unallocated.returns import reader

    write_csv(tmp_path / "leeds.csv", [["Leeds City Council, 30/09/2010"], ["Case type", "Unallocated"],
                                       ["Child protection", 3]])
    write_csv(tmp_path / "york.csv", [["City of York Council, 30/09/2010"], ["Case type", "Unallocated"],
                                      ["Child protection", 1]])
    real = reader._read_file

    def faulty(path, *args, **kwargs):
        if path.name == "leeds.csv":
            raise IndexError("list assignment index out of range")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(reader, "_read_file", faulty)
    res = reader.read_returns(tmp_path, reference=None)
    assert set(res.returns["source"].str.split("!").str[0]) == {"york.csv"}  # York still read
    leeds = res.files.set_index("file").loc["leeds.csv"]
    assert leeds["outcome"] == "not_read" and "a fault in the reader" in leeds["reason"]

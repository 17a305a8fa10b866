"""Reading a class's submissions (no grading): every entry, however damaged, hostile or oddly
named, becomes exactly one row, with its files or the reason it cannot be graded."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from grader import course
from grader.errors import UsageError
from grader.grade.submissions import MAX_FILE_BYTES, MAX_MEMBERS, _why, discover, printable, read_entry, student_id

C1, C5 = course.exercise_by_id("c1"), course.exercise_by_id("c5")
EXERCISES = [C1, C5]


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_an_exact_file_name_is_taken_and_a_longer_one_is_not(tmp_path):
    (tmp_path / "s1").mkdir()
    (tmp_path / "s1" / f"my_{C5.file}").write_text("mine")
    (tmp_path / "s1" / f"{C5.file}.bak").write_text("backup")
    assert read_entry(tmp_path / "s1", EXERCISES).problems["*"].startswith("holds none of the exercise files")
    (tmp_path / "s1" / "work").mkdir()
    (tmp_path / "s1" / "work" / C5.file).write_text("the one")
    entry = read_entry(tmp_path / "s1", EXERCISES)
    assert (entry.files, entry.problems) == ({"c5": b"the one"}, {})


@pytest.mark.parametrize("name", ["s2.ZIP", "s2.Zip", "s2.zip"])
def test_a_zip_is_a_zip_whatever_the_case_of_its_suffix(tmp_path, name):
    entry = read_entry(zipped(tmp_path / name, {f"w/{C1.file}": b"one", f"w\\{C5.file}": b"five"}), EXERCISES)
    assert (entry.student, entry.files, entry.problems) == ("s2", {"c1": b"one", "c5": b"five"}, {})


def test_a_truncated_zip_gets_a_row_of_its_own(tmp_path):
    whole = zipped(tmp_path / "s3.zip", {C5.file: b"x = 1\n" * 100}).read_bytes()
    (tmp_path / "s3.zip").write_bytes(whole[:len(whole) // 2])
    entry = read_entry(tmp_path / "s3.zip", EXERCISES)
    assert entry.student == "s3" and entry.files == {} and entry.problems["*"].startswith("s3.zip cannot be read: File is not a zip file")


def test_a_damaged_member_costs_its_own_file(tmp_path):
    blob = bytearray(zipped(tmp_path / "s4.zip", {C5.file: b"def f():\n    return 1\n" * 50,
                                                  C1.file: b"fine"}).read_bytes())
    blob[40:60] = b"\xff" * 20  # inside the first member's compressed bytes
    (tmp_path / "s4.zip").write_bytes(bytes(blob))
    entry = read_entry(tmp_path / "s4.zip", EXERCISES)
    assert entry.files == {"c1": b"fine"} and entry.problems["c5"].startswith(f"{C5.file} cannot be read: ")


def test_an_oversized_member_gets_its_reason_and_never_stops_the_rest(tmp_path):
    entry = read_entry(zipped(tmp_path / "s5.zip", {C5.file: b"#" * (MAX_FILE_BYTES + 1), C1.file: b"ok"}),
                       EXERCISES)
    assert entry.files == {"c1": b"ok"} and entry.problems == {"c5": f"{C5.file} is empty or larger than 1 MiB"}
    (tmp_path / "s6").mkdir()
    (tmp_path / "s6" / C5.file).write_bytes(b"#" * MAX_FILE_BYTES)  # exactly the limit is allowed
    assert read_entry(tmp_path / "s6", EXERCISES).files == {"c5": b"#" * MAX_FILE_BYTES}


def test_an_encrypted_member_costs_its_own_file(tmp_path):
    path = zipped(tmp_path / "s7.zip", {C5.file: b"secret", C1.file: b"open"})
    blob = bytearray(path.read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the first member of each table
        blob[blob.find(signature) + flags] |= 1
    path.write_bytes(bytes(blob))
    entry = read_entry(path, EXERCISES)
    assert entry.files == {"c1": b"open"}
    assert entry.problems == {"c5": f"{C5.file} cannot be read: it is encrypted (a password-protected zip): "
                                    "zip it again without a password"}


def test_names_in_other_encodings_are_escaped_one_to_one():
    assert printable("s01") == "s01" and printable("Zoë Ünal") == "Zoë Ünal"
    assert printable(os.fsdecode(b"caf\xe9")) == "caf\\xe9" and printable(os.fsdecode(b"\x80\xff")) == "\\x80\\xff"
    assert printable("tab\there\x1b[31m") == "tab\\there\\x1b[31m"
    assert printable("rtl\u202etxt") == "rtl\\u202etxt"
    assert printable("a\\xe9") == "a\\\\xe9" != printable(os.fsdecode(b"a\xe9"))  # a backslash is doubled
    assert printable("\ud800") == "\\ud800"


def test_a_folder_name_that_is_not_utf8_gets_its_row_and_a_note(tmp_path):
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    folder.mkdir()
    (folder / C5.file).write_text("x = 1")
    (entry,) = discover(tmp_path, EXERCISES)
    assert (entry.student, entry.files, entry.problems) == ("caf\\xe9", {"c5": b"x = 1"}, {})
    assert entry.student.encode("utf-8") and "shown as caf\\xe9" in entry.notes[0]
    assert student_id(tmp_path / "s1.zip") == "s1" and read_entry(tmp_path / "ok", EXERCISES).notes == ()


def test_zip_member_names_are_shown_printable(tmp_path):
    path = tmp_path / "s8.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("a\x1b[2J/" + C5.file, "b/" + C5.file):
            archive.writestr(name, b"x")
    entry = read_entry(path, EXERCISES)
    assert entry.problems == {"c5": f"2 files are named {C5.file} (a\\x1b[2J/{C5.file}, b/{C5.file}): keep one"}


def test_a_zip_made_under_another_locale_is_read(tmp_path):
    path = zipped(tmp_path / "s10.zip", {f"ABCD/{C5.file}": b"x = 1"})
    path.write_bytes(path.read_bytes().replace(b"ABCD", "課題".encode("cp932")))  # Shift-JIS, no UTF-8 flag
    entry = read_entry(path, EXERCISES)
    assert (entry.files, entry.problems) == ({"c5": b"x = 1"}, {})


def test_a_zip_whose_names_claim_utf8_but_are_not_gets_its_row(tmp_path):
    path = zipped(tmp_path / "s9.zip", {"x" + C5.file: b"x"})
    blob = path.read_bytes().replace(b"x" + C5.file.encode(), b"\xff" + C5.file.encode())
    blob = bytearray(blob)
    for signature, flags in ((b"PK\x03\x04", 7), (b"PK\x01\x02", 9)):
        blob[blob.find(signature) + flags] |= 0x08  # bit 11: names are UTF-8
    path.write_bytes(bytes(blob))
    entry = read_entry(path, EXERCISES)
    assert entry.problems == {"*": "s9.zip cannot be read: its file names are not valid UTF-8, although the zip says they are"}


def test_entries_standing_for_one_id_become_one_row_that_says_so(tmp_path):
    (tmp_path / "s1").mkdir()
    (tmp_path / "s1" / C5.file).write_text("x")
    zipped(tmp_path / "s1.ZIP", {C5.file: b"y"})
    (tmp_path / "s2").mkdir()
    (tmp_path / "s2" / C5.file).write_text("z")
    rows = discover(tmp_path, EXERCISES)
    assert [(r.student, r.files) for r in rows] == [("s1", {}), ("s2", {"c5": b"z"})]
    assert rows[0].problems == {"*": "2 entries stand for the id s1 (s1, s1.ZIP): keep one"}


def test_odd_entries_get_rows_and_an_empty_folder_is_refused(tmp_path):
    (tmp_path / "stray.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "__MACOSX").mkdir()
    rows = {r.student: r.problems for r in discover(tmp_path, EXERCISES)}
    assert rows == {"empty": {"*": "the submission is empty"}, "stray.txt": {"*": "stray.txt is neither a folder nor a .zip"}}
    with pytest.raises(UsageError, match="holds no submissions"):
        discover(tmp_path / "empty", EXERCISES)


def test_links_hidden_files_tool_folders_and_folders_named_like_a_file_are_not_taken(tmp_path):
    entry = tmp_path / "s1"
    for name in (f".hidden/{C5.file}", f"__MACOSX/{C5.file}", f".git/{C1.file}"):
        (entry / name).parent.mkdir(parents=True, exist_ok=True)
        (entry / name).write_text("not this")
    (entry / "work" / C1.file).mkdir(parents=True)  # a folder, not a file
    (entry / "w").mkdir()
    (entry / "w" / C5.file).symlink_to(C5.reference_path)
    assert read_entry(entry, EXERCISES).problems == {
        "c5": f"w/{C5.file} is a symbolic link, which is not followed: submit the file itself"}
    shutil.rmtree(entry / "w")
    assert read_entry(entry, EXERCISES).problems == {"*": "the submission is empty"}
    (entry / "notes.txt").write_text("hi")
    assert read_entry(entry, EXERCISES).problems == {
        "*": f"holds none of the exercise files ({C1.file}, {C5.file}); found notes.txt"}


def test_a_link_stored_in_a_zip_is_named_and_never_followed(tmp_path):
    link = zipfile.ZipInfo(f"w/{C5.file}")
    link.create_system, link.external_attr = 3, (0o120777 << 16)
    with zipfile.ZipFile(tmp_path / "s1.zip", "w") as archive:
        archive.writestr(link, str(C5.reference_path))
        archive.writestr(C1.file, b"one")
    entry = read_entry(tmp_path / "s1.zip", EXERCISES)
    assert entry.files == {"c1": b"one"}
    assert entry.problems == {"c5": f"w/{C5.file} is a symbolic link, which is not followed: submit the file itself"}


def test_messages_name_at_most_three_files(tmp_path):
    entry = read_entry(zipped(tmp_path / "s1.zip", {f"{d}/{C5.file}": b"x" for d in "abcd"}), EXERCISES)
    assert entry.problems == {"c5": f"4 files are named {C5.file} (a/{C5.file}, b/{C5.file}, c/{C5.file}): keep one"}
    other = read_entry(zipped(tmp_path / "s2.zip", {name: b"x" for name in ("a.txt", "b.txt", "c.txt", "d.txt")}),
                       EXERCISES)
    assert other.problems == {"*": f"holds none of the exercise files ({C1.file}, {C5.file}); found a.txt, b.txt, c.txt"}


def test_a_member_of_exactly_the_limit_is_read_whole(tmp_path):
    data = bytes(range(256)) * (MAX_FILE_BYTES // 256)
    entry = read_entry(zipped(tmp_path / "s1.zip", {C5.file: data}), EXERCISES)
    assert entry.files == {"c5": data}


def test_a_zip_of_too_many_files_gets_its_row(tmp_path):
    many = {f"f{k}.txt": b"" for k in range(MAX_MEMBERS)}
    assert read_entry(zipped(tmp_path / "s1.zip", {**many, C5.file: b"x"}), EXERCISES).problems == {
        "*": f"s1.zip cannot be read: it holds {MAX_MEMBERS + 1} files (at most {MAX_MEMBERS})"}
    assert read_entry(zipped(tmp_path / "s2.zip", {**dict(list(many.items())[1:]), C5.file: b"x"}), EXERCISES).files == {
        "c5": b"x"}


def test_an_oddly_named_entry_keeps_its_note_whatever_its_problem(tmp_path):
    for raw in (b"odd\x1b.txt", b"odd\x1b2.zip"):
        (tmp_path / os.fsdecode(raw)).write_bytes(b"not a zip")
    stray, broken = discover(tmp_path, EXERCISES)
    assert stray.problems == {"*": "odd\\x1b.txt is neither a folder nor a .zip"} and stray.notes
    assert broken.problems["*"].startswith("odd\\x1b2.zip cannot be read: ") and broken.notes
    with pytest.raises(UsageError, match="nope: no such folder; pass the folder holding one folder or .zip per"):
        discover(tmp_path / "nope", EXERCISES)


def test_an_error_without_words_is_named_by_its_kind():
    assert _why(EOFError()) == "EOFError" and _why(ValueError("bad")) == "bad"

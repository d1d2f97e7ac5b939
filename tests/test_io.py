"""File handling under the CLI: line-aligned chunks, decoding, atomic writes, the runner."""

from __future__ import annotations

import difflib
import io
import json
import os
import stat
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import normtext
from normtext.errors import InputError
from normtext.files.atomic import TEMP_MARK, AtomicWriter, check_in_place
from normtext.files.chunks import (
    OutputCodec,
    continuation_codec,
    decode_chunk,
    detection_sample,
    split_lines,
)
from normtext.files.cuts import FileWindow, file_ranges
from normtext.files.plan import FileResult, Plan, Transform, lines_changed
from normtext.files.report import diff_hunks
from normtext.files.runner import Runner
from normtext.files.sources import find_sources

# ---------------------------------------------------------------------------- chunks


def chunks_of(data: bytes, newline: bytes, size: int) -> list[bytes]:
    stream = io.BytesIO(data)
    head = stream.read(size)
    return [chunk for _, chunk in split_lines(head, stream, newline, size)]


def test_chunks_end_at_line_breaks_and_rebuild_the_input() -> None:
    data = "".join(f"第{i}行，内容\n" for i in range(500)).encode("utf-8")
    chunks = chunks_of(data, b"\n", 1000)
    assert len(chunks) > 5
    assert b"".join(chunks) == data
    assert all(c.endswith(b"\n") for c in chunks)
    assert all(len(c) <= 1000 for c in chunks)


def test_a_line_longer_than_a_chunk_is_kept_whole() -> None:
    data = b"short\n" + "长".encode() * 2000 + b"\nafter\n"
    chunks = chunks_of(data, b"\n", 100)
    assert b"".join(chunks) == data
    assert any(len(c) > 6000 for c in chunks)
    assert all(c.endswith(b"\n") for c in chunks)


def test_utf16_is_cut_only_at_an_aligned_line_break() -> None:
    # U+0A41 then U+4E00 is 41 0A 00 4E in UTF-16-LE: a 0A 00 pair at an odd offset,
    # which is not a line break
    text = ("\u0a41\u4e00" * 40 + "\n") * 20
    data = text.encode("utf-16-le")
    chunks = chunks_of(data, "\n".encode("utf-16-le"), 64)
    assert b"".join(chunks) == data
    for chunk in chunks:
        assert chunk.decode("utf-16-le").endswith("\n")


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(st.text(alphabet="中文，。ab\r\u0a41\u4e00😀", max_size=30), max_size=40),
    codec=st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "gb18030", "utf-32-le"]),
    size=st.integers(min_value=1, max_value=200),
)
def test_every_chunk_decodes_on_its_own(lines: list[str], codec: str, size: int) -> None:
    text = "\n".join(lines)
    data = text.encode(codec)
    chunks = chunks_of(data, "\n".encode(codec), size)
    assert b"".join(chunks) == data
    decoded = [c.decode(codec) for c in chunks]  # raises if a character was cut
    assert "".join(decoded) == text
    # a chunk ends after LF, or after a CR (a CR-only text) that is not half of a CRLF
    for d, after in zip(decoded, decoded[1:]):
        assert d.endswith("\n") or (d.endswith("\r") and not after.startswith("\n"))


@settings(max_examples=80, deadline=None)
@given(
    lines=st.lists(st.text(alphabet="中文ab\r\u0a41\u4e00", max_size=40), max_size=40),
    codec=st.sampled_from(["utf-8", "utf-16-le", "utf-32-le"]),
    size=st.integers(min_value=4, max_value=200),
    block=st.sampled_from([8, 13, 1 << 16]),
    cr_breaks=st.booleans(),
)
def test_workers_reading_ranges_cut_where_the_stream_reader_cuts(
    lines: list[str], codec: str, size: int, block: int, cr_breaks: bool
) -> None:
    # --jobs 2 finds the cuts of a regular file without reading it whole; --jobs 1 reads
    # it as a stream: same cuts, or the two outputs could differ
    data = "\n".join(lines).encode(codec)
    newline = "\n".encode(codec)
    stream = io.BytesIO(data)
    head = stream.read(size)
    chunks = split_lines(head, stream, newline, size, cr_breaks=cr_breaks)
    expected = [(offset, len(chunk)) for offset, chunk in chunks]
    with tempfile.TemporaryFile() as f:
        f.write(data)
        f.flush()
        with mock.patch.object(FileWindow, "BLOCK", block):
            got = list(file_ranges(f.fileno(), len(head), newline, size, cr_breaks=cr_breaks))
    assert got == expected


def test_detection_sample_ends_at_a_line_break() -> None:
    head = "一行\n二行\n三".encode()[:-1]  # cut inside the last character
    assert detection_sample(head) == "一行\n二行\n".encode()


def test_continuation_codec_widens_subsets_and_drops_boms() -> None:
    assert continuation_codec("ascii", b"abc") == "utf-8"
    assert continuation_codec("gbk", b"") == "gb18030"
    assert continuation_codec("utf-8-sig", b"\xef\xbb\xbf") == "utf-8"
    assert continuation_codec("utf-16", b"\xfe\xff\x00a") == "utf-16-be"
    assert continuation_codec("utf-16", b"\xff\xfea\x00") == "utf-16-le"
    assert continuation_codec("big5", b"") == "big5"


def test_decode_chunk_counts_undecodable_bytes_and_finds_the_first() -> None:
    data = "好".encode() + b"\xff\xfe" + "好".encode()
    text, bad, first = decode_chunk(data, "utf-8", 1000)
    assert text == "好\ufffd\ufffd好"
    assert bad == 2
    assert first == 1003


def test_output_codec_writes_a_bom_once() -> None:
    out = OutputCodec.named("utf-16")
    assert out.encode("a", first=True, label="x") == b"\xff\xfea\x00"
    assert out.encode("a", first=False, label="x") == b"a\x00"


def test_output_codec_names_a_character_it_cannot_write() -> None:
    with pytest.raises(InputError, match=r"U\+1F600.*--output-encoding utf-8"):
        OutputCodec.named("gbk").encode("笑😀", first=True, label="x")


# ---------------------------------------------------------------------------- writes


def test_atomic_writer_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    writer = AtomicWriter(target, like=target)
    writer.write(b"new")
    assert target.read_text(encoding="utf-8") == "old"  # untouched until commit
    writer.commit()
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.txt"]


def test_a_failed_write_leaves_the_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    writer = AtomicWriter(target, like=target)
    writer.write(b"half of the new")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="No space left"):
        writer.commit()
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_interrupt_during_commit_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    writer = AtomicWriter(target, like=target)
    writer.write(b"new")

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        writer.commit()
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_temp_files_are_hidden_and_recognisable(tmp_path: Path) -> None:
    writer = AtomicWriter(tmp_path / "a.txt")
    assert writer.tmp.name.startswith(".a.txt" + TEMP_MARK)
    writer.abort()
    assert not writer.tmp.exists()


def test_backup_keeps_the_old_content(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    writer = AtomicWriter(target, like=target, backup=".bak")
    writer.write(b"new")
    writer.commit()
    assert (tmp_path / "a.txt.bak").read_text(encoding="utf-8") == "old"
    assert target.read_text(encoding="utf-8") == "new"


def test_in_place_refuses_a_read_only_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("x", encoding="utf-8")
    target.chmod(0o444)
    with pytest.raises(InputError, match="read-only"):
        check_in_place(target)


# ---------------------------------------------------------------------------- inputs


def test_folders_are_walked_sorted_with_glob_and_without_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/z.txt", "a.txt", "a.md", ".hidden.txt", ".git/x.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    sources, errors = find_sources([str(tmp_path), str(tmp_path / "nope")], glob="*.txt")
    assert [str(s.rel) for s in sources] == ["a.txt", os.path.join("b", "z.txt")]
    assert errors == [(str(tmp_path / "nope"), "no such file or folder; check the path")]


def test_a_file_named_twice_is_processed_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    sources, _ = find_sources([str(tmp_path / "a.txt"), str(tmp_path), "-", "-"])
    assert [s.label for s in sources] == [str(tmp_path / "a.txt"), "<stdin>"]


def test_the_output_folder_is_not_walked(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("x", encoding="utf-8")
    (tmp_path / "in.txt").write_text("x", encoding="utf-8")
    sources, _ = find_sources([str(tmp_path)], skip=tmp_path / "out")
    assert [s.rel.name for s in sources] == ["in.txt"]


# ---------------------------------------------------------------------------- diff and counts


def test_hunks_match_difflib_unified_diff() -> None:
    a = "".join(f"行{i}，，\n" if i % 9 == 0 else f"行{i}\n" for i in range(60)) + "末"
    b = normtext.normalize(a, script=False, width=False)
    assert a != b
    ours = "".join(h.format(0, 0) for h in diff_hunks(a, b))
    theirs = "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), n=3))
    theirs = theirs.split("\n", 2)[2]  # drop the ---/+++ header
    assert ours.replace("\\ No newline at end of file\n", "") == theirs + (
        "" if theirs.endswith("\n") else "\n"
    )


def test_hunks_shift_by_the_chunk_base() -> None:
    (hunk,) = diff_hunks("a\nb\n", "a\nc\n")
    assert hunk.format(0, 0).startswith("@@ -1,2 +1,2 @@")
    assert hunk.format(100, 98).startswith("@@ -101,2 +99,2 @@")


def test_lines_changed_counts_lines_not_characters() -> None:
    assert lines_changed("a\nb\nc", "a\nB\nC") == 2
    assert lines_changed("a\n\n\nb", "a\nb") == 2


# ---------------------------------------------------------------------------- jsonl and the runner


def run_plan(plan: Plan, sources: list, jobs: int = 1) -> tuple[bytes, list[FileResult]]:
    out = io.BytesIO()
    results: list[FileResult] = []
    Runner(plan, jobs=jobs, stdout=out, on_result=results.append).run(sources)
    return out.getvalue(), results


def test_jsonl_keeps_other_fields_order_and_untouched_lines(tmp_path: Path) -> None:
    lines = [
        '{"id": 1, "text": "中文，，测试", "meta": {"k": [1, 2]}}',
        '{"text":"干净","id":2}',
        "",
        '{"id": 3, "title": "標題，，", "text": null}',
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sources, _ = find_sources([str(path)])
    plan = Plan(Transform(normtext.Normalizer()), fields=("text", "title"))
    out, (result,) = run_plan(plan, sources)
    got = out.decode("utf-8").split("\n")
    assert got[1] == lines[1]  # unchanged line: byte for byte
    assert got[2] == ""
    first, third = json.loads(got[0]), json.loads(got[3])
    assert list(first) == ["id", "text", "meta"] and first["meta"] == {"k": [1, 2]}
    assert first["text"] == normtext.normalize("中文，，测试")
    assert third == {"id": 3, "title": normtext.normalize("標題，，"), "text": None}
    assert result.error is None


def test_jsonl_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"text": "a"}\n{broken\n', encoding="utf-8")
    sources, _ = find_sources([str(path)])
    _, (result,) = run_plan(Plan(Transform(normtext.Normalizer())), sources)
    assert result.error is not None and "line 2" in result.error and str(path) in result.error


def test_pool_results_come_in_input_order(tmp_path: Path) -> None:
    paths = []
    for i in range(12):
        path = tmp_path / f"f{i:02d}.txt"
        # uneven sizes, so workers finish out of order
        path.write_text(f"文件{i}，，\n" * (1 + (11 - i) * 300), encoding="utf-8")
        paths.append(str(path))
    sources, _ = find_sources(paths)
    plan = Plan(Transform(normtext.Normalizer()))
    serial, _ = run_plan(plan, sources, jobs=1)
    parallel, results = run_plan(plan, sources, jobs=2)
    assert parallel == serial
    assert [r.label for r in results] == paths


def test_a_big_input_is_normalised_chunk_by_chunk(tmp_path: Path) -> None:
    text = "".join(f"第{i}段：這是繁體，，中文。ＡＢＣ１２３\n" for i in range(3000))
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    sources, _ = find_sources([str(path)])
    size = 20_000
    plan = Plan(Transform(normtext.Normalizer()), chunk_size=size)
    one, _ = run_plan(plan, sources, jobs=1)
    two, (result,) = run_plan(plan, sources, jobs=2)
    assert one == two
    data = path.read_bytes()
    expected = "".join(
        normtext.normalize(chunk.decode("utf-8")) for chunk in chunks_of(data, b"\n", size)
    )
    assert one.decode("utf-8") == expected
    assert result.size == len(data) and result.changed


# ---------------------------------------------------------------------------- walks


def test_gitignore_patterns_anchor_negate_and_match_folders() -> None:
    from normtext.files.sources import GitIgnore

    rules = GitIgnore(
        (
            ("", "*.log", False, False, False),
            ("", "keep.log", True, False, False),
            ("", "build", False, True, False),
            ("", "docs/draft*.txt", False, False, True),
            ("sub/", "local.txt", False, False, True),
        )
    )
    assert rules.ignored("a/b/x.log", is_dir=False)
    assert not rules.ignored("a/keep.log", is_dir=False)  # the last match wins
    assert rules.ignored("a/build", is_dir=True) and not rules.ignored("build", is_dir=False)
    assert rules.ignored("docs/draft1.txt", is_dir=False)
    assert not rules.ignored("x/docs/draft1.txt", is_dir=False)  # anchored to its folder
    assert rules.ignored("sub/local.txt", is_dir=False)
    assert not rules.ignored("local.txt", is_dir=False)


def test_a_walk_with_glob_star_still_skips_code_and_markup(tmp_path: Path) -> None:
    from normtext.files.sources import WalkRules

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    (tmp_path / "tool").write_text("#!/usr/bin/env python\n", encoding="utf-8")
    skipped: list[str] = []
    sources, _ = find_sources([str(tmp_path)], rules=WalkRules(globs=("*",)), skipped=skipped)
    assert [s.rel.as_posix() for s in sources] == ["a.txt"]
    assert sorted(Path(p).name for p in skipped) == ["README.md", "tool"]
    everything = WalkRules(globs=("*",), include_code=True)
    assert len(find_sources([str(tmp_path)], rules=everything)[0]) == 3
    named, _ = find_sources([str(tmp_path / "README.md")])
    assert len(named) == 1  # a file named on the command line is always taken

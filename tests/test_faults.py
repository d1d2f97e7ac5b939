"""The file and record machinery under faults and odd input (issue 14): nothing is lost,
nothing hangs, every error says what it is. Signals are real, sent to real subprocesses."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import normtext
from normtext.errors import DictionaryError, InputError, OptionsError
from normtext.files.atomic import TEMP_MARK, AtomicWriter, make_backup
from normtext.files.chunks import (
    file_mixes_line_endings,
    hide_crs_before_lf,
    restore_crs,
    split_lines,
)
from normtext.files.formats import splice_fields
from normtext.files.runner import write_all
from normtext.files.sources import find_sources, open_input
from normtext.opencc.dictionary import parse_lines

DAMAGED = "中文，，测试。\n第二行，，还有。\n"
FIXED = "中文，测试。\n第二行，还有。\n"


def run(*args: str, stdin: bytes = b"", timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "normtext", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=timeout,
    )


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if TEMP_MARK in p.name]


# ---------------------------------------------------------------------------- backups


def test_backup_keeps_the_first_original_over_two_runs(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    assert run("normalise", "--in-place", "--backup", ".orig", str(tmp_path)).returncode == 0
    assert path.read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == DAMAGED
    # the second run: the file is unchanged, the backup is not an input
    proc = run("normalise", "--in-place", "--backup", ".orig", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "a.txt.orig"]
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == DAMAGED


def test_a_file_that_changes_again_keeps_its_existing_backup(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    (tmp_path / "a.txt.orig").write_text("the first original\n", encoding="utf-8")
    proc = run("normalise", "--in-place", "--backup", ".orig", str(path))
    assert proc.returncode == 2
    assert b"already exists" in proc.stderr and b"Traceback" not in proc.stderr
    assert path.read_text(encoding="utf-8") == DAMAGED  # left untouched
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == "the first original\n"
    assert temp_files(tmp_path) == []


def test_unchanged_file_is_not_rewritten_nor_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(FIXED, encoding="utf-8")
    before = os.stat(path)
    proc = run("normalise", "--in-place", "--backup", ".orig", str(path))
    assert proc.returncode == 0, proc.stderr
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not (tmp_path / "a.txt.orig").exists()


def test_backup_named_directly_is_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "a.txt.orig").write_text(DAMAGED, encoding="utf-8")
    notes: list[tuple[str, str]] = []
    sources, errors = find_sources([str(tmp_path / "a.txt.orig")], backup=".orig", notes=notes)
    assert sources == [] and errors == [] and "backup" in notes[0][1]


def test_unchanged_parquet_is_not_rewritten_in_place(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "clean.parquet"
    pq.write_table(pa.table({"text": ["中文，测试。", None]}), path)
    before = os.stat(path)
    proc = run("normalise", "--in-place", "--backup", ".orig", str(path))
    assert proc.returncode == 0, proc.stderr
    assert os.stat(path).st_ino == before.st_ino
    assert not (tmp_path / "clean.parquet.orig").exists()


@pytest.mark.parametrize("suffix", ["", "/x"])
def test_unusable_backup_suffix_is_a_usage_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    proc = run("normalise", "--in-place", "--backup", suffix, str(path))
    assert proc.returncode == 2 and b"--backup" in proc.stderr and b".orig" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1  # one line, no usage dump
    assert path.read_text(encoding="utf-8") == DAMAGED


def test_make_backup_never_replaces_and_falls_back_to_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = tmp_path / "a.txt"
    original.write_text("old", encoding="utf-8")
    backup = tmp_path / "a.txt.orig"
    real_link = os.link

    def no_hard_links(src: str, dst: str, **kwargs: object) -> None:
        if not Path(src).name.startswith("."):  # only our hidden copy may be linked
            raise OSError(1, "Operation not permitted")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", no_hard_links)
    make_backup(original, backup)
    assert backup.read_text(encoding="utf-8") == "old"
    assert os.stat(backup).st_ino != os.stat(original).st_ino
    original.write_text("new", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        make_backup(original, backup)
    assert backup.read_text(encoding="utf-8") == "old"
    assert temp_files(tmp_path) == []


# ---------------------------------------------------------------------------- JSONL


def test_jsonl_change_keeps_numbers_spacing_and_other_escapes(tmp_path: Path) -> None:
    line = '{ "id" : 1.10, "n":1E2, "big": 1e400,  "text" : "中文，，测试" ,"e":"\\u00e9\\n"}'
    path = tmp_path / "r.jsonl"
    path.write_bytes((line + "\r\n" + line + "\n").encode("utf-8"))
    proc = run("normalise", str(path))
    assert proc.returncode == 0, proc.stderr
    want = line.replace("中文，，测试", "中文，测试")
    assert proc.stdout == (want + "\r\n" + want + "\n").encode("utf-8")


def test_jsonl_escaped_value_keeps_its_escape_style() -> None:
    line = '{"text": "\\u4e2d\\u6587\\uff0c\\uff0c"}'
    out = splice_fields(line, {"text": "中文，"})
    assert out == '{"text": "\\u4e2d\\u6587\\uff0c"}'


def test_jsonl_repeated_key_splices_the_value_json_reads() -> None:
    line = '{"text": "甲", "text": "乙"}'
    assert splice_fields(line, {"text": "丙"}) == '{"text": "甲", "text": "丙"}'


_scalars = st.one_of(
    st.sampled_from(["1.10", "1E2", "1e400", "-0", "0.0e-0", "true", "null", '"\\u00e9"']),
    st.integers().map(str),
    st.text(max_size=5).map(lambda t: json.dumps(t, ensure_ascii=False)),
)
_space = st.text(alphabet=" \t", max_size=2)


@st.composite
def raw_objects(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """A raw JSON object line with odd numbers and spacing around a string ``text``:
    the bytes before its value, the value as written, the bytes after, a new value."""
    names = draw(st.lists(st.text(alphabet="abcxyz", min_size=1, max_size=3), max_size=4))
    members = [(json.dumps(n), draw(_scalars)) for n in names]
    members.append(('"nest"', '{"text": "不是这个", "k": [1.0, {"a": 1E2}]}'))
    at = draw(st.integers(0, len(members)))
    value = json.dumps(draw(st.text()), ensure_ascii=draw(st.booleans()))
    parts = [f"{draw(_space)}{k}{draw(_space)}:{draw(_space)}{v}{draw(_space)}" for k, v in members]
    before = ",".join(parts[:at] + [""]) if at else ""
    after = ",".join([""] + parts[at:]) if at < len(parts) else ""
    head = "{" + before + f'{draw(_space)}"text"{draw(_space)}:{draw(_space)}'
    tail = draw(_space) + after + "}" + draw(st.sampled_from(["", "\r"]))
    return head, value, tail, draw(st.text())


@settings(max_examples=300, deadline=None)
@given(raw_objects())
def test_jsonl_bytes_outside_the_field_are_identical(case: tuple[str, str, str, str]) -> None:
    head, value, tail, new = case
    line = head + value + tail
    out = splice_fields(line, {"text": new})
    assert out.startswith(head) and out.endswith(tail)
    assert json.loads(out[len(head) : len(out) - len(tail)]) == new
    assert json.loads(out)["text"] == new


# ---------------------------------------------------------------------------- special files


def test_folder_with_fifo_and_socket_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DAMAGED, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.txt"))
    try:
        proc = run("normalise", str(tmp_path), "--report", str(tmp_path / "r.json"), timeout=60)
    finally:
        sock.close()
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == FIXED
    assert b"pipe.txt: skipped: a FIFO" in proc.stderr
    assert b"sock.txt: skipped: a socket" in proc.stderr
    warnings = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["warnings"]
    assert any("FIFO" in w for w in warnings)


def test_fifo_named_directly_is_refused_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    proc = run("normalise", str(tmp_path / "pipe"), timeout=60)
    assert proc.returncode == 2
    assert b"is a FIFO (named pipe)" in proc.stderr and b"Traceback" not in proc.stderr


def test_file_that_became_a_fifo_after_the_walk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    sources, _ = find_sources([str(tmp_path)])
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(InputError, match="FIFO"):
        open_input(sources[0])


def test_process_substitution_pipe_is_read() -> None:
    r, w = os.pipe()
    os.write(w, DAMAGED.encode("utf-8"))
    os.close(w)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "normtext", "normalise", f"/dev/fd/{r}"],
            capture_output=True,
            pass_fds=(r,),
            timeout=60,
            check=False,
        )
    finally:
        os.close(r)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == FIXED


def test_symlink_loop_says_it_is_a_symlink_loop(tmp_path: Path) -> None:
    # .txt names: a folder walk takes text files only
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    proc = run("normalise", str(tmp_path / "a.txt"))
    assert proc.returncode == 2
    assert b"symlink loop" in proc.stderr and b"permissions" not in proc.stderr
    proc = run("normalise", str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.count(b"symlink loop") == 2


# ---------------------------------------------------------------------------- line endings


def test_mixed_line_endings_over_several_chunks_get_one_decision(tmp_path: Path) -> None:
    # the first chunks are all CRLF, later ones mix: one decision for the file (LF)
    text = "中文第一行\r\n" * 3000 + "中文二\n中文三\r\n" * 3000
    path = tmp_path / "mixed.txt"
    path.write_bytes(text.encode("utf-8"))
    for jobs in ("1", "2"):
        proc = run("normalise", str(path), "--chunk-size", "20000", "-j", jobs)
        assert proc.returncode == 0, proc.stderr
        assert b"\r" not in proc.stdout
        assert proc.stdout.count(b"\n") == 9000


def test_consistent_crlf_file_over_several_chunks_keeps_crlf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(("中文，，第一行\r\n" * 5000).encode("utf-8"))
    proc = run("normalise", str(path), "--chunk-size", "20000", "-j", "2")
    assert proc.stdout == ("中文，第一行\r\n" * 5000).encode("utf-8")


def test_stdin_decides_line_endings_on_its_first_chunk() -> None:
    # first chunk all CRLF: the decision is "keep", so a later mixed chunk keeps its CRLFs
    data = ("中文第一行\r\n" * 3000 + "中文二\n中文三\r\n" * 3000).encode("utf-8")
    proc = run("normalise", "--chunk-size", "20000", "-j", "2", stdin=data)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == data
    # first chunk mixed: every chunk loses its CRs before LF
    data = ("中文二\n中文三\r\n" * 3000 + "中文第一行\r\n" * 3000).encode("utf-8")
    proc = run("normalise", "--chunk-size", "20000", "-j", "1", stdin=data)
    assert proc.stdout == data.replace(b"\r\n", b"\n")


def test_utf16_mixed_file_gets_one_decision(tmp_path: Path) -> None:
    text = "中文二\n中文三\r\n" * 2000 + "中文第一行\r\n" * 4000
    path = tmp_path / "u16.txt"
    path.write_bytes(text.encode("utf-16"))
    proc = run("normalise", str(path), "--chunk-size", "20000", "--output-encoding", "utf-8")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == text.replace("\r\n", "\n").encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="a中\r\n", max_size=40))
def test_hidden_crs_come_back_before_the_same_lf(text: str) -> None:
    hidden, runs = hide_crs_before_lf(text)
    assert "\r\n" not in hidden
    assert restore_crs(hidden, runs) == text
    assert restore_crs(hidden + "\n", runs) is None  # a changed line count is refused


@pytest.mark.parametrize("block", [1, 2, 3, 7, 4096])
def test_whole_file_line_ending_count_survives_block_boundaries(block: int) -> None:
    assert not file_mixes_line_endings(io.BytesIO(b"a\r\nb\r\nc\r\n"), block)
    assert not file_mixes_line_endings(io.BytesIO(b"a\nb\n"), block)
    assert not file_mixes_line_endings(io.BytesIO(b"a\rb\r"), block)
    assert file_mixes_line_endings(io.BytesIO(b"a\r\nb\nc\r\n"), block)
    assert file_mixes_line_endings(io.BytesIO(b"a\r\nb\rc\r\n"), block)


def test_cr_only_text_is_cut_into_chunks_at_crs() -> None:
    data = ("中文一行\r" * 20000).encode("utf-8")
    stream = io.BytesIO(data)
    head = stream.read(4096)
    chunks = [c for _, c in split_lines(head, stream, b"\n", 4096)]
    assert len(chunks) > 20 and b"".join(chunks) == data
    assert all(c.endswith(b"\r") for c in chunks)


def test_jsonl_records_are_never_cut_at_a_cr(tmp_path: Path) -> None:
    # CR is whitespace inside a JSON record: a big record holding CRs stays whole
    record = "{" + ",\r".join(f'"k{i}": {i}' for i in range(3000)) + ',\r"text": "中文，，"}'
    path = tmp_path / "r.jsonl"
    path.write_text(record + "\n" + record + "\n", encoding="utf-8", newline="")
    proc = run("normalise", str(path), "--chunk-size", "4096", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    fixed = record.replace("中文，，", "中文，")
    assert proc.stdout.decode("utf-8") == fixed + "\n" + fixed + "\n"


def test_crlf_is_never_split_between_chunks_when_no_lf_fits() -> None:
    # a long run without LF that ends in CR just at the read size must not be cut there
    data = b"x" * 99 + b"\r\n" + b"y" * 50 + b"\n"
    stream = io.BytesIO(data)
    chunks = [c for _, c in split_lines(stream.read(100), stream, b"\n", 100)]
    assert b"".join(chunks) == data
    assert not any(c.endswith(b"\r") for c in chunks)


# ---------------------------------------------------------------------------- pipes and signals


class _ShortWrites(io.RawIOBase):
    """A pipe whose reader leaves mid-write: the first write is short, the next fails."""

    def __init__(self) -> None:
        self.calls = 0

    def writable(self) -> bool:
        return True

    def write(self, _data: object) -> int:
        self.calls += 1
        if self.calls > 1:
            raise BrokenPipeError(32, "Broken pipe")
        return 10


def test_short_write_is_not_taken_as_done() -> None:
    with pytest.raises(BrokenPipeError):
        write_all(_ShortWrites(), b"x" * 100)  # type: ignore[arg-type]


def _closed_early(args: list[str]) -> tuple[int, bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "normtext", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    return proc.wait(timeout=120), err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_reader_leaving_early_exits_141_without_traceback(tmp_path: Path, jobs: str) -> None:
    # 300 KB: more than a pipe holds, less than a chunk (the case that exited 0)
    path = tmp_path / "mid.txt"
    path.write_text("第一行，这是中文内容。\n" * 10000, encoding="utf-8")
    status, err = _closed_early(["normalise", str(path), "-j", jobs])
    assert status == 141, err
    assert b"Traceback" not in err


def _terminate_mid_write(
    tmp_path: Path, args: list[str], group: bool, sig: int = signal.SIGTERM
) -> int:
    proc = subprocess.Popen(
        [sys.executable, "-m", "normtext", "normalise", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not temp_files(tmp_path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    assert temp_files(tmp_path), "no temporary file appeared: the run ended too soon"
    (os.killpg if group else os.kill)(proc.pid, sig)
    return proc.wait(timeout=60)


@pytest.mark.parametrize(("jobs", "group"), [("1", False), ("2", False), ("2", True)])
def test_sigterm_leaves_no_temp_file_and_the_original_intact(
    tmp_path: Path, jobs: str, group: bool
) -> None:
    data = ("第一行，，这是中文内容。\n" * 200_000).encode("utf-8")  # ~7 MB: several chunks
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    status = _terminate_mid_write(
        tmp_path, [str(path), "--in-place", "-j", jobs, "--chunk-size", "500000"], group
    )
    assert status == 128 + signal.SIGTERM
    assert temp_files(tmp_path) == []
    assert path.read_bytes() == data


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGHUP])
def test_ctrl_c_and_hangup_leave_no_temp_file(tmp_path: Path, sig: int) -> None:
    data = ("第一行，，这是中文内容。\n" * 200_000).encode("utf-8")
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    args = [str(path), "--in-place", "-j", "2", "--chunk-size", "500000"]
    status = _terminate_mid_write(tmp_path, args, True, sig)
    assert status == (130 if sig == signal.SIGINT else 128 + sig)
    assert temp_files(tmp_path) == []
    assert path.read_bytes() == data


def test_sigterm_to_the_group_leaves_no_temp_file_under_output_dir(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(40):
        (src / f"{i:02}.txt").write_text(DAMAGED * 4000, encoding="utf-8")
    out = tmp_path / "out"
    status = _terminate_mid_write(tmp_path, [str(src), "-o", str(out), "-j", "2"], True)
    assert status == 128 + signal.SIGTERM
    assert temp_files(tmp_path) == []
    for done in out.rglob("*.txt"):
        assert done.read_text(encoding="utf-8") == FIXED * 4000  # complete, or absent


def test_creating_a_temp_file_leaves_the_signal_mask_as_it_was(tmp_path: Path) -> None:
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    writer = AtomicWriter(tmp_path / "a.txt")
    writer.abort()
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before


def test_abort_and_commit_forget_their_temp_files(tmp_path: Path) -> None:
    from normtext.files import atomic

    writer = AtomicWriter(tmp_path / "a.txt")
    assert str(writer.tmp) in atomic._LIVE
    atomic.remove_temp_files()
    assert temp_files(tmp_path) == [] and not atomic._LIVE
    writer.abort()  # the file is already gone: still fine


# ---------------------------------------------------------------------------- clear errors


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib", "no-such-codec"])
def test_non_text_output_encoding_is_a_usage_error(codec: str) -> None:
    proc = run("normalise", "--output-encoding", codec, stdin=DAMAGED.encode("utf-8"))
    assert proc.returncode == 2
    assert b"utf-8" in proc.stderr and b"gb18030" in proc.stderr  # names valid choices
    assert b"internal error" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_non_text_input_encoding_is_a_usage_error() -> None:
    proc = run("normalise", "--encoding", "rot13", stdin=b"abc")
    assert proc.returncode == 2 and b"not a text encoding" in proc.stderr


@pytest.mark.parametrize("phrases", [{"a": 1}, {1: "a"}, [("a", "b")]])
def test_non_str_user_phrase_fails_at_construction(phrases: object) -> None:
    with pytest.raises(OptionsError, match="user_phrases"):
        normtext.Converter("t2s", user_phrases=phrases)  # type: ignore[arg-type]


def test_user_dictionary_double_tab_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("乾隆\t乾隆\n萧乾\t\t萧乾\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"mine\.txt:2: more than one tab"):
        normtext.Converter("t2s", user_dict_files=[path])


def test_user_dictionary_single_tab_still_parses() -> None:
    assert parse_lines(["甲\t乙 丙\n"], "x") == {"甲": "乙"}

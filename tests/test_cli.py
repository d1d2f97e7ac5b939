"""The ``normtext`` command end to end, in subprocesses, as a user runs it."""

from __future__ import annotations

import difflib
import json
import os
import pty
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import normtext
from normtext.files.atomic import CRASH_ENV, TEMP_MARK

DAMAGED = "中文，，测试。\n第二行，，还有。\n"
TRADITIONAL = "這是繁體中文，，軟體測試。\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def run(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "normtext", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


def err(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode("utf-8")


def no_traceback(proc: subprocess.CompletedProcess[bytes]) -> None:
    assert "Traceback" not in err(proc), err(proc)


def make_folder(root: Path) -> dict[str, str]:
    """A folder of real-world inputs: UTF-8, GBK and Big5 files and a PNG. Returns texts."""
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(DAMAGED, encoding="utf-8")
    (root / "sub" / "gbk.txt").write_bytes("简体中文，，测试文本。\n".encode("gbk"))
    (root / "sub" / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (root / "image.png").write_bytes(PNG)
    return {
        "a.txt": DAMAGED,
        "sub/gbk.txt": "简体中文，，测试文本。\n",
        "sub/big5.txt": TRADITIONAL,
    }


# ---------------------------------------------------------------------------- stdin/stdout


def test_stdin_to_stdout_and_nothing_else() -> None:
    proc = run("normalise", stdin=DAMAGED.encode("utf-8"))
    assert proc.returncode == 0
    assert proc.stdout == normtext.normalize(DAMAGED).encode("utf-8")
    assert proc.stderr == b""  # no summary for a pipe filter


def test_without_a_command_it_normalises_stdin() -> None:
    proc = run(stdin=TRADITIONAL.encode("big5"))
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8") == normtext.normalize(TRADITIONAL)


def test_help_documents_the_exit_codes() -> None:
    for args in (["--help"], ["normalise", "--help"]):
        proc = run(*args)
        assert proc.returncode == 0
        text = proc.stdout.decode()
        assert "exit status" in text and "--check" in text and "130" in text


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "normtext"
    if not script.exists():
        if os.environ.get("CI"):  # .ci/run installs the project: there it must exist
            pytest.fail("console script not installed next to this interpreter")
        pytest.skip("console script not installed next to this interpreter")
    proc = subprocess.run([str(script), "--version"], capture_output=True, check=False, timeout=60)
    assert proc.stdout.decode().strip() == f"normtext {normtext.__version__}"


# ---------------------------------------------------------------------------- folders


def test_folder_to_output_dir_mirrors_the_tree(tmp_path: Path) -> None:
    texts = make_folder(tmp_path / "in")
    proc = run("normalise", str(tmp_path / "in"), "--glob", "*", "-o", str(tmp_path / "out"))
    # taken by --glob '*', the PNG fails; the rest is done
    assert proc.returncode == 2
    no_traceback(proc)
    errors = [line for line in err(proc).splitlines() if "error:" in line]
    assert len(errors) == 1 and "image.png" in errors[0] and "PNG image" in errors[0]
    for rel, text in texts.items():
        assert (tmp_path / "out" / rel).read_text(encoding="utf-8") == normtext.normalize(text)
    assert not (tmp_path / "out" / "image.png").exists()
    assert "3 changed; 1 failed" in err(proc)
    assert "big5 1" in err(proc) and "gb18030 1" in err(proc)


def test_jobs_2_gives_the_same_outputs_as_jobs_1(tmp_path: Path) -> None:
    for i in range(20):
        (tmp_path / "in").mkdir(exist_ok=True)
        text = (TRADITIONAL if i % 2 else DAMAGED) * (1 + i * 20)
        (tmp_path / "in" / f"f{i:02d}.txt").write_text(text, encoding="utf-8")
    for jobs in ("1", "2"):
        proc = run(
            "normalise", str(tmp_path / "in"), "-o", str(tmp_path / f"out{jobs}"), "--jobs", jobs
        )
        assert proc.returncode == 0, err(proc)
    for i in range(20):
        name = f"f{i:02d}.txt"
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_jobs_2_gives_the_same_bytes_as_jobs_1_on_a_file_of_many_chunks(
    tmp_path: Path, encoding: str
) -> None:
    # cut into chunks by workers reading their own ranges (--jobs 2) or by one stream
    # (--jobs 1): damaged and clean lines, a line longer than a chunk, mixed line ends
    lines = [DAMAGED, TRADITIONAL, "ｆｕｌｌ　ｗｉｄｔｈ，，ABC。\r\n", "长" * 3000 + "\n"]
    text = "".join(lines[i % 3] if i % 97 else lines[3] for i in range(3000))
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode(encoding))
    chunked = ["--chunk-size", "4096"]
    outputs = {}
    for jobs in ("1", "2"):
        proc = run("normalise", str(path), "-o", str(tmp_path / jobs), "-j", jobs, *chunked)
        assert proc.returncode == 0, err(proc)
        outputs[jobs] = (tmp_path / jobs / "big.txt").read_bytes()
    to_stdout = run("normalise", str(path), "-j", "2", *chunked)
    assert to_stdout.stdout == outputs["1"] == outputs["2"]
    assert outputs["1"] != path.read_bytes()  # it was repaired, not copied


def test_glob_limits_the_files_taken_from_folders(tmp_path: Path) -> None:
    make_folder(tmp_path / "in")
    proc = run("normalise", str(tmp_path / "in"), "--glob", "*.txt", "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, err(proc)  # the PNG is not even looked at
    assert sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file()) == [
        "a.txt",
        "big5.txt",
        "gbk.txt",
    ]


def test_a_missing_path_fails_but_the_others_are_processed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(DAMAGED, encoding="utf-8")
    proc = run("normalise", str(tmp_path / "missing.txt"), str(good))
    assert proc.returncode == 2
    no_traceback(proc)
    assert f"{tmp_path / 'missing.txt'}: no such file" in err(proc)
    assert proc.stdout.decode("utf-8") == normtext.normalize(DAMAGED)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(DAMAGED, encoding="utf-8")
    secret.chmod(0)
    proc = run("normalise", str(secret))
    assert proc.returncode == 2
    assert "permission denied" in err(proc)
    no_traceback(proc)


def test_a_folder_where_a_file_was_expected(tmp_path: Path) -> None:
    proc = run("convert", "-i", str(tmp_path))
    assert proc.returncode == 2 and "is a folder" in err(proc)
    no_traceback(proc)
    (tmp_path / "a.txt").write_text(DAMAGED, encoding="utf-8")
    proc = run("normalise", str(tmp_path / "a.txt"), "--report", str(tmp_path))
    assert proc.returncode == 2 and "is a folder" in err(proc)
    no_traceback(proc)


def test_bad_options_are_one_line_and_exit_2() -> None:
    for args, words in (
        (["--target", "klingon"], "unknown target"),
        (["--encoding", "no-such-codec"], "unknown encoding"),
        (["--in-place", "--check", "x"], "writes nothing"),
        (["-o", "out", "-"], "standard input"),
        (["--explain", "a", "b"], "exactly one input"),
    ):
        proc = run("normalise", *args, stdin=b"x")
        assert proc.returncode == 2, args
        assert words in err(proc) and len(err(proc).strip().splitlines()) == 1, err(proc)
        no_traceback(proc)
    proc = run("convert", "-c", "nope")
    assert proc.returncode == 2 and "s2twp" in err(proc)  # lists the valid configs


# ---------------------------------------------------------------------------- in place


def test_in_place_rewrites_and_keeps_mode_and_backup(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(DAMAGED.encode("gbk"))
    path.chmod(0o640)
    proc = run("normalise", "--in-place", "--backup", ".orig", str(path))
    assert proc.returncode == 0, err(proc)
    assert path.read_text(encoding="utf-8") == normtext.normalize(DAMAGED)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert (tmp_path / "a.txt.orig").read_bytes() == DAMAGED.encode("gbk")
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "a.txt.orig"]


def test_a_crash_mid_run_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    originals = {}
    for i in range(8):
        path = tmp_path / f"f{i}.txt"
        originals[path] = f"文件{i}，，内容。\n" * (i + 1)
        path.write_text(originals[path], encoding="utf-8")
    proc = run("normalise", "--in-place", "--jobs", "1", str(tmp_path), env={CRASH_ENV: "3"})
    assert proc.returncode == -9  # killed by SIGKILL, as by the OOM killer or kill -9
    new = 0
    for path, text in originals.items():
        content = path.read_text(encoding="utf-8")
        assert content in (text, normtext.normalize(text))  # never half-written
        new += content != text
    assert new == 3
    leftovers = [n for n in os.listdir(tmp_path) if not n.endswith(".txt") or n.startswith(".")]
    assert all(n.startswith(".") and TEMP_MARK in n for n in leftovers)
    # a rerun finishes the job and does not touch the leftovers
    proc = run("normalise", "--in-place", str(tmp_path))
    assert proc.returncode == 0, err(proc)
    for path, text in originals.items():
        assert path.read_text(encoding="utf-8") == normtext.normalize(text)


def test_ctrl_c_leaves_every_file_old_or_new_and_no_temp_files(tmp_path: Path) -> None:
    originals = {}
    for i in range(60):
        path = tmp_path / f"f{i:02d}.txt"
        originals[path] = (TRADITIONAL + DAMAGED) * 300
        path.write_text(originals[path], encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "normtext", "normalise", "--in-place", "--jobs", "2", str(tmp_path)],
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C would reach
    )
    first = next(iter(originals))
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:  # until the first file is done
        if first.read_text(encoding="utf-8") != originals[first]:
            break
        time.sleep(0.005)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=120)
    assert proc.returncode in (130, 0)  # 0 if it finished first: the checks below still hold
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in originals)
    expected = normtext.normalize(next(iter(originals.values())))
    for path, text in originals.items():
        assert path.read_text(encoding="utf-8") in (text, expected)


def test_a_read_only_file_is_left_untouched(tmp_path: Path) -> None:
    locked, free = tmp_path / "locked.txt", tmp_path / "free.txt"
    for path in (locked, free):
        path.write_text(DAMAGED, encoding="utf-8")
    locked.chmod(0o444)
    proc = run("normalise", "--in-place", str(tmp_path))
    assert proc.returncode == 2
    assert "locked.txt: is read-only" in err(proc)
    no_traceback(proc)
    assert locked.read_text(encoding="utf-8") == DAMAGED
    assert free.read_text(encoding="utf-8") == normtext.normalize(DAMAGED)


def test_undecodable_bytes_warn_with_the_offset_and_block_in_place(tmp_path: Path) -> None:
    # odd length: an even one is also "valid" UTF-16, which decode() may prefer (reported)
    data = "好的中文文本，，这里有一个坏字节：".encode() + b"\xff" + "然后继续。\n\n".encode()
    assert len(data) % 2
    offset = data.index(b"\xff")
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    proc = run("normalise", str(path))
    assert proc.returncode == 0
    assert f"the first at byte {offset}" in err(proc) and "--encoding" in err(proc)
    assert "\ufffd" in proc.stdout.decode("utf-8")
    proc = run("normalise", "--in-place", str(path))
    assert proc.returncode == 2 and "not rewritten in place" in err(proc)
    assert path.read_bytes() == data


# ---------------------------------------------------------------------------- check, diff, explain


def test_check_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text(normtext.normalize(DAMAGED), encoding="utf-8")
    proc = run("normalise", "--check", str(clean))
    assert (proc.returncode, proc.stdout) == (0, b"")
    dirty = tmp_path / "dirty.txt"
    dirty.write_text(DAMAGED, encoding="utf-8")
    proc = run("normalise", "--check", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [str(dirty)]
    assert dirty.read_text(encoding="utf-8") == DAMAGED  # --check writes nothing
    (tmp_path / "x.txt").write_bytes(PNG)  # binary under a text name
    assert run("normalise", "--check", str(tmp_path)).returncode == 2


def test_diff_is_a_unified_diff(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    proc = run("normalise", "--diff", str(path))
    assert proc.returncode == 0
    expected = difflib.unified_diff(
        DAMAGED.splitlines(True),
        normtext.normalize(DAMAGED).splitlines(True),
        f"{path}\t(original)",
        f"{path}\t(normalised)",
        lineterm="\n",
    )
    assert proc.stdout.decode("utf-8") == "".join(
        line if line.startswith(("---", "+++")) is False else line.rstrip("\n") + "\n"
        for line in expected
    )
    assert run("normalise", "--diff", "--check", str(path)).returncode == 1


def test_explain_lists_changes_with_their_stage(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    proc = run("normalise", "--explain", str(path))
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8") == str(normtext.explain(DAMAGED)) + "\n"
    assert "[punctuation.doubled_comma]" in proc.stdout.decode("utf-8")


# ---------------------------------------------------------------------------- records


def test_jsonl_fields_are_repaired_and_the_rest_kept(tmp_path: Path) -> None:
    records = [
        {"id": i, "title": "標題，，" if i % 2 else "标题", "text": DAMAGED, "n": [i]}
        for i in range(50)
    ]
    path = tmp_path / "dump.data"  # no .jsonl extension: --jsonl says it
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    proc = run("normalise", "--jsonl", "--field", "text", "--field", "title", str(path))
    assert proc.returncode == 0, err(proc)
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in out] == list(range(50))
    for before, after in zip(records, out):
        assert list(after) == list(before)
        assert after["text"] == normtext.normalize(before["text"])
        assert after["title"] == normtext.normalize(before["title"])
        assert after["n"] == before["n"]


def test_parquet_in_and_out(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    texts = [DAMAGED, None, TRADITIONAL, "干净"] * 25
    table = pa.table({"id": list(range(100)), "text": texts})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=30, compression="zstd")
    proc = run("normalise", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, err(proc)
    out = pq.ParquetFile(tmp_path / "out" / "in.parquet")
    assert out.schema_arrow == table.schema
    assert out.num_row_groups == 4
    assert out.metadata.row_group(0).column(0).compression == "ZSTD"
    result = out.read()
    assert result.column("id").to_pylist() == list(range(100))
    assert result.column("text").to_pylist() == [
        None if t is None else normtext.normalize(t) for t in texts
    ]
    proc = run("normalise", str(tmp_path / "in.parquet"))  # binary: not to stdout
    assert proc.returncode == 2 and "-o DIR or --in-place" in err(proc)


# ---------------------------------------------------------------------------- detect, convert


def test_detect_reports_encoding_script_and_damage(tmp_path: Path) -> None:
    texts = make_folder(tmp_path)
    proc = run("detect", "--json", "--glob", "*", str(tmp_path))
    assert proc.returncode == 2  # the PNG, taken by --glob '*'
    no_traceback(proc)
    reports = {Path(r["path"]).name: r for r in map(json.loads, proc.stdout.splitlines())}
    assert set(reports) == {"a.txt", "gbk.txt", "big5.txt"}
    big5, gbk = reports["big5.txt"], reports["gbk.txt"]
    assert big5["encoding"] == "big5" and big5["script"]["script"] == "traditional"
    assert big5["script"]["standard"] in ("opencc", "tw", "hk")
    assert gbk["encoding"] in ("gb18030", "gbk") and gbk["script"]["script"] == "simplified"
    explained = normtext.explain(texts["sub/gbk.txt"])
    assert sum(gbk["damage"].values()) == len(explained.changes) > 0
    proc = run("detect", str(tmp_path / "sub" / "big5.txt"))
    assert proc.returncode == 0 and "traditional" in proc.stdout.decode()


def test_convert_is_a_drop_in_for_opencc(tmp_path: Path) -> None:
    text = "鼠标里面的硅二极管坏了，导致光标分辨率降低。\n"
    expected = normtext.convert(text, "s2twp")
    proc = run("convert", "-c", "s2twp", stdin=text.encode("utf-8"))
    assert proc.returncode == 0, err(proc)
    assert proc.stdout.decode("utf-8") == expected
    source = tmp_path / "in.txt"
    source.write_text(text, encoding="utf-8")
    proc = run("convert", "-c", "s2twp.json", "-i", str(source), "-o", str(tmp_path / "o.txt"))
    assert proc.returncode == 0 and proc.stdout == b""
    assert (tmp_path / "o.txt").read_text(encoding="utf-8") == expected
    import opencc  # the oracle: a missing binding fails, it does not skip

    assert expected == opencc.OpenCC("s2twp").convert(text)


def test_report_json_has_the_summary(tmp_path: Path) -> None:
    make_folder(tmp_path / "in")
    report = tmp_path / "report.json"
    out = str(tmp_path / "out")
    run("normalise", str(tmp_path / "in"), "--glob", "*", "-o", out, "--report", str(report))
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["files"] == 4 and data["failed"] == 1 and data["changed"] == 3
    assert data["encodings"]["big5"] == 1
    assert data["changes"]["punctuation"] >= 2
    assert "image.png" in data["errors"][0]


# ---------------------------------------------------------------------------- big files, terminals


PEAK_RSS = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
print(proc.returncode, peak * 1024)
"""


def test_a_big_file_streams_in_bounded_memory(tmp_path: Path) -> None:
    line = ("這是一行繁體中文，用來測試很大的檔案。" * 4 + "\n").encode("utf-8")
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.writelines(line * 1000 for _ in range(350))  # 80 MB
    size = path.stat().st_size
    stages_off = [f"--no-{stage}" for stage in normtext.STAGES]
    cmd = [sys.executable, "-m", "normtext", "normalise", *stages_off, "--jobs", "2", str(path)]
    # measured in a wrapper, so the peak is this run's (RUSAGE_CHILDREN is per parent)
    wrapper = [sys.executable, "-c", PEAK_RSS, *cmd, "-o", str(tmp_path / "out")]
    code, peak = map(int, subprocess.check_output(wrapper, timeout=120).split())
    assert code == 0
    assert (tmp_path / "out" / "big.txt").stat().st_size == size
    # the file alone, as bytes, is 80 MB; as bytes + text + output it would be over 200 MB
    assert peak < 130e6, f"peak RSS {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB file"


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found.extend(int(c) for c in f.read().split())
        except FileNotFoundError:
            continue  # a thread that ended since the listing (the pool's own come and go)
    return found


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")  # zombie: exited
    except FileNotFoundError:
        return True


def wait_gone(pids: list[int], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(gone(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def busy_folder(root: Path, files: int = 40) -> None:
    for i in range(files):
        (root / f"f{i:02d}.txt").write_text((TRADITIONAL + DAMAGED) * 400, encoding="utf-8")


def start_with_workers(args: list[str]) -> tuple[subprocess.Popen[bytes], list[int]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "normtext", "normalise", "--jobs", "2", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = children(proc.pid)
        time.sleep(0.01)
    return proc, workers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_closed_stdout_ends_the_run_and_its_workers(tmp_path: Path) -> None:
    busy_folder(tmp_path)
    proc, workers = start_with_workers([str(tmp_path)])
    assert proc.stdout is not None
    proc.stdout.read(10)  # like `| head -c 10`
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert wait_gone(workers), "workers outlived the run"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc, prctl")
def test_workers_die_with_a_killed_main_process(tmp_path: Path) -> None:
    busy_folder(tmp_path)
    # Results go to a pipe nobody reads: once it is full the run cannot end, so it is
    # still running, workers and all, when it is killed (no race with a fast machine).
    proc, workers = start_with_workers([str(tmp_path)])
    assert proc.poll() is None and len(workers) == 2, "the run's two workers were not seen"
    proc.kill()  # SIGKILL, as the OOM killer would
    proc.wait(timeout=60)
    assert proc.stdout is not None
    proc.stdout.close()
    assert wait_gone(workers), "orphaned workers left running"


def read_pty(fd: int, chunks: list[bytes]) -> None:
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO once the child closed its side
            return
        if not data:
            return
        chunks.append(data)


def test_progress_bar_on_a_terminal_and_only_results_on_stdout(tmp_path: Path) -> None:
    texts = {}
    for i in range(30):
        texts[i] = DAMAGED * (i + 1)
        (tmp_path / f"f{i:02d}.txt").write_text(texts[i], encoding="utf-8")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "normtext", "normalise", str(tmp_path), "--jobs", "2"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    screen: list[bytes] = []
    reader = threading.Thread(target=read_pty, args=(master, screen))
    reader.start()
    stdout, _ = proc.communicate(timeout=120)
    reader.join(timeout=30)
    os.close(master)
    assert proc.returncode == 0
    assert stdout.decode("utf-8") == "".join(normtext.normalize(texts[i]) for i in range(30))
    terminal = b"".join(screen).decode("utf-8", "replace")
    assert "\r" in terminal and "30/30 files" in terminal
    assert "MB/s" in terminal and "ETA" in terminal
    assert "30 file(s)" in terminal  # the summary, on the terminal, not in stdout


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"f{i}.txt").write_text(DAMAGED, encoding="utf-8")
    proc = run("normalise", str(tmp_path), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0
    assert "\r" not in err(proc) and "ETA" not in err(proc)
    assert run("normalise", "-q", str(tmp_path), "-o", str(tmp_path / "o2")).stderr == b""


# ---------------------------------------------------------------------------- fail closed


@pytest.mark.parametrize(
    "args",
    [
        ["normalise", "--in", "{f}"],
        ["normalise", "--i", "{f}"],
        ["--in", "{f}"],
        ["normalise", "--in-pl", "{f}"],
        ["detect", "--jso", "{f}"],
        ["convert", "--inc", "-i", "{f}"],
    ],
)
def test_abbreviated_options_are_refused_and_nothing_is_written(
    tmp_path: Path, args: list[str]
) -> None:
    f = tmp_path / "notes.txt"
    f.write_text(DAMAGED, encoding="utf-8")
    proc = run(*(a.format(f=f) for a in args))
    assert proc.returncode == 2 and proc.stdout == b""
    assert "unrecognized arguments" in err(proc)
    assert f.read_text(encoding="utf-8") == DAMAGED


def test_unknown_command_suggests_the_closest_and_does_nothing(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text(DAMAGED, encoding="utf-8")
    proc = run("detec", str(f))
    assert proc.returncode == 2 and proc.stdout == b""
    assert "did you mean detect?" in err(proc)
    no_traceback(proc)
    proc = run("xyzzy", str(f))
    assert proc.returncode == 2 and proc.stdout == b"" and "did you mean" not in err(proc)


def test_an_existing_path_as_first_word_is_normalised(tmp_path: Path) -> None:
    f = tmp_path / "detec"  # a file may be named like a typo of a command
    f.write_text(DAMAGED, encoding="utf-8")
    proc = run(str(f))
    assert proc.returncode == 0, err(proc)
    assert proc.stdout.decode("utf-8") == normtext.normalize(DAMAGED)


def test_a_usage_error_shows_the_commands_own_usage(tmp_path: Path) -> None:
    for command in ("normalise", "detect", "convert"):
        proc = run(command, "--chek", "x")
        assert proc.returncode == 2 and proc.stdout == b""
        assert f"usage: normtext {command}" in err(proc), err(proc)


def test_detect_and_convert_help_describe_only_what_applies_to_them() -> None:
    for command in ("detect", "convert"):
        text = run(command, "--help").stdout.decode("utf-8")
        assert "exit status" in text
        assert "--check" not in text and "would change" not in text
        assert "completely rewritten" not in text
    assert "--include-tofu-risk-dictionaries" in run("convert", "--help").stdout.decode()


def test_no_summary_for_one_input_read_to_stdout(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("中文，，测试。", encoding="utf-8")  # no final line break
    proc = run("normalise", str(f))
    assert proc.returncode == 0 and "file(s)" not in err(proc)
    assert proc.stdout.decode("utf-8") == normtext.normalize("中文，，测试。")


def test_the_summary_is_on_its_own_line_on_a_terminal(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("中文，，测试。", encoding="utf-8")  # no line break
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "normtext", "normalise", "--jobs", "1", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    screen: list[bytes] = []
    reader = threading.Thread(target=read_pty, args=(master, screen))
    reader.start()
    proc.wait(timeout=120)
    reader.join(timeout=30)
    os.close(master)
    lines = b"".join(screen).decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
    summary = [line for line in lines if "file(s)" in line]
    assert summary and all(line.startswith("normtext: 2 file(s)") for line in summary), lines


# ---------------------------------------------------------------------------- folder walks


def make_project(root: Path) -> None:
    """A folder as people have them: text, Markdown, code, a script, ignored and excluded files."""
    (root / "docs").mkdir(parents=True)
    (root / "build").mkdir()
    (root / "notes.txt").write_text(DAMAGED, encoding="utf-8")
    (root / "docs" / "chapter.txt").write_text(DAMAGED, encoding="utf-8")
    (root / "README.md").write_text("# 全角，，说明\n", encoding="utf-8")
    (root / "chars.py").write_text('FULL = "，，"\n', encoding="utf-8")
    (root / "run.txt").write_text("#!/bin/sh\necho 中文，，\n", encoding="utf-8")
    (root / "records.jsonl").write_text('{"text": "中文，，"}\n', encoding="utf-8")
    (root / "build" / "out.txt").write_text(DAMAGED, encoding="utf-8")
    (root / "scratch.txt").write_text(DAMAGED, encoding="utf-8")
    (root / ".gitignore").write_text("# generated\nbuild/\n/scratch.txt\n", encoding="utf-8")


def rewritten(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and p.name != ".gitignore"
        and DAMAGED not in p.read_text("utf-8")
        and "，，" not in p.read_text("utf-8")
    }


def test_a_folder_walk_takes_text_files_only_and_respects_gitignore(tmp_path: Path) -> None:
    make_project(tmp_path)
    proc = run("normalise", "--in-place", str(tmp_path))
    assert proc.returncode == 0, err(proc)
    assert rewritten(tmp_path) == {"notes.txt", "docs/chapter.txt"}
    # README.md and chars.py are not text files; run.txt is a script under a text name
    assert "skipped 1 file(s) of code or markup" in err(proc) and "run.txt" in err(proc)


def test_a_named_markdown_file_is_rewritten(tmp_path: Path) -> None:
    make_project(tmp_path)
    proc = run("normalise", "--in-place", str(tmp_path / "README.md"))
    assert proc.returncode == 0, err(proc)
    assert "，，" not in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_include_code_exclude_and_no_gitignore(tmp_path: Path) -> None:
    make_project(tmp_path)
    proc = run(
        "normalise",
        "--in-place",
        "--include-code",
        "--no-gitignore",
        "--glob",
        "*.txt",
        "--glob",
        "*.md",
        "--exclude",
        "docs",
        "--exclude",
        "run.*",
        str(tmp_path),
    )
    assert proc.returncode == 0, err(proc)
    assert rewritten(tmp_path) == {"notes.txt", "README.md", "build/out.txt", "scratch.txt"}


def test_records_are_taken_from_folders_only_when_a_field_is_named(tmp_path: Path) -> None:
    make_project(tmp_path)
    run("normalise", "--in-place", str(tmp_path))
    assert "，，" in (tmp_path / "records.jsonl").read_text(encoding="utf-8")
    proc = run("normalise", "--in-place", "--field", "text", str(tmp_path))
    assert proc.returncode == 0, err(proc)
    assert "，，" not in (tmp_path / "records.jsonl").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- opencc drop-in


def test_convert_leaves_tofu_risk_dictionaries_out_as_opencc_does() -> None:
    proc = run("convert", "-c", "t2s", stdin="㑮㒓\n".encode())
    assert proc.stdout.decode("utf-8") == "㑮㒓\n"
    proc = run("convert", "-c", "t2s", "--include-tofu-risk-dictionaries", stdin="㑮㒓\n".encode())
    import opencc  # the library keeps them, as the binding does

    assert proc.stdout.decode("utf-8") == opencc.OpenCC("t2s").convert("㑮㒓\n") != "㑮㒓\n"
    assert normtext.Converter("t2s").convert("㑮㒓") != "㑮㒓"
    assert normtext.Converter("t2s", include_tofu=False).convert("㑮㒓") == "㑮㒓"


def test_convert_takes_a_config_file_with_its_own_dictionaries(tmp_path: Path) -> None:
    cfg = tmp_path / "conf"
    cfg.mkdir()
    (cfg / "names.txt").write_text("乾隆\t乾隆\n頭髮\t头发丝\n", encoding="utf-8")
    config = {
        "name": "t2s with names",
        "segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "TSPhrases.ocd2"}},
        "conversion_chain": [
            {
                "dict": {
                    "type": "group",
                    "dicts": [
                        {"type": "text", "file": "names.txt"},
                        {"type": "ocd2", "file": "TSPhrases.ocd2"},
                        {"type": "ocd2", "file": "TSCharacters.ocd2"},
                    ],
                }
            }
        ],
    }
    (cfg / "mine.json").write_text(json.dumps(config), encoding="utf-8")
    text = "頭髮和說話\n"
    proc = run("convert", "-c", str(cfg / "mine.json"), stdin=text.encode())
    assert proc.returncode == 0, err(proc)
    assert proc.stdout.decode("utf-8") == "头发丝和说话\n"
    # found through --path, as opencc finds configs
    proc = run("convert", "-c", "mine.json", "--path", str(cfg), stdin=text.encode())
    assert proc.stdout.decode("utf-8") == "头发丝和说话\n", err(proc)
    # a binary dictionary of the user's own cannot be read: said so, exit 2, no output
    config["conversion_chain"][0]["dict"]["dicts"][0] = {"type": "ocd2", "file": "mine.ocd2"}
    (cfg / "bad.json").write_text(json.dumps(config), encoding="utf-8")
    proc = run("convert", "-c", str(cfg / "bad.json"), stdin=text.encode())
    assert proc.returncode == 2 and proc.stdout == b"" and "opencc_dict" in err(proc)


def test_convert_user_dictionary_takes_precedence(tmp_path: Path) -> None:
    user = tmp_path / "user.txt"
    user.write_text("萧乾\t萧乾\n", encoding="utf-8")
    proc = run("convert", "-c", "s2t", "--user-dict", str(user), stdin="萧乾说\n".encode())
    assert proc.stdout.decode("utf-8") == "萧乾說\n", err(proc)


def test_convert_accepts_opencc_flags(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("汉字\n", encoding="utf-8")
    timings = tmp_path / "t.json"
    proc = run(
        "convert",
        "--noflush",
        "1",
        "-i",
        str(src),
        "-o",
        str(src),
        "--measured_result",
        str(timings),
    )
    assert proc.returncode == 2 and "--in-place" in err(proc)
    assert src.read_text(encoding="utf-8") == "汉字\n"
    proc = run(
        "convert", "-i", str(src), "-o", str(src), "--in-place", "--measured_result", str(timings)
    )
    assert proc.returncode == 0, err(proc)
    assert src.read_text(encoding="utf-8") == "漢字\n"
    assert {"load_ms", "total_ms"} <= set(json.loads(timings.read_text(encoding="utf-8")))
    proc = run("convert", "--segmentation", stdin=b"x")
    assert proc.returncode == 2 and "does not offer" in err(proc)


# ---------------------------------------------------------------------------- docs/cli.md

CLI_DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def documented_commands() -> list[str]:
    """Every command line in the ``sh`` blocks of docs/cli.md, comments stripped."""
    blocks = re.findall(r"```sh\n(.*?)```", CLI_DOC.read_text(encoding="utf-8"), re.DOTALL)
    lines = [
        re.sub(r"\s+#\s.*$", "", line).strip() for block in blocks for line in block.splitlines()
    ]
    return [line for line in lines if line]


def docs_sandbox(root: Path) -> None:
    """The files the documented commands name."""
    (root / "corpus").mkdir()
    (root / "corpus" / "a.txt").write_text(DAMAGED, encoding="utf-8")
    (root / "corpus" / "draft1.txt").write_text(DAMAGED, encoding="utf-8")
    (root / "corpus" / "b.txt").write_text(TRADITIONAL, encoding="utf-8")
    for name in ("notes.txt", "dump.txt", "one.txt"):
        (root / name).write_text(DAMAGED, encoding="utf-8")
    (root / "in.txt").write_text("软件和头发，乾隆。\n", encoding="utf-8")
    (root / "names.txt").write_text("乾隆\t乾隆\n", encoding="utf-8")
    config = {
        "name": "t2s",
        "segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "TSPhrases.ocd2"}},
        "conversion_chain": [
            {
                "dict": {
                    "type": "group",
                    "dicts": [
                        {"type": "ocd2", "file": "TSPhrases.ocd2"},
                        {"type": "ocd2", "file": "TSCharacters.ocd2"},
                    ],
                }
            }
        ],
    }
    (root / "my_t2s.json").write_text(json.dumps(config), encoding="utf-8")


def test_every_command_in_docs_cli_md_runs(tmp_path: Path) -> None:
    commands = documented_commands()
    assert len(commands) >= 10
    docs_sandbox(tmp_path)
    bindir = str(Path(sys.executable).parent)  # the opencc command of the binding lives here
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    for command in commands:
        shell = re.sub(r"(^|\|\s*)normtext\b", rf"\1{sys.executable} -m normtext", command)
        proc = subprocess.run(
            ["bash", "-o", "pipefail", "-c", shell],
            cwd=tmp_path,
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        expected = (0, 1) if "--check" in command else (0,)
        assert proc.returncode in expected, (command, err(proc))
        no_traceback(proc)
    # the drop-in claim of the convert block: both wrote the same out.txt
    same = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m normtext convert -c s2twp -i in.txt"],
        cwd=tmp_path,
        capture_output=True,
        env=env,
        check=True,
    )
    assert (tmp_path / "out.txt").read_bytes() == same.stdout


def test_convert_reads_utf8_as_is_and_detects_anything_else(tmp_path: Path) -> None:
    text = "漢字轉換，頭髮。\n" * 50
    for encoding in ("utf-8", "big5", "utf-16"):
        src = tmp_path / f"in-{encoding}.txt"
        src.write_bytes(text.encode(encoding))
        proc = run("convert", "-c", "t2s", "-i", str(src), "--chunk-size", "64")
        assert proc.returncode == 0, err(proc)
        assert proc.stdout.decode("utf-8") == normtext.convert(text, "t2s"), encoding

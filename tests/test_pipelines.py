"""normtext inside data pipelines: pickling, batches, and the examples in docs/pipelines.md.

The documented examples are run exactly as written, each as a script in a fresh
interpreter (multiprocessing and ``datasets`` need a real ``__main__``), followed by a few
lines that check what the example computed against ``normtext.normalize``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import normtext

DOCS = Path(__file__).resolve().parent.parent / "docs" / "pipelines.md"
TEXTS = ["中文，，测试", "這是繁體中文。", "ｆｕｌｌ　ｗｉｄｔｈ", "", "干净的文本"]


def example(name: str) -> str:
    """The code block marked ``<!-- test: NAME -->`` in docs/pipelines.md."""
    found = re.search(
        rf"<!-- test: {name} -->\s*```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL
    )
    assert found, f"no example {name!r} in {DOCS}"
    return found.group(1)


def run_example(name: str, check: str, tmp_path: Path, timeout: int = 180) -> None:
    script = tmp_path / f"{name}_example.py"
    # the check runs inside the script's own __main__ block, after the example
    script.write_text(example(name) + "\n" + check, encoding="utf-8")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    env["HF_HOME"] = str(tmp_path / "hf")
    env["PYSPARK_PYTHON"] = env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    proc = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        check=False,
        env=env,
        cwd=tmp_path,  # examples read and write relative folders (dumps/, raw/, clean/)
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-3000:]
    assert b"EXAMPLE OK" in proc.stdout


# ---------------------------------------------------------------------------- pickling, batches


def test_normalizer_pickles_small_and_still_works() -> None:
    normalizer = normtext.Normalizer(target="zh-tw", gloss=False)
    normalizer.normalize("预热")  # build the stages: they must not travel
    data = pickle.dumps(normalizer)
    assert len(data) < 1000
    clone = pickle.loads(data)
    assert clone.options == normalizer.options
    assert clone.normalize_batch(TEXTS) == normalizer.normalize_batch(TEXTS)


def test_normalize_batch_keeps_order_and_length() -> None:
    normalizer = normtext.Normalizer()
    assert normalizer.normalize_batch(TEXTS) == [normtext.normalize(t) for t in TEXTS]
    assert normalizer.normalize_batch(iter(TEXTS)) == normalizer.normalize_batch(TEXTS)


def _batch(args: tuple[normtext.Normalizer, list[str]]) -> list[str]:
    normalizer, texts = args
    return normalizer.normalize_batch(texts)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_multiprocessing_with_each_start_method(method: str) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} not available here")
    normalizer = normtext.Normalizer()
    batches = [TEXTS * 3, TEXTS[::-1]]
    with multiprocessing.get_context(method).Pool(2) as pool:
        results = pool.map(_batch, [(normalizer, b) for b in batches])
    assert results == [normalizer.normalize_batch(b) for b in batches]


# ---------------------------------------------------------------------------- documented examples


def test_pandas_example(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    check = """
import normtext as _nt
_got = df["clean"].tolist()
assert _got[:2] == [_nt.normalize(t) for t in df["text"][:2]], _got
assert _got[2] is None or _got[2] != _got[2]  # missing stays missing (None or NaN)
print("EXAMPLE OK")
"""
    run_example("pandas", check, tmp_path)


def test_datasets_example(tmp_path: Path) -> None:
    pytest.importorskip("datasets")
    check = """
if __name__ == "__main__":
    import normtext as _nt
    _texts = ["中文，，测试", "這是繁體中文。", "ｆｕｌｌ　ｗｉｄｔｈ"] * 200
    assert ds["text"] == [_nt.normalize(t) for t in _texts]
    print("EXAMPLE OK")
"""
    run_example("datasets", check, tmp_path)


def test_multiprocessing_example(tmp_path: Path) -> None:
    check = """
if __name__ == "__main__":
    import normtext as _nt
    assert cleaned == [_nt.normalize(t) for t in texts]
    print("EXAMPLE OK")
"""
    run_example("multiprocessing", check, tmp_path)


# ---------------------------------------------------------------------------- Ray


RECORD_LINES = [
    "這是第{}條繁體新聞，，報導內容。",
    "简体第{}条，，新闻",
    "ＦＵＬＬ　{}　ｗｉｄｔｈ，，",
    "没有问题的第{}行",
]

#: Appended to the Ray and Spark examples: every output record against normtext.normalize.
CHECK_RECORDS = """
import glob as _glob, json as _json
import normtext as _nt
_src = [_json.loads(l) for l in open(_SOURCE, encoding="utf-8")]
_out = {}
for _part in sorted(_glob.glob("clean/*.json*")):
    for _line in open(_part, encoding="utf-8"):
        _r = _json.loads(_line)
        _out[_r["id"]] = _r
assert len(_out) == len(_src), (len(_out), len(_src))
for _r in _src:
    _want = None if _r["text"] is None else _nt.normalize(_r["text"])
    assert _out[_r["id"]].get("text") == _want, (_r, _out[_r["id"]])
    assert _out[_r["id"]]["source"] == "test"
print("EXAMPLE OK")
"""


def write_records(folder: Path, count: int) -> Path:
    records = [
        {"id": i, "text": RECORD_LINES[i % 4].format(i), "source": "test"} for i in range(count)
    ]
    records[7]["text"] = None
    folder.mkdir()
    path = folder / "data.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    return path


def test_ray_example_on_a_local_cluster(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    source = write_records(tmp_path / "dumps", 3000)
    check = f"_SOURCE = {str(source)!r}\nray.shutdown()\n" + CHECK_RECORDS
    run_example("ray", check, tmp_path, timeout=300)


def test_spark_example_on_a_local_session(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("the Spark example needs a Java runtime (.ci/run installs one)")
    source = write_records(tmp_path / "raw", 500)
    check = f"_SOURCE = {str(source)!r}\nspark.stop()\n" + CHECK_RECORDS
    run_example("spark", check, tmp_path, timeout=400)


def test_pandas_accessor_example(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    check = """
import normtext as _nt
assert df["clean"][0] == _nt.normalize(df["text"][0])
assert df["tw"][1] == _nt.normalize(df["text"][1], target="zh-tw")
assert pd.isna(df["clean"][2])
print("EXAMPLE OK")
"""
    run_example("pandas-accessor", check, tmp_path)


def test_ray_checks_options_before_any_task() -> None:
    pytest.importorskip("ray")
    from normtext.ray import normalize_column

    with pytest.raises(normtext.OptionsError, match="unknown option"):
        normalize_column(object(), "text", gloss_mode="all")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- batches


def test_normalize_batch_takes_arrow_arrays_and_keeps_nulls() -> None:
    pa = pytest.importorskip("pyarrow")
    normalizer = normtext.Normalizer()
    for kind in (pa.string(), pa.large_string()):
        array = pa.array(["中文，，测试。", None, "發(fā)布"], type=kind)
        out = normalizer.normalize_batch(array)
        assert isinstance(out, pa.Array) and out.type == kind
        assert out.to_pylist() == [normtext.normalize("中文，，测试。"), None, "发布"]
        chunked = pa.chunked_array([array, array[:1]])
        out = normalizer.normalize_batch(chunked)
        assert isinstance(out, pa.ChunkedArray) and out.num_chunks == 2
        assert out.to_pylist()[1] is None and len(out) == 4


def test_normalize_batch_takes_a_pandas_series_with_none() -> None:
    pd = pytest.importorskip("pandas")
    series = pd.Series(
        ["中文，，测试。", None, float("nan")], index=[7, 8, 9], name="text", dtype=object
    )
    out = normtext.Normalizer().normalize_batch(series)
    assert isinstance(out, pd.Series) and list(out.index) == [7, 8, 9] and out.name == "text"
    assert out[7] == normtext.normalize("中文，，测试。") and out[8] is None and out[9] is None
    strings = pd.Series(["發(fā)布", None], dtype="string")
    out = normtext.Normalizer().normalize_batch(strings)
    assert out.dtype == "string" and out[0] == "发布" and out[1] is pd.NA
    default = pd.Series(["發(fā)布", None])  # pandas' default dtype for text, whatever it is
    out = normtext.Normalizer().normalize_batch(default)
    assert out.dtype == default.dtype and out[0] == "发布" and pd.isna(out[1])


def test_normalize_batch_on_a_list_keeps_none_and_refuses_one_string() -> None:
    assert normtext.Normalizer().normalize_batch(["發(fā)布", None]) == ["发布", None]
    with pytest.raises(TypeError):
        normtext.Normalizer().normalize_batch("中文")


def test_pandas_accessor() -> None:
    pd = pytest.importorskip("pandas")
    import normtext.integrations.pandas  # noqa: F401 - registers the accessor

    series = pd.Series(["中文，，测试。", None])
    out = series.normtext.normalize(target="zh-tw")
    assert out[0] == normtext.normalize("中文，，测试。", target="zh-tw") and pd.isna(out[1])

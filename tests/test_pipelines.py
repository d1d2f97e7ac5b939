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


def run_example(name: str, check: str, tmp_path: Path) -> None:
    script = tmp_path / f"{name}_example.py"
    # the check runs inside the script's own __main__ block, after the example
    script.write_text(example(name) + "\n" + check, encoding="utf-8")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    env["HF_HOME"] = str(tmp_path / "hf")
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, check=False, env=env, timeout=180
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


def test_ray_normalises_a_jsonl_dataset_on_a_local_cluster(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    from normtext.ray import normalize_column

    lines = [
        "這是第{}條繁體新聞，，報導內容。",
        "简体第{}条，，新闻",
        "ＦＵＬＬ　{}　ｗｉｄｔｈ，，",
        "没有问题的第{}行",
    ]
    records = [{"id": i, "text": lines[i % 4].format(i), "source": "test"} for i in range(3000)]
    records[7]["text"] = None
    source = tmp_path / "in"
    source.mkdir()
    with open(source / "data.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        dataset = ray.data.read_json(str(source))
        normalize_column(dataset, "text").write_json(str(tmp_path / "out"))
    finally:
        ray.shutdown()

    out = []
    for part in sorted((tmp_path / "out").iterdir()):
        with open(part, encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f)
    assert len(out) == len(records)
    by_id = {r["id"]: r for r in out}
    for record in records:
        got = by_id[record["id"]]
        expected = None if record["text"] is None else normtext.normalize(record["text"])
        assert got["text"] == expected, record
        assert got["source"] == "test"


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

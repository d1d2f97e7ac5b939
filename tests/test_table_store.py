"""The compiled-table store: a stored converter converts exactly as a freshly built one,
and a damaged, unwritable or outdated store only ever costs a rebuild.

Every test points ``NORMTEXT_CACHE_DIR`` at its own folder (conftest points the whole
run at a temporary one), so nothing here reads or writes the user's cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normtext.opencc import store, tables
from normtext.opencc.compiled import CompiledGroup, flatten
from normtext.opencc.config import CONFIG_NAMES, load_config
from normtext.opencc.config_file import dictionary_bytes, load_config_file, load_dictionary
from normtext.opencc.dictionary import shipped
from normtext.opencc.engine import FastConverter, _apply
from normtext.opencc.reference import build_matcher, convert_segment

SAMPLE = (Path(__file__).parent / "data" / "pd199801_sample.txt").read_text(encoding="utf-8")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NORMTEXT_CACHE_DIR", str(folder))
    return folder


def stored_files(cache: Path) -> list[Path]:
    return sorted((cache / "tables").glob("*.npt")) if (cache / "tables").exists() else []


def text_for(config: str) -> str:
    """The sample, its conversion the other way, and every key the config's dictionaries
    hold (so every stored table is consulted, phrases and characters alike)."""
    names = load_config(config).files()
    keys = sorted({k for name in names for k in shipped(name)})
    return SAMPLE + "\n" + "，".join(keys) + "\n" + "".join(keys[::7])


def no_build(*args, **kwargs):
    raise AssertionError("the tables were built, not loaded from the store")


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_stored_tables_convert_exactly_as_built_ones(config, cache, monkeypatch):
    spec = load_config(config, include_tofu=False)
    text = text_for(config)
    built = FastConverter(spec)
    assert len(stored_files(cache)) == 1
    monkeypatch.setattr(tables, "build", no_build)
    loaded = FastConverter(spec)
    assert loaded.convert(text) == built.convert(text)
    assert loaded.convert_with_cuts(text)[1].units() == built.convert_with_cuts(text)[1].units()
    assert loaded.changes_length == built.changes_length


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "wrong shape"])
def test_a_damaged_file_is_rebuilt_and_replaced(damage, cache, monkeypatch):
    spec = load_config("s2twp")
    text = text_for("s2twp")
    expected = FastConverter(spec).convert(text)
    (path,) = stored_files(cache)
    size = path.stat().st_size
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: size // 2])
    elif damage == "garbage":
        path.write_bytes(np.random.default_rng(0).bytes(size))
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a well-formed file whose arrays do not fit the tables they claim to be
        facts, arrays = tables.build(spec).to_arrays()  # type: ignore[union-attr]
        name = next(k for k in arrays if k.endswith(".first"))
        arrays[name] = arrays[name][:1000]
        from normtext.opencc import store

        assert store.save(path, facts, arrays)
    assert FastConverter(spec).convert(text) == expected
    assert path.stat().st_size == size  # repaired: written again whole
    monkeypatch.setattr(tables, "build", no_build)
    assert FastConverter(spec).convert(text) == expected


def test_an_unwritable_cache_only_costs_a_build(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    # a folder inside a regular file cannot be made, even by root
    monkeypatch.setenv("NORMTEXT_CACHE_DIR", str(blocker / "cache"))
    spec = load_config("t2s")
    text = text_for("t2s")
    assert FastConverter(spec).convert(text) == FastConverter(spec).convert(text)
    assert blocker.read_text() == "not a folder"
    assert not list(tmp_path.glob("**/*.npt"))


def test_no_temporary_file_is_left_behind(cache):
    FastConverter(load_config("hk2s"))
    assert [p.name for p in (cache / "tables").iterdir()] == [stored_files(cache)[0].name]


def test_a_changed_dictionary_is_never_served_stale(tmp_path, cache):
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "mine.json").write_text(
        json.dumps(
            {
                "name": "mine",
                "conversion_chain": [{"dict": {"type": "text", "file": "mine.txt"}}],
            }
        ),
        encoding="utf-8",
    )
    words = folder / "mine.txt"

    def converter() -> FastConverter:
        spec = load_config_file(folder / "mine.json")
        return FastConverter(spec, load=load_dictionary, read=dictionary_bytes)

    words.write_text("乾隆\t干隆\n", encoding="utf-8")
    assert converter().convert("乾隆年间") == "干隆年间"
    words.write_text("乾隆\t乾隆\n年间\t年間\n", encoding="utf-8")
    assert converter().convert("乾隆年间") == "乾隆年間"
    assert len(stored_files(cache)) == 2  # one per content; the first is not overwritten
    words.write_text("乾隆\t干隆\n", encoding="utf-8")
    assert converter().convert("乾隆年间") == "干隆年间"


def test_user_dictionary_files_are_read_again(tmp_path, cache):
    from normtext.opencc import Converter

    words = tmp_path / "user.txt"
    words.write_text("乾隆\t乾隆\n", encoding="utf-8")
    assert Converter("t2s", user_dict_files=[words]).convert("乾隆") == "乾隆"
    words.write_text("乾隆\tQL\n", encoding="utf-8")
    assert Converter("t2s", user_dict_files=[words]).convert("乾隆") == "QL"


def test_the_store_key_names_every_part(cache):
    spec = load_config("t2s")
    a = store.config_key(spec, lambda name: b"one")
    assert a != store.config_key(spec, lambda name: b"two")
    assert a != store.config_key(load_config("t2s", include_tofu=False), lambda name: b"one")
    assert a == store.config_key(spec, lambda name: b"one")


ALPHABET = "abcdxy"
table = st.dictionaries(
    st.text(ALPHABET, min_size=1, max_size=4), st.text("ABCDXYZ", min_size=1, max_size=5)
)


@settings(max_examples=150)
@given(st.lists(table, min_size=1, max_size=3), st.booleans(), st.text(ALPHABET + "z", max_size=30))
def test_any_group_survives_the_round_trip(levels, singles, text):
    """Made-up short_circuit groups (every shape of level the engine has), stored, read back."""
    from normtext.opencc import store

    by_name = {f"d{i}.txt": level for i, level in enumerate(levels)}
    spec = ("group", "short_circuit", tuple(("text", name) for name in by_name))
    group = CompiledGroup(flatten(spec, by_name.__getitem__), match_singles=singles)
    facts, arrays = group.to_arrays()
    path = Path(store.cache_dir()) / "tables" / "roundtrip.npt"
    assert store.save(path, json.loads(json.dumps(facts)), arrays)
    loaded = store.load(path)
    assert loaded is not None
    again = CompiledGroup.from_arrays(*loaded)
    arr = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    expected = convert_segment(build_matcher(spec, by_name.__getitem__), text)
    for candidate in (group, again):
        out, _ = _apply(candidate, arr, None, None, derive_segments=False)
        assert out.tobytes().decode("utf-32-le") == expected
    assert again.keys == group.keys
    assert again.values == group.values

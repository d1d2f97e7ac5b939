"""The vectorised engine against the plain algorithm on small made-up dictionaries.

Shipped data exercises some corners rarely (one blocking single character in all of
OpenCC's configs), so these tests draw whole dictionary groups: few letters, keys that
overlap, short_circuit and union groups, so every rule of the algorithm is hit often.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import normtext
from normtext.compat import OpenCC
from normtext.errors import DictionaryError, UnknownConfigError
from normtext.opencc.compiled import CompiledGroup, flatten
from normtext.opencc.config import ConfigSpec
from normtext.opencc.engine import FastConverter, _apply
from normtext.opencc.reference import ReferenceConverter, build_matcher, convert_segment

ALPHABET = "abcdxy"
key = st.text(ALPHABET, min_size=1, max_size=4)
value = st.text("ABCDXYZ", min_size=1, max_size=5)
table = st.dictionaries(key, value, max_size=12)


@st.composite
def groups(draw):
    """A dictionary spec tree and the tables its file names stand for."""
    tables: dict[str, dict[str, str]] = {}

    def leaf():
        name = f"d{len(tables)}.txt"
        tables[name] = draw(table)
        return ("text", name)

    def node(depth):
        if depth == 0 or draw(st.booleans()):
            return leaf()
        policy = draw(st.sampled_from(["short_circuit", "union"]))
        if policy == "union":  # the engine models unions of plain dictionaries
            children = tuple(leaf() for _ in range(draw(st.integers(1, 3))))
        else:
            children = tuple(node(depth - 1) for _ in range(draw(st.integers(1, 3))))
        return ("group", policy, children)

    return node(2), tables


@settings(max_examples=600)
@given(groups(), st.text(ALPHABET + "z", max_size=30))
def test_one_group_matches_the_plain_algorithm(group, text):
    spec, tables = group
    expected = convert_segment(build_matcher(spec, tables.__getitem__), text)
    compiled = CompiledGroup(flatten(spec, tables.__getitem__))
    arr = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    out, _ = _apply(compiled, arr, None, None, derive_segments=False)
    assert out.tobytes().decode("utf-32-le") == expected


def _merge(*named):
    """One table namespace for several drawn groups, each group's files renamed apart."""
    tables: dict[str, dict[str, str]] = {}

    def rename(spec, tabs, prefix):
        if spec[0] == "text":
            tables[prefix + spec[1]] = tabs[spec[1]]
            return ("text", prefix + spec[1])
        return ("group", spec[1], tuple(rename(c, tabs, prefix) for c in spec[2]))

    specs = [rename(spec, tabs, f"g{i}") for i, (spec, tabs) in enumerate(named)]
    return specs, tables


@settings(max_examples=600)
@given(st.booleans(), groups(), groups(), groups(), st.text(ALPHABET + "z⿰", max_size=30))
def test_segmented_chain_matches_the_plain_algorithm(segmented, seg, first, second, text):
    (seg_spec, first_spec, second_spec), tables = _merge(seg, first, second)
    config = ConfigSpec("made-up", (), seg_spec if segmented else None, (first_spec, second_spec))
    load = tables.__getitem__
    assert FastConverter(config, load).convert(text) == ReferenceConverter(config, load).convert(
        text
    )


@settings(max_examples=600)
@given(groups(), groups(), st.text(ALPHABET + "z", max_size=30))
def test_segments_taken_from_the_first_stage_match_the_plain_algorithm(first, second, text):
    # The shortcut: segmentation by the first stage's own phrase dictionary.
    (first_spec, second_spec), tables = _merge(first, second)
    phrases = (
        {k: v for k, v in tables[first_spec[1] if first_spec[0] == "text" else "x"].items()}
        if first_spec[0] == "text"
        else {}
    )
    tables["phr.txt"] = {k: v for k, v in phrases.items() if len(k) > 1}
    tables["chr.txt"] = {k: v for k, v in phrases.items() if len(k) == 1}
    stage = ("group", "short_circuit", (("text", "phr.txt"), ("text", "chr.txt")))
    config = ConfigSpec("made-up", (), ("text", "phr.txt"), (stage, second_spec))
    load = tables.__getitem__
    fast = FastConverter(config, load)
    assert fast.segments_from_first_stage
    assert fast.convert(text) == ReferenceConverter(config, load).convert(text)


def test_blocking_single_character_stops_a_later_phrase():
    # tw2sp: TWPhrasesRev has the single key 宏, so TWVariantsRevPhrases' 宏內核 must
    # not match, and 內 converts on its own later.
    assert normtext.convert("宏內核", "tw2sp") == "宏内核"


def test_user_phrases_take_precedence_over_shipped_dictionaries():
    assert normtext.convert("乾隆皇帝", "t2s") == "乾隆皇帝"  # OpenCC knows this one
    converter = normtext.Converter("t2s", user_phrases={"王丙乾": "王丙乾"})
    assert normtext.convert("王丙乾說", "t2s") == "王丙干说"
    assert converter.convert("王丙乾說") == "王丙乾说"


def test_user_dictionary_file_in_opencc_format(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("# my names\n蕭乾\t萧乾\n", encoding="utf-8")
    converter = normtext.Converter("t2s", user_dict_files=[path])
    assert converter.convert("作家蕭乾") == "作家萧乾"


def test_broken_user_dictionary_is_reported_with_its_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("no tab here\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="bad.txt:1"):
        normtext.Converter("t2s", user_dict_files=[path])


@pytest.mark.parametrize("name", ["t2s", "T2S", "t2s.json", "tw2sp.json"])
def test_config_names_with_or_without_json(name):
    assert normtext.Converter(name).convert("漢字") in ("汉字",)


def test_unknown_config_names_the_valid_ones():
    with pytest.raises(UnknownConfigError, match="s2twp") as error:
        normtext.convert("x", "t2x")
    assert isinstance(error.value, ValueError)


@given(st.text())
def test_any_string_converts_without_loss_of_non_han_text(text):
    out = normtext.convert(text, "s2t")
    assert isinstance(out, str)
    if not any("\u2e80" <= c for c in text):
        assert out == text


@given(st.text(st.characters(max_codepoint=0x7F)))
def test_ascii_is_returned_unchanged(text):
    for config in ("t2s", "s2twp", "hk2s"):
        assert normtext.convert(text, config) == text


def test_lone_surrogates_and_controls_survive():
    text = "漢\ud800字\x00\x1b\U0002a6a5"
    assert normtext.convert(text, "t2s") == "汉\ud800字\x00\x1b\U0002a6a5"


def test_compat_shim_converts_like_the_old_api():
    cc = OpenCC("s2t")
    assert cc.convert("汉字") == "漢字"
    cc.set_conversion("t2s")
    assert cc.convert("漢字") == "汉字"


def test_converter_pickles():
    import pickle

    converter = normtext.Converter("t2s", user_phrases={"乾": "乾"})
    clone = pickle.loads(pickle.dumps(converter))
    assert clone.convert("乾坤漢字") == converter.convert("乾坤漢字") == "乾坤汉字"

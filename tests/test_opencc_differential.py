"""normtext.convert against the official OpenCC 1.4.2 binding (the reference oracle).

Strings are built to hit the algorithm's corners: dictionary keys glued together so
that longest matches overlap, prefixes of keys, keys broken by punctuation, CJK that no
dictionary knows, and Ideographic Description Sequences.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import normtext
from normtext.opencc.config import CONFIG_NAMES, load_config
from normtext.opencc.dictionary import shipped
from normtext.opencc.reference import ReferenceConverter

try:
    import opencc
except ImportError as exc:  # the oracle missing must fail the run, never skip it quietly
    raise ImportError(
        "the official OpenCC binding is the oracle of these tests: pip install 'opencc==1.4.2' "
        "(it is in the test extras)"
    ) from exc

SAMPLE = Path(__file__).parent / "data" / "pd199801_sample.txt"


@cache
def oracle(config: str):
    return opencc.OpenCC(config)


@cache
def keys_of(config: str) -> list[str]:
    spec = load_config(config)
    files: list[str] = []

    def walk(node):
        if node[0] == "text":
            files.append(node[1])
        else:
            for child in node[2]:
                walk(child)

    for node in (
        *spec.normalization,
        *spec.conversion_chain,
        *((spec.segmentation,) if spec.segmentation else ()),
    ):
        walk(node)
    keys = sorted({k for f in files for k in shipped(f)})
    # Values too: converted text meets the next stage's dictionaries.
    values = sorted({v for f in files for v in shipped(f).values()})
    return keys + values


def pieces(config: str):
    pool = keys_of(config)
    key = st.sampled_from(pool)
    return st.one_of(
        key,
        key.map(lambda k: k[: max(1, len(k) - 1)]),  # a prefix that is often not a key
        key.map(lambda k: k[1:] or k),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),
        st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
        st.sampled_from(list("，。、！？…—“”「」（）《》 \n\tabcXYZ019·")),
        st.sampled_from(["⿰", "⿱", "⿲", "⿾", "\u2ffc"]),
        st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),  # compatibility ideographs
    )


def texts(config: str):
    return st.lists(pieces(config), max_size=40).map("".join)


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_convert_equals_official_binding(config):
    @given(texts(config))
    def check(text):
        assert normtext.convert(text, config) == oracle(config).convert(text)

    check()


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_fast_engine_equals_reference_algorithm(config):
    reference = ReferenceConverter(load_config(config))

    @given(texts(config))
    def check(text):
        assert normtext.convert(text, config) == reference.convert(text)

    check()


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_real_news_text_equals_official_binding(config):
    simplified = SAMPLE.read_text(encoding="utf-8")
    source = simplified if config.startswith(("s2", "t2jp")) else oracle("s2t").convert(simplified)
    if config.startswith(("tw2", "hk2")):
        source = oracle("s2" + config[:2]).convert(simplified)
    assert normtext.convert(source, config) == oracle(config).convert(source)


@pytest.mark.parametrize(
    "text",
    [
        "⿰女尔尔",
        "⿰⿱女尔尔发",
        "干⿰发发发",
        "⿲发发发发",
        "\u2ffe发发",
        "⿰a发",
        "⿰\n发",
        "⿰" * 15 + "发" * 17,
        "⿰" * 16 + "发" * 18,
        "⿰发" * 31 + "发发",
        "⿲发发⿲发发" + "⿰发" * 28 + "发",  # exactly 64 code points
        "⿲发发⿲发发" + "⿰发" * 29 + "发",  # 66: too long to be one unit
    ],
)
def test_ideographic_description_sequences_move_as_units(text):
    for config in ("s2t", "s2twp", "t2s"):
        assert normtext.convert(text, config) == oracle(config).convert(text)


def test_long_text_is_converted_in_pieces_without_changing_the_result(monkeypatch):
    from normtext.opencc import engine

    text = oracle("s2t").convert(SAMPLE.read_text(encoding="utf-8"))
    whole = normtext.Converter("tw2sp").convert(text)
    monkeypatch.setattr(engine, "CHUNK_CHARS", 997)
    assert normtext.Converter("tw2sp").convert(text) == whole == oracle("tw2sp").convert(text)

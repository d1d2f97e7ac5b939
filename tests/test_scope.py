"""Language scope: which stretches are Chinese, and that only those are repaired."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import damaged_text

import normtext
from normtext.chars.scope import (
    CHINESE,
    JAPANESE,
    KOREAN,
    OTHER,
    edits_on_spans,
    scope_of,
    stretches,
)
from normtext.text import Edit

INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff]")


def languages(text: str) -> list[str]:
    return [s.language for s in stretches(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("見る時、書く。", [JAPANESE]),  # one sentence, kana in it
        ("조선(朝鮮)", [KOREAN]),
        ("The character 乾 in names\n", [OTHER]),
        ("Use full-width ，： in Chinese text", [OTHER]),  # no Han at all
        ("我们使用Python和numpy来处理数据", [CHINESE]),  # English words in Chinese
        ("萧乾是作家。\nHello world\n", [CHINESE, OTHER]),
        ("１２３", [OTHER]),  # nothing says Chinese
        # placeholders are slots, not English words (Django and Sphinx messages)
        ("%(site_name)s 團隊", [CHINESE]),
        ("總共 %(full_result_count)s", [CHINESE]),
        ("The character 乾 (qian) in names", [OTHER]),
    ],
)
def test_scope_of_small_real_examples(text, expected):
    assert languages(text) == expected


def test_kanji_only_line_is_japanese_in_a_japanese_document():
    # Django's Japanese catalogue: 削除 and 操作時刻 are lines of kanji alone.
    text = "削除\nページが見つかりません\n操作時刻\n"
    assert languages(text) == [JAPANESE]


def test_shinjitai_only_japanese_writes_makes_a_kanji_line_japanese():
    # 従 and 勲 are in neither GB 2312 nor Big5: no Chinese text writes 従軍勲章.
    assert languages("従軍勲章") == [JAPANESE]
    assert normtext.normalize("従軍勲章") == "従軍勲章"


def test_simplified_character_japanese_lacks_keeps_a_line_chinese_in_a_japanese_text():
    text = "削除\nページが見つかりません\n这是我们的书。\n"
    assert languages(text) == [JAPANESE, CHINESE]


def test_one_stray_kana_does_not_make_a_chinese_document_japanese():
    text = "小明の日记\n" + "今天天气很好，我们去公园散步，看见很多人在锻炼身体。\n" * 3
    found = stretches(text)
    assert [s.language for s in found] == [JAPANESE, CHINESE]
    assert found[1].start == len("小明の日记\n")


def test_markdown_code_spans_of_han_are_mentions_in_english_prose():
    text = "A space run is removed, e.g. `今天， 开发` → `今天，开发`, as the rules say.\n"
    assert languages(text) == [OTHER]


def test_blank_and_mark_lines_take_the_language_before_them():
    text = "日本語の文です。\n\n３６２日\n"
    assert languages(text) == [JAPANESE]


def test_scope_spans_cover_the_text():
    text = "萧乾是作家。\nThe character 乾 in names\n中文。"
    scope = scope_of(text)
    spans = sorted(scope.chinese + scope.other)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(spans))


def test_edits_on_spans_map_back_to_the_source():
    text = "ab\nXY\ncd\n"

    def upper(t: str) -> list[Edit]:
        return [Edit(i, i + 1, c.upper()) for i, c in enumerate(t) if c.islower()]

    edits = edits_on_spans(upper, text, ((0, 3), (6, 9)))
    assert [(e.start, e.replacement) for e in edits] == [(0, "A"), (1, "B"), (6, "C"), (7, "D")]


def test_edits_on_spans_fall_back_to_each_span_when_an_edit_straddles():
    text = "ab\nXY\ncd\n"
    edits = edits_on_spans(lambda t: [Edit(0, len(t), t.upper())], text, ((0, 3), (6, 9)))
    assert edits == [Edit(0, 3, "AB\n"), Edit(6, 9, "CD\n")]


# -- the pipeline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "見る時、書く。３６２日\n従軍勲章\n終わり\n買い物\n",
        "조선(朝鮮)은 朝鮮이다. 우아(優雅)한 문법",
        "낙원(\uf914園)과 음악(音樂)",  # KS X 1001 hanja by reading: a compatibility ideograph
        "The character 乾 in names, and full-width ，： marks.\n",
        "C'est vrai\xa0! Oui\xa0; non\xa0: peut-être\xa0?",
        "Silben\xadtrennung im Deutschen",  # soft hyphen: a hyphenation hint
        "👨\u200d👩\u200d👧 and می\u200cخواهم",  # ZWJ in emoji, ZWNJ in Persian
        "ภาษา\u200bไทย",  # ZWSP between Thai words marks a word boundary
    ],
)
def test_non_chinese_text_passes_unchanged(text):
    assert normtext.normalize(text) == text
    assert normtext.explain(text).changes == []


def test_invisible_junk_goes_outside_chinese_too():
    assert normtext.normalize("\ufeff見る\u200b時\x07") == "見る時"
    assert normtext.normalize("Hello\u200b world\x85") == "Hello world"


def test_chinese_stretch_is_repaired_beside_a_mention():
    text = "書乾了。中國人，，很好\nThe character 乾 in names\n"
    assert normtext.normalize(text) == "书干了。中国人，很好\nThe character 乾 in names\n"


def test_japanese_lines_do_not_count_as_evidence_for_the_chinese_lines():
    # 見 is Traditional-only for OpenCC: counted with the Japanese line, it would make the
    # whole text look Traditional and the Simplified 萧乾 would become 萧干.
    text = "見る時。\n" * 3 + "萧乾是作家，他写了很多书。\n" * 3
    assert normtext.normalize(text) == text


def test_explain_agrees_with_normalize_on_mixed_text():
    text = "日本語の文です。\n萧乾說：中國人，，很好\u200b\nThe character 乾\xa0in names\n"
    assert normtext.explain(text).text == normtext.normalize(text)


# -- properties -----------------------------------------------------------------------------

KANA = st.characters(min_codepoint=0x3041, max_codepoint=0x3093) | st.characters(
    min_codepoint=0x30A1, max_codepoint=0x30F3
)
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


def _encodable(codec: str) -> list[str]:
    found = []
    for cp in range(0x4E00, 0x9FA6):
        try:
            chr(cp).encode(codec)
        except UnicodeEncodeError:
            continue
        found.append(chr(cp))
    return found


KANJI = st.sampled_from(_encodable("cp932"))  # what Japanese text can hold (JIS X 0208)
HANJA = st.sampled_from(_encodable("cp949"))  # and Korean (KS X 1001)
WIDE = st.sampled_from("０１２３４５６７８９ＡＢＣ、。「」『』（）！？：；・ー　")
HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
PUNCT = st.sampled_from(" ,.!?()[]:;'\"-·…“”")
INVISIBLES = st.sampled_from("\u200b\ufeff\x07\x00\u2060")  # C1 pairs may be mojibake


def _with_invisibles(base: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, str]]:
    """(text with invisible characters sprinkled in, the same text without them)."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, str]:
        clean = draw(base)
        chars = list(clean)
        for _ in range(draw(st.integers(0, 3))):
            chars.insert(draw(st.integers(0, len(chars))), draw(INVISIBLES))
        return "".join(chars), clean

    return build()


# Japanese as it is written: kanji runs of one to three, kana runs of one to four (the
# kana share of real prose is 45-70 %), full-width digits and marks here and there.
JAPANESE_LINE = st.lists(
    st.tuples(
        st.text(KANJI, max_size=3), st.text(KANA, min_size=1, max_size=4), st.text(WIDE, max_size=2)
    ),
    min_size=1,
    max_size=8,
).map(lambda parts: "".join(a + b + c for a, b, c in parts))
JAPANESE_TEXT = st.lists(
    st.one_of(JAPANESE_LINE, JAPANESE_LINE, st.text(KANJI | WIDE, min_size=1, max_size=6)),
    min_size=1,
    max_size=6,
).map(lambda lines: "\n".join(lines))
# A kanji-only line is Japanese by its document: the first line always holds kana.
JAPANESE_TEXT = st.builds(lambda first, rest: first + "\n" + rest, JAPANESE_LINE, JAPANESE_TEXT)
KOREAN_TEXT = st.lists(
    st.builds(lambda h, rest: h + rest, HANGUL, st.text(HANGUL | HANJA | PUNCT, max_size=40)),
    min_size=1,
    max_size=5,
).map(lambda lines: "\n".join(lines))
WORDS = st.lists(st.from_regex(r"[A-Za-zàéèüöäßñç]{1,10}", fullmatch=True), min_size=4, max_size=12)
MENTION_TEXT = st.builds(
    lambda words, han, at: " ".join(words[:at] + [han] + words[at:]) + ".",
    WORDS,
    st.text(HAN | st.sampled_from("，：「」"), min_size=1, max_size=3),
    st.integers(0, 4),
)


@given(_with_invisibles(JAPANESE_TEXT))
def test_japanese_text_loses_only_invisible_characters(pair):
    text, clean = pair
    assert normtext.normalize(text) == clean


# The mojibake stage judges bytes, not language, and is not scoped: whether it leaves Latin
# marks (`àl`, `¿¿`) in Korean or Western text alone is issue 8 item 3, tested with it.
WITHOUT_MOJIBAKE = normtext.Normalizer(mojibake=False)


@given(_with_invisibles(KOREAN_TEXT))
def test_korean_text_loses_only_invisible_characters(pair):
    text, clean = pair
    assert WITHOUT_MOJIBAKE.normalize(text) == clean


@given(_with_invisibles(MENTION_TEXT))
def test_prose_mentioning_han_loses_only_invisible_characters(pair):
    text, clean = pair
    assert WITHOUT_MOJIBAKE.normalize(text) == clean


def test_script_of_names_the_code_page_scripts():
    from normtext.chars.classes import script_of

    assert [script_of(c) for c in "aÉžΩЖשع—€"] == [
        "latin",
        "latin",
        "latin",
        "greek",
        "cyrillic",
        "hebrew",
        "arabic",
        "punctuation",
        "punctuation",
    ]
    assert script_of("ก") != script_of("ა")  # Thai and Georgian are not one script


def test_detect_and_the_script_stage_share_one_verdict():
    from normtext.chars.script import script_verdict

    # 乾 and 著 prove nothing (GB 2312 has them): the pipeline leaves this sentence alone,
    # and detect must not call it mixed.
    clean = "萧乾是著名作家，王丙乾也是。"
    assert normtext.explain(clean).changes == []
    assert script_verdict(clean)["script"] in ("simplified", "neutral")
    assert script_verdict("這裡是臺灣的著作。")["standard"] == "tw"
    assert script_verdict("abc")["script"] == "none"


# Mixed texts: damaged Chinese lines among Japanese, Korean and English ones, any line ends.
MIXED_TEXT = st.lists(
    st.one_of(
        damaged_text,
        JAPANESE_LINE,
        st.sampled_from(["조선(朝鮮)은 우아(優雅)한", "The character 乾 in names", "vrai\xa0!"]),
    ),
    min_size=2,
    max_size=6,
).flatmap(
    lambda lines: st.lists(
        st.sampled_from(["\n", "\r\n", "\r", "\n\n"]), min_size=len(lines), max_size=len(lines)
    ).map(lambda ends: "".join(line + end for line, end in zip(lines, ends)))
)


@given(MIXED_TEXT)
def test_explain_agrees_with_normalize_on_generated_mixed_text(text):
    result = normtext.explain(text)
    assert result.text == normtext.normalize(text)
    pieces, pos = [], 0
    for change in result.changes:
        assert change.before == text[change.start : change.end]
        pieces.append(text[pos : change.start] + change.after)
        pos = change.end
    assert "".join(pieces) + text[pos:] == result.text


@given(MIXED_TEXT)
def test_mixed_text_normalisation_is_idempotent(text):
    once = normtext.normalize(text)
    assert normtext.normalize(once) == once


@given(
    st.text(
        st.sampled_from("中文乾見従们⼈、。，（）“”…①℃ＣＤ１２ \n\r\t.,!?a-é·×")
        | KANA
        | HANGUL
        | st.characters(),
        max_size=30,
    )
)
def test_the_regex_fast_path_agrees_with_the_line_rules(text):
    from normtext.chars.scope import _compute, line_languages

    # short texts take a regex, long ones a numpy count: both must agree with the rules
    for sample in (text, text * (600 // max(1, len(text)) + 1)):
        _, lang = line_languages(sample)
        scope = _compute(sample)
        assert scope.all_chinese == bool((lang == 0).all())
        assert scope.no_chinese == (not (lang == 0).any())


def test_the_cli_file_loop_leaves_western_and_japanese_files_alone(tmp_path):
    # The CLI runs the normaliser's stages itself, one by one: they carry their scope.
    import os
    import subprocess
    import sys
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    for name in ("western", "japanese"):
        expected = (corpus / name / "expected.txt").read_bytes()
        source = tmp_path / f"{name}.md"
        source.write_bytes(expected)
        proc = subprocess.run(
            [sys.executable, "-m", "normtext", "normalise", "--in-place", str(source)],
            capture_output=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(Path(normtext.__file__).parents[1])},
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        assert source.read_bytes() == expected, name


_SCOPE_ALPHABET = st.sampled_from(
    list("中文乾従们見あア한 aZé1，。\n\r`") + ["\u2e8c", "\u3005", "\U00020000"]
)


@given(st.lists(_SCOPE_ALPHABET, max_size=40), st.sampled_from([1, 20]))
def test_scope_shortcuts_agree_with_the_line_by_line_rules(chars, repeat):
    """The fast answers of ``scope_of`` (no Han, Chinese throughout), short texts and long
    ones, are the answers of the per-line rules (``line_languages``)."""
    from normtext.chars.scope import _compute, line_languages

    text = "".join(chars) * repeat
    ends, lang = line_languages(text)
    starts = [0, *ends[:-1].tolist()]
    chinese = [(s, e) for s, e, code in zip(starts, ends.tolist(), lang.tolist()) if code == 0]
    merged: list[tuple[int, int]] = []
    for s, e in chinese:
        if merged and merged[-1][1] == s:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    assert list(_compute(text).chinese) == merged

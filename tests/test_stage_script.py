"""The script stage: which Traditional standard, and only where there is evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from normtext import Options, convert, explain, normalize
from normtext.stages.script import ScriptStage, detect_standard
from normtext.text import apply_edits

SAMPLE = Path(__file__).parent / "data" / "pd199801_sample.txt"


def run(text: str, **options) -> str:
    return ScriptStage(Options(**options)).transform(text)


def test_taiwan_glyphs_pick_tw2s_so_zhe_becomes_the_particle():
    text = "湖北省特別是武漢市要著力解決床位問題，招招盯著一個“實”字，為人民服務。"
    assert detect_standard(text) == "tw"
    assert run(text) == "湖北省特别是武汉市要着力解决床位问题，招招盯着一个“实”字，为人民服务。"
    # OpenCC's own t2s would keep 著: the choice matters.
    assert "著" in convert(text, "t2s")


def test_opencc_standard_glyphs_pick_t2s():
    assert detect_standard("他們爲人民服務，衆人看着。") == "opencc"


def test_hong_kong_glyphs_pick_hk2s():
    assert detect_standard("他説温度很高，要脱衣服。") == "hk"


def test_pinned_config_is_used():
    stage = ScriptStage(Options(config="t2s"))
    assert stage.config_for("盯著一個") == "t2s"
    assert stage.transform("盯著一個") == "盯著一个"


@pytest.mark.parametrize("text", ["萧乾是作家。", "王丙乾同志说。", "乾隆年间，著名学者。"])
def test_clean_simplified_text_is_left_alone(text):
    assert run(text) == text


def test_clean_simplified_news_is_untouched():
    text = SAMPLE.read_text(encoding="utf-8")
    assert run(text) == text


def test_mixed_text_converts_only_sentences_with_evidence():
    text = "萧乾是作家。這個問題很重要。"
    assert run(text) == "萧乾是作家。这个问题很重要。"


def test_traditional_target_converts_simplified_text():
    assert run("这个问题", target="zh-tw") == "這個問題"
    assert run("這個問題", target="zh-tw") == "這個問題"


def test_edits_equal_transform_and_explain_names_the_config():
    text = "萧乾是作家。這個問題很重要，盯著看。"
    stage = ScriptStage(Options())
    assert apply_edits(text, stage.edits(text)) == stage.transform(text)
    assert "tw2s" in explain(text).notes["script"]


def test_zhu_read_as_zhu_in_known_words_keeps_its_glyph_in_taiwan_text():
    text = "他的論著很多，盯著看，要著力解決，專著和譯著都顯著。"
    assert run(text) == "他的论著很多，盯着看，要着力解决，专著和译著都显著。"


def test_variant_words_in_converted_text_take_the_standard_spelling():
    assert run("車伕的想像力，利慾薰心，薰陶。") == "车夫的想象力，利欲熏心，熏陶。"


def test_clean_simplified_variant_spelling_is_left_as_written():
    assert run("他的想像力很丰富，钱锺书的慰藉。") == "他的想像力很丰富，钱锺书的慰藉。"


def test_literary_words_whose_variant_is_right_survive_conversion():
    assert run("這是一種慰藉，蘊藉含蓄。") == "这是一种慰藉，蕴藉含蓄。"


def test_zhu_qian_yu_follow_the_word_around_them():
    text = "他接著作出決定，這部著作很著名，蕭乾寫乾隆，衣服乾淨，於菟。"
    assert (
        run(text, config="tw2s") == "他接着作出决定，这部著作很著名，萧乾写乾隆，衣服干净，於菟。"
    )


@pytest.mark.parametrize(
    ("taiwan", "simplified"),
    [
        # two words claim 著; the characters around it settle it (context_trigrams.tsv)
        ("音樂會上著名指揮家", "音乐会上著名指挥家"),
        ("成為著名的旅遊勝地", "成为著名的旅游胜地"),
        ("一段段閃耀著名人智慧", "一段段闪耀着名人智慧"),  # no evidence: the earlier word
        ("他接著作出決定", "他接着作出决定"),
    ],
)
def test_conflicting_words_settle_by_the_characters_around(taiwan, simplified):
    assert run(taiwan, config="tw2s") == simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("最後更新於", "最后更新于"),  # 後 於 alone: weak Traditional evidence
        ("%(delta)s之後", "%(delta)s之后"),
        ("作家於梨华说", "作家於梨华说"),  # never against a Simplified-only character
    ],
)
def test_weak_evidence_only_where_nothing_else_speaks(text, expected):
    assert normalize(text) == expected

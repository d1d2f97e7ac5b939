"""The width stage: CJK marks full-width in Chinese context, digits and Latin ASCII."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stage_contract import idempotent, keeps_nfc, transform_equals_edits
from strategies import any_text, clean_news, damaged_text

from normtext import Options
from normtext.chars.classes import (
    CJK_PUNCT,
    CLUSTER_ASCII,
    CLUSTER_SET,
    CP_ASCII,
    CP_BREAK,
    CP_CJK,
    CP_HAN,
    CP_OTHER,
    CP_SHARED,
    CP_WIDE_DIGIT,
    CP_WIDE_LETTER,
    FULLWIDTH_ALNUM_FOLD,
    class_table,
    classify,
    is_han,
)
from normtext.chars.quotes import (
    DOUBLE_QUOTES,
    facing_by_position,
    line_quotes,
    misfacing_lines,
    turned_lines,
)
from normtext.chars.script import code_points
from normtext.stages import width as width_module
from normtext.stages.punctuation import PunctuationStage
from normtext.stages.spacing import SpacingStage
from normtext.stages.unicode import UnicodeStage
from normtext.stages.width import WidthStage
from normtext.text import apply_edits

STAGE = WidthStage(Options())


def run(text: str) -> str:
    return STAGE.transform(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The seed, after the punctuation stage
        ("发布时间:2020-02-14 浏览量: 来源:新华网", "发布时间：2020-02-14 浏览量： 来源：新华网"),
        ("关键阶段,2月12日,习近平", "关键阶段，2月12日，习近平"),
        ("收治能力;要严格", "收治能力；要严格"),
        ("阶段”,会上", "阶段”，会上"),
        ("这些“重要环节”包括:", "这些“重要环节”包括："),
        (
            "要强化医疗物资,;紧缺",
            "要强化医疗物资，；紧缺",
        ),  # punctuation disabled: each mark widens
        # Traditional text works the same
        ("發表重要講話強調,要毫不放鬆", "發表重要講話強調，要毫不放鬆"),
        # Other marks and brackets
        ("型智能(IC)卡", "型智能（IC）卡"),
        ("是:(1)技术进步;(2)物力", "是：（1）技术进步；（2）物力"),
        ("年鉴》(1997)日前", "年鉴》（1997）日前"),
        ("冷(14-17度左右),现在", "冷（14-17度左右），现在"),
        ("Python(一种语言)", "Python（一种语言）"),
        ("世界卫生组织(WHO)", "世界卫生组织（WHO）"),  # a line end stands in for a side
        ("中文(注释）", "中文（注释）"),  # one half full-width already
        ('他说:"你好!"', "他说：“你好！”"),
        ('称为"IC卡"的', "称为“IC卡”的"),
        ("很公道!", "很公道！"),
        ("好吗?谢谢.", "好吗？谢谢。"),
        ("好书.太值得", "好书。太值得"),
        ("就不行了.這是", "就不行了。這是"),
        ("3.2億. 不到", "3.2億。 不到"),
        ("《基本法》,1999年", "《基本法》，1999年"),
        ("时间12:30,比分3:2", "时间12:30，比分3:2"),  # the numbers keep their marks
        ("比分３：２，对16：9的屏幕", "比分3:2，对16:9的屏幕"),  # and write them in ASCII
        # A bracket with no partner on the line, in Chinese context
        ("2)最后一天", "2）最后一天"),
        ("设定的值(如果方括号中", "设定的值（如果方括号中"),
        # Code shapes that Chinese prose holds do not make the line code
        (
            '请安装 <a href="%(link)s">docutils</a> 库,再试',
            '请安装 <a href="%(link)s">docutils</a> 库，再试',
        ),
        ("发送 'Referer header',但是", "发送 'Referer header'，但是"),
        ("请设置“ master_doc = 'contents' ”,再试", "请设置“ master_doc = 'contents' ”，再试"),
        # A mark with blanks around it among Chinese, as segmented text writes it
        ("数据好好 , 非常", "数据好好 ， 非常"),
        ("可能做到 ?", "可能做到 ？"),
        ("6月1日 : 尊敬的", "6月1日 ： 尊敬的"),
        ("mail a.b@x.com:你好", "mail a.b@x.com：你好"),
        ("“好”,abc", "“好”，abc"),
        # Double quotes face by their place on the line (chars/quotes.py)
        ('他说"你好', "他说“你好"),  # an odd count: the last one opens
        ('以 "http://x.cn/" 等协议', "以 “http://x.cn/” 等协议"),
        ("“包”轻”扶”，乃", "“包”轻“扶”，乃"),  # a curled quote facing the wrong way
        ('“包"轻"扶”', "“包”轻“扶”"),
        ("他说＂好＂", "他说“好”"),
        ("话”，他说“好”", "话”，他说“好”"),  # begins inside a quote: the curled ones say so
        ('比如"."代替', "比如“.”代替"),  # a quoted full stop: the quote before it opens
        # Repeated marks widen too: the full-width form is canonical (issue 10)
        ("继续支持!!!", "继续支持！！！"),
        ("怎么睡?!最后", "怎么睡？！最后"),
        ("不到1/4!!!）", "不到1/4！！！）"),
        ("使用代理了!!使用", "使用代理了！！使用"),
        # A Latin word embedded in Chinese with no space is Chinese context
        ("百度Google,Yahoo都", "百度Google，Yahoo都"),
        ("百度(Google)都", "百度（Google）都"),
        # Beside Latin words, as data/mark_widths.tsv says edited Chinese writes it
        ("Barry Egan,1947年", "Barry Egan，1947年"),
        ("讲好咗 , Erica 一齐", "讲好咗 ， Erica 一齐"),
        ('我想 , "几咁"', "我想 ， “几咁”"),  # a straight quote beyond proves nothing
        # A pair holding only blanks is a blank to fill in; a bracket's far side past
        # blanks may show Chinese (an ideograph, a CJK mark)
        ("读成: ( ) 最后", "读成： （ ） 最后"),
        ("旧称来埠(The Levels) 。根据", "旧称来埠（The Levels） 。根据"),
        # Full-width digits and letters fold everywhere
        ("１２月３１日", "12月31日"),
        ("ＴＣＬ集团ｅ", "TCL集团e"),
        ("增长１２．３％", "增长12.3％"),
        ("ＡＢＣ", "ABC"),
    ],
)
def test_marks_widen_and_alphanumerics_narrow(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'pi is 3.14, e is 2.71; ok? yes! (really) "quoted".',
        "圆周率3.14和1,000元",
        "容纳59,000个人",
        "访问http://x.cn/a?b=1,c=2;d:e(f)再",
        "邮件a.b@x.com或",
        "见C:\\dir\\f.txt或/usr/local/bin",
        "RT @laoshipukong : 27日",
        "上网:-) 空调",
        "难过:( 好",
        "的服务...我的",
        "library, 并有",
        "用Hello, world测试",  # English with spaces stays English
        "共1,000元",
        "language. 故我们",
        "PS: 我觉得",
        "C library?",
        '    cuttest("我不喜欢日本和服。")',
        'name = "中文(注)"',
        "静(jìng)夜(yè)思(sī)",
        "唐(táng)·李(lǐ)白(bái)",
        "的(de)",
        "o(∩_∩)o...香港",
        "\\(^o^)/~",
        "“Hello,” she said.",
        "（MINITEL）",
        "调用 foo( ) 函数",  # a call, not a blank to fill in
        "see (the docs) for 好",
    ],
)
def test_kept_as_typed(text):
    assert run(text) == text


def test_letter_under_a_combining_mark_keeps_its_width():
    # Ｃ̂ folded would be C + U+0302, which is not NFC (Ĉ): the stage leaves the pair alone.
    assert run("ＡＢＣ\u0302好") == "ABＣ\u0302好"


def test_reading_like_content_that_is_not_pinyin_widens():
    assert run("装机(xp)比较麻烦") == "装机（xp）比较麻烦"


def test_edits_are_one_for_one():
    text = "发布时间:２０２０年(ＩＣ)卡,好."
    edits = STAGE.edits(text)
    assert edits and all(len(e.replacement) == e.end - e.start for e in edits)


# -- properties ------------------------------------------------------------------------------

marks = st.lists(
    st.sampled_from(
        list(',;:?!()".中文好IC12 \n“”（）。，１Ａ．') + ["...", "http://a.b/c", ":-)"]
    ),
    max_size=30,
).map("".join)
some_text = st.one_of(marks, damaged_text, any_text)


test_transform_equals_applying_edits = transform_equals_edits(STAGE, some_text)


@given(some_text)
def test_long_texts_take_the_fast_paths_to_the_same_result(text):
    long = (text + "１．５好") * (5000 // (len(text) + 4) + 1)
    assert len(long) > 5000
    assert STAGE.transform(long) == apply_edits(long, STAGE.edits(long))
    narrow = re.sub("[０-９Ａ-Ｚａ-ｚ]", "", text) + "3．5好．"
    long = narrow * (5000 // len(narrow) + 1)
    assert STAGE.transform(long) == apply_edits(long, STAGE.edits(long))


test_nfc_text_stays_nfc = keeps_nfc(STAGE, some_text)


@given(some_text)
def test_nfc_text_stays_nfc_on_the_long_text_path(text):
    text = unicodedata.normalize("NFC", text)
    long = text * (5000 // (len(text) + 1) + 1)
    assert unicodedata.is_normalized("NFC", run(long))


test_idempotent = idempotent(STAGE, some_text)


@given(some_text)
def test_length_and_han_characters_never_change(text):
    out = run(text)
    assert len(out) == len(text)
    assert [c for c in out if is_han(c)] == [c for c in text if is_han(c)]


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_text_is_unchanged(text):
    assert run(text) == text


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)), st.text(alphabet="中文"))
def test_lines_without_han_are_unchanged(english, chinese):
    text = english.replace("\n", " ").replace("\r", " ") + "\n" + chinese
    assert run(text).split("\n")[0] == text.split("\n")[0]


def _fold(text: str) -> str:
    """The only changes clean People's Daily text should see: full-width alphanumerics,
    decimal points and the colons of times and scores (３：２) to ASCII."""
    text = "".join(
        chr(ord(c) - 0xFEE0) if "０" <= c <= "９" or "Ａ" <= c <= "Ｚ" or "ａ" <= c <= "ｚ" else c
        for c in text
    )
    text = re.sub(r"(?<=[0-9])．(?=[0-9])", ".", text)
    return re.sub(r"(?<=[0-9])：(?=[0-9])", ":", text)


def _only_quotes_turned(out: str, text: str) -> None:
    """``out`` is ``_fold(text)`` except for curled quotes turned round (a writer's typo,
    “赵天衡说 for ”赵天衡说), and on every line its double quotes alternate."""
    folded = _fold(text)
    assert len(out) == len(folded)
    turned = [i for i, (a, b) in enumerate(zip(out, folded)) if a != b]
    assert all({out[i], folded[i]} == {"“", "”"} for i in turned)
    assert len(turned) <= 2
    for line in out.splitlines():
        quotes = re.sub("[^“”]", "", line)
        assert "““" not in quotes and "””" not in quotes, line


def test_clean_news_only_folds_alphanumerics():
    text = "\n".join(clean_news())
    out = run(text)
    assert out != text  # the corpus writes １９９８年
    _only_quotes_turned(out, text)
    for mark in "，。、；？！（）《》『』…—":
        assert out.count(mark) == text.count(mark), mark
    assert out.count("“") + out.count("”") == text.count("“") + text.count("”")


def test_clean_news_through_all_four_stages_only_folds_alphanumerics():
    text = "\n".join(clean_news())
    out = text
    for stage in (UnicodeStage, PunctuationStage, WidthStage, SpacingStage):
        out = stage(Options()).transform(out)
    _only_quotes_turned(out, text)


@pytest.mark.parametrize(
    "text",
    [
        "中" + "(" * 1_000_000 + "中",
        "中" + ")" * 250_000,
        "中" + "(" * 300_000 + ")" * 300_000 + "文",
        "中" + "," * 1_000_000,
        "中" + '"' * 250_000,
        "中" + "." * 250_000,
        "中" + "。" * 350_000 + ",",
        "中(文" * 100_000,
        "中 " * 500_000,
        "a" * 1_000_000 + "中,",
        "a@" * 250_000 + "中,",
        "ｈｔｔｐ://" * 30_000 + "http://" * 30_000 + "中,",
        "：(" * 150_000 + "中",
    ],
    ids=[
        "open",
        "close",
        "nested",
        "commas",
        "quotes",
        "dots",
        "cjk-marks",
        "han-open",
        "spaces",
        "letters",
        "at-signs",
        "urls",
        "emoticons",
    ],
)
def test_long_runs_finish(text):
    assert len(run(text)) <= len(text)


# -- the vectorised path ---------------------------------------------------------------------

# Texts of several lines that mix what the per-line rules look at: brackets of both widths
# (nested, stray), quotes, readings, emoticons, URLs, code, dots, emphasis.
tricky = st.lists(
    st.sampled_from(
        list(",;:?!()\".中文好aZ9_ \n\r“”‘’（）《》。，、：１Ａｐ．-=/@\\'DPO…—")
        + ["...", "http://a.b/c", "www.x", ":-)", ":(", ";P", "(fā)", "(de)", 'f("', "x='"]
        + ["(IC)", "(1)", "\u0302", "\u3000", "\t", "\U00020000"]
    ),
    max_size=40,
).map("".join)
several_lines = st.lists(st.one_of(some_text, tricky), min_size=1, max_size=6).map("\n".join)


def _vectorised_changes(text: str) -> dict[int, str]:
    pos, new = width_module._punct_changes_vectorised(text, *classify(code_points(text)))
    assert len(set(pos.tolist())) == len(pos)
    return dict(zip(pos.tolist(), map(chr, new.tolist())))


@given(st.one_of(tricky, several_lines))
def test_vectorised_context_rules_match_the_per_line_rules(text):
    assert _vectorised_changes(text) == width_module._punct_changes(text)


@given(st.one_of(tricky, several_lines))
def test_short_texts_through_the_vectorised_path_give_the_same_result(text):
    expected = apply_edits(text, width_module._edits(text, width_module._punct_changes(text)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(width_module, "_VECTOR_MIN", 0)
        assert STAGE.transform(text) == expected
        assert apply_edits(text, STAGE.edits(text)) == expected


def test_class_table_agrees_with_the_character_sets():
    # The vectorised path reads classes from the table, the per-line path from the sets.
    table = class_table()
    for o in range(0x40010):
        ch = chr(o)
        kind = table[min(o, len(table) - 1)]
        assert (kind == CP_HAN) == is_han(ch), hex(o)
        assert (kind == CP_CJK) == (ch in CJK_PUNCT), hex(o)
        assert (kind == CP_ASCII) == (ch in CLUSTER_ASCII), hex(o)
        assert (CP_ASCII <= kind <= CP_SHARED) == (ch in CLUSTER_SET), hex(o)
        assert (kind in (CP_WIDE_DIGIT, CP_WIDE_LETTER)) == (o in FULLWIDTH_ALNUM_FOLD), hex(o)
        assert (kind == CP_BREAK) == (ch in "\r\n"), hex(o)
        if kind != CP_OTHER:
            assert unicodedata.combining(ch) == 0, hex(o)


# -- quotes facing by position, all lines at once ----------------------------------------------

quote_lines = st.lists(
    st.lists(
        st.sampled_from(['"', "＂", "“", "”", "中", "a", ",", "(", ")", " ", "\r"]), max_size=14
    ).map("".join),
    min_size=1,
    max_size=8,
).map("\n".join)


def _quote_arrays(text: str) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """The double quotes of ``text`` (code points, lines) and its lines' bounds."""
    bounds = [m.span() for m in re.finditer("[^\r\n]*", text)]
    bounds = [b for k, b in enumerate(bounds) if k == 0 or b[0] != bounds[k - 1][1]]
    codes, lines = [], []
    for k, (ls, le) in enumerate(bounds):
        for i in range(ls, le):
            if text[i] in DOUBLE_QUOTES:
                codes.append(ord(text[i]))
                lines.append(k)
    return np.array(codes, dtype=np.uint32), np.array(lines, dtype=np.intp), bounds


@given(quote_lines)
def test_quotes_face_the_same_way_on_every_line_at_once(text):
    codes, lines, bounds = _quote_arrays(text)
    want = facing_by_position(codes, lines).tolist()
    expected = [
        ord(line_quotes(text, ls, le).get(i, text[i]))
        for ls, le in bounds
        for i in range(ls, le)
        if text[i] in DOUBLE_QUOTES
    ]
    assert want == expected


@given(quote_lines)
def test_lines_whose_quotes_turn_are_found_the_same_way_at_once(text):
    codes, lines, bounds = _quote_arrays(text)
    found = [bounds[k] for k in turned_lines(codes, lines).tolist()]
    assert found == misfacing_lines(text)


# Chinese lines whose quotes turn, beside the marks and brackets the rules judge by them
quoted_lines = st.lists(
    st.lists(
        st.sampled_from(
            list(',;:?!()".中文aZ9 “”‘’（）《》。，：＂') + ["(fā)", "...", "( )", "http://a.b/c"]
        ),
        max_size=16,
    ).map("".join),
    min_size=1,
    max_size=8,
).map("\n".join)


@given(quoted_lines)
def test_lines_judged_with_their_quotes_turned_match_the_per_line_rules(text):
    assert _vectorised_changes(text) == width_module._punct_changes(text)

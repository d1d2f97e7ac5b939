"""One pass does all the work: ``normalize`` is a fixed point on every mix of the constructs
the stages act on, and ``explain`` composes its changes to the same text.

The CI profile runs a few hundred examples; ``benchmarks/idempotence.py`` runs hundreds of
thousands from the same generator and reports every failure.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from strategies import stage_mix

import normtext


@given(stage_mix)
def test_normalize_is_a_fixed_point_on_mixed_constructs(text):
    once = normtext.normalize(text)
    assert normtext.normalize(once) == once


@given(stage_mix)
def test_explain_text_equals_normalize(text):
    assert normtext.explain(text).text == normtext.normalize(text)


# Minimal inputs (shrunk from benchmarks/idempotence.py failures) on which one pass once
# left work for a second; each names the stage interplay it pins.
ONE_PASS_SHAPES = [
    # width: a mark beside a curled quote that the same pass turns round was judged by the
    # quote's old direction (`,”` is English, `,“` Chinese), so it widened a pass late
    '“樂@张三 Yahoo”return "大于";3.14,” 萧乾',
    # scope: a BOM (or zero-width space) splitting a word counted as two words, so the line
    # was English on the first pass and Chinese once the unicode stage removed it
    "ab\ufeffcd ⼈",
    "ab\u200bcd ⼈",
    "😀\u3000们a\ufeffa",
    # scope: a gloss removed from one line was a word fewer in the text, which made another
    # line (with a gloss of its own) Chinese on the second pass
    "裡(li)萬中文萧乾\np/x.n/a?b1C？e银行盯著這裡盯著隆í(h(T y s s.u）n大于解é）a@b.g\n網時（shí）",
    # spacing: removing a space joined a comma to a pause mark or comma (a spurious comma
    # on the second pass)
    "国, !時",
    "中, ,中",
    "中， ，中",
    # spacing: removing a space put an ASCII mark the width stage had left into Chinese
    # context (touching Han, or inside Latin embedded between ideographs)
    ",” 三",
    "三 “,",
    "大 ）0:e了",
    "大 ”C,０后",
    "决(1)e“ 佈",
    # spacing: removing a space between two addresses in Han joined them, and the first
    # then ended elsewhere (its tail's point became 。 on the second pass)
    "三@子.国 三@子.国",
    # gloss: a full-width gloss after spaces, glued to its character by the spacing stage
    "發 （fā）布",
    "發 (fā）布",
    "發（fā） （fa1）布",
    # punctuation: a mark spaced among Chinese judged its neighbour past the blanks while
    # that neighbour was still an ASCII mark the same pass widened
    ", ,发",
    "……, ,（百度",
    "」(\t,” 发",
    "(\t,” 发",
    # mojibake: a full-width letter (folded by the width stage) beside a single-byte run
    "…Ａmß^网",
    # mojibake: a decomposed letter in a run (the unicode stage composes it, one character
    # fewer, and the second pass read the composed run)
    "中e\u0301x中",
    "中文e\u0301x",
    "解e\u0301The",
    # mojibake: a no-break space or soft hyphen beside a run (the unicode stage makes the
    # first a space and removes the second; the second pass read the run without them)
    "发\xa0ß^",
    "月\xad¬´",
    "中文\xa0e\u0301x",
    # scope: a zero-width space between a bracket and a letter hid that the letter opens
    # a placeholder (``%(name)s``), so the word counted, and the line was English until
    # the unicode stage removed the space (then its CRLF turned LF on the second pass)
    "\rd(\u200bT間長中文a@b.c\r\n",
    # width: a blank to fill at a line's start was judged at offset 0 of the line alone
    # (a line with an ASCII quote), where "at the text's start" had counted as a name
    '\r(\xa0)G时"',
    # width: a bracket whose outer side, past a blank, is a comma the same pass widens
    "著, ,(1)》",
    # width: a mark a blank away from a bracket the same pass converts was judged by the
    # ASCII bracket (the line is judged again with its changes made)
    ", (２月)",
    "(裡8) ,",
    "-(\u3000, 国)",
    '\r\n,” (return "大于";发)',
    # spacing: removing a blank joined a stretch of marks (``”``) to a CJK mark, and the
    # joined run stood past blanks outside an ASCII bracket, which the width stage had
    # judged by the stretch alone (``隆(1) ” （``: a second pass widened the pair)
    "隆(1) ” (",
    # width: a full-width point the stage folds (between digits) was no point to the
    # address pattern, so an address began after it; folded, the point joined the handle
    # before it, no address was left, and its tail's point became 。 on the second pass
    "@0．8@子.国",
    # width: a mark a blank away from the run of a bracket the same pass converts (``)“``,
    # whose run holds a CJK mark once it is ``）``) was judged by the run as it was
    "国（1)“ ;",
    # script: OpenCC's tables chain (t2s maps 薴 to 苧, which it maps to 苎): a second pass
    # took the second step
    "瑲的薴",
    # scope: a letter run right after ``)`` is a placeholder's (``%(name)s``), no word; the
    # width stage made the bracket ``）``, after which the run counted, so the line with
    # the Simplified 国 turned English on the second pass and 後 alone was converted
    "後\nu、)xué国\nnǚ",
    # mojibake: a lone fragment whose evidence is the repair beside it (a second round of
    # the stage reads it once its neighbour is Chinese)
    "》“ß^å\x8f\x91",
    "！‘ß^å\x8f\x91",
    # mojibake: a run after an ASCII bracket the width stage widens (``布)“ß^``) is read
    # as after the full-width one, which a second pass sees
    "布)“ß^",
    "布,“ß^",
    # mojibake: an ASCII bracket the width stage widens ended no token of single bytes, so
    # an accented gloss before it kept a fragment after it from being read
    "(zhè)(ßｍ\xa0\t長；)",
    "這(zhè)(ßｍ\xa0長；)",
    # mojibake: a fragment the run's codec held back (the run read as Big5 leaves GBK
    # ``ß^``; ``¬r`` beside GBK 过) is read alone by a later round, as a second pass reads it
    "文ß^3¬´",
    "發ß^”¼ä",
    "ß^.¬r",
    # mojibake: GBK ``¨D`` between GBK repairs is ―, read by the run's codec (a second pass
    # read it alone as Big5 求)
    "生於1520―15年間".encode("gbk").decode("latin-1"),
    # mojibake: what the unicode and spacing stages take from between CJK text and the
    # marks opening a run (a blank, a BOM, a soft hyphen), or a radical they make Han, was
    # judged as it stood: a second pass read the run after the marks
    "為…\ufeffß^",
    "月\xad“ß^",
    "《“\u200b“ß^",
    "萬 “ß^",
    "⺠”ß^",
    # mojibake: a curled quote before ASCII (``“n``, which the width stage makes of ``"n``)
    # made a run of a fragment inside a word; so did a quote after it or after another
    'eß^{"n中這',
    '“"oß^⼈',
    # mojibake: a C1 control or BOM inside UTF-8 read as GBK (the unicode stage deletes
    # it) stopped the reading, or counted as garbled when the reading swallowed it
    '¢²¼\xadå\x8f\x91?("")',
    "鍙戝竷\ufeff使",
    # mojibake: a decomposed letter was no character a run may start with, before NFC
    # composed it
    "e\u0301x中",
    # mojibake: a sign and a straight quote beside Han (``®"``) is no character, but the
    # width stage curls the quote, and a sign with a curled quote read as one GBK character
    # on the second pass; a lone pair with a curled quote is now no evidence either
    '国®"中',
    '中×"级',
]


@pytest.mark.parametrize("text", ONE_PASS_SHAPES)
def test_one_pass_reaches_the_fixed_point_on_shapes_that_once_needed_two(text):
    once = normtext.normalize(text)
    assert normtext.normalize(once) == once
    assert normtext.explain(text).text == once


def test_a_gloss_after_spaces_goes_in_the_first_pass():
    assert normtext.normalize("發 （fā）布") == "发布"


def test_a_space_that_would_make_a_spurious_comma_stays():
    # one pass cannot both widen and drop the comma, so the space that keeps them apart stays
    assert normtext.normalize("中, ,中") == "中， ，中"

"""Code, JSON, URLs, @mentions and emoticons mixed with Chinese: the stages make no edit an
editor would undo (issue 14). Lines of code and JSON come out unchanged but for Han
characters swapped one for one (script conversion of string contents); in prose lines the
URL, handle or face itself is unchanged, while the Chinese prose around it may be repaired.
The lines are real (tests/data/code_safety/README.md names the source of each).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import normtext
from normtext.chars.classes import is_han

LINES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "code_safety" / "lines.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
]
# Found independently of the stages' own patterns: an ASCII URL without trailing prose
# marks, a handle with the space after it, a face.
_URL = re.compile(r"https?://[!-~]*[A-Za-z0-9/_#=&%~+\-]")
_HANDLE = re.compile(r"(?<![\w.])@\w+ ?")
_FACE = re.compile(r"\^_\^|:-?\)|o\(∩_∩\)o|\(\^o\^\)|\(\*?\^[_\w]*\^\*?\)")
_TOKENS = {"url": _URL, "mention": _HANDLE, "face": _FACE}


def _only_han_swapped(before: str, after: str) -> bool:
    return len(before) == len(after) and all(
        a == b or (is_han(a) and is_han(b)) for a, b in zip(before, after)
    )


def test_the_set_is_large_and_varied():
    kinds = {row["kind"] for row in LINES}
    assert len(LINES) >= 200 and kinds == {"code", "json", "url", "mention", "face"}


@pytest.mark.parametrize(
    "row", [r for r in LINES if r["kind"] in ("code", "json")], ids=lambda r: r["source"]
)
def test_code_and_json_lines_change_only_han(row):
    assert _only_han_swapped(row["text"], normtext.normalize(row["text"]))


@pytest.mark.parametrize(
    "row", [r for r in LINES if r["kind"] in _TOKENS], ids=lambda r: r["source"]
)
def test_urls_handles_and_faces_are_kept(row):
    out = normtext.normalize(row["text"])
    tokens = _TOKENS[row["kind"]].findall(row["text"])
    assert tokens
    for token in tokens:
        assert token in out


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "张三", "age": 30}',
        'return "大于";',
        "见https://zh.wikipedia.org/wiki/中文(语言)",
        "https://en.wikipedia.org/wiki/Python_(programming_language)",
        "联系张三@例子.中国",
        "@张三 你好",
        "行(xíng)走和银行(háng)",
        "好(^_^)好",
        "load_phrases_dict({'同行': [['tóng'], ['xíng']]})",
        "s = SnowNLP(u'这个东西真心很赞')",
        '    """包含声明和韵母的词语"""',
        '    "input": "虛偽歎息",',
    ],
)
def test_issue_examples_pass_unchanged_but_for_han(text):
    assert _only_han_swapped(text, normtext.normalize(text))


def test_code_and_json_lines_together_change_only_han():
    # One long text takes the stages' whole-text (vectorised) paths.
    text = "\n".join(r["text"] for r in LINES if r["kind"] in ("code", "json"))
    assert len(text) > 4096
    assert _only_han_swapped(text, normtext.normalize(text))


def test_prose_lines_together_keep_their_tokens():
    text = "\n".join(r["text"] for r in LINES if r["kind"] in _TOKENS)
    out = normtext.normalize(text)
    for row in LINES:
        if row["kind"] in _TOKENS:
            for token in _TOKENS[row["kind"]].findall(row["text"]):
                assert token in out

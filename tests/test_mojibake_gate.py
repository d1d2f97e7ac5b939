"""The mojibake stage's gate: text it turns away is text ``find_repairs`` repairs nothing
in, and for such text the repairs module is never loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from normtext.stages.mojibake import find_repairs
from normtext.stages.mojibake_gate import may_hold_mojibake

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    line.split("\t")[1]
    for line in (ROOT / "tests" / "data" / "decode_sentences.txt").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
]


def _garbled(text: str) -> list[str]:
    """``text`` misread every way the repairs know: UTF-8 as GBK, Big5 and Latin-1, GBK
    and Big5 as Latin-1, GBK a byte off."""
    utf8, gbk = text.encode("utf-8"), text.encode("gbk", "replace")
    big5 = text.encode("big5", "replace")
    return [
        utf8.decode("gbk", "replace"),
        utf8.decode("big5", "replace"),
        utf8.decode("latin-1"),
        gbk.decode("latin-1"),
        big5.decode("latin-1"),
        gbk[1:].decode("gbk", "replace"),
    ]


def test_every_repaired_text_passes_the_gate():
    texts = [g for s in SENTENCES[:200] for g in _garbled(s)]
    texts += (ROOT / "corpus" / "mojibake" / "input.txt").read_text("utf-8").splitlines()
    repaired = [t for t in texts if find_repairs(t)]
    assert len(repaired) > len(texts) // 4  # the sample holds mojibake
    assert all(may_hold_mojibake(t) for t in repaired)


@given(
    st.text(alphabet=st.sampled_from("发布時間ā（）()鍙戝竷¤¢²¼Ê±?\ufffdabc 1。\n"), max_size=40)
)
def test_gate_never_turns_away_a_repair(text):
    assert may_hold_mojibake(text) or not find_repairs(text)


def _loads_repairs(text: str) -> bool:
    code = (
        "import sys, normtext; normtext.normalize(sys.argv[1]); "
        "print('normtext.stages.mojibake' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, text], capture_output=True, text=True, check=True
    )
    return out.stdout.strip() == "True"


def test_clean_text_never_loads_the_repairs():
    assert not _loads_repairs("發(fā)布时间：2020年")
    assert _loads_repairs("鍙戝竷鏃堕棿")

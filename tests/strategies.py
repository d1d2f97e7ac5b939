"""Hypothesis strategies for text damaged the way real pages are."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

SAMPLE = Path(__file__).parent / "data" / "pd199801_sample.txt"
NEWS = Path(__file__).parent / "data" / "clean_news.txt"


def clean_news() -> list[str]:
    """Clean People's Daily lines (tests/data/clean_news.txt, header comment skipped)."""
    lines = NEWS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


CLEAN_LINES = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]

damage_pieces = st.one_of(
    st.sampled_from(CLEAN_LINES).map(lambda line: line[:40]),
    st.sampled_from(list("發網時間們這個說為著裡乾後於萧乾王丙")),
    st.sampled_from(
        ["(fā)", "(wǎng)", "（fā）", "(a)", "(IC)", "(1997)", "(廣州)", "(", ")", "（", "）"]
    ),
    st.sampled_from(list(",,.:;?!\"'、，。：；？！“”…—～《》【】 \u3000\u00a0\u200b\ufeff\t\n")),
    st.sampled_from(
        [
            "１２月",
            "ＡＢＣ",
            "3.14",
            "1,000",
            "12:30",
            "http://x.cn/a?b=1",
            "a@b.com",
            "C:\\dir\\f.txt",
        ]
    ),
    st.sampled_from(["⼈⺠", "\uf900", "\u2f00", "鍙戝竷鏃堕棿", "·¢²¼", "â€œ", "å\x8f\x91"]),
    st.text(max_size=3),
)

damaged_text = st.lists(damage_pieces, max_size=25).map("".join)
clean_simplified = st.lists(st.sampled_from(CLEAN_LINES), min_size=1, max_size=5).map("\n".join)

any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)

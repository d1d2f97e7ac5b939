"""normtext.decode: bytes to text, right on short Chinese text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import normtext
from normtext import DecodeError, NotTextError, decode
from normtext.decoding import Decoded

SAMPLE = Path(__file__).parent / "data" / "decode_sentences.txt"
ROWS = [
    line.split("\t")
    for line in SAMPLE.read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]
SIMPLIFIED = [row[1] for row in ROWS]
TRADITIONAL = [row[2] for row in ROWS]


def encodable(texts: list[str], codec: str) -> list[str]:
    out = []
    for text in texts:
        try:
            text.encode(codec)
        except UnicodeEncodeError:
            continue
        out.append(text)
    return out


def test_decode_and_decoded_are_public() -> None:
    assert normtext.decode is decode
    assert normtext.Decoded is Decoded


def test_sample_has_real_sentences_of_both_domains() -> None:
    assert {row[0] for row in ROWS} == {"news", "reviews"}
    assert len(ROWS) >= 300


@pytest.mark.parametrize(
    ("codec", "texts"),
    [
        ("gb18030", SIMPLIFIED),
        ("gbk", SIMPLIFIED),
        ("gbk", TRADITIONAL),
        ("big5", TRADITIONAL),
        ("utf-16-le", SIMPLIFIED),
        ("utf-16-be", TRADITIONAL),
        ("utf-8", SIMPLIFIED),
    ],
)
def test_every_sample_sentence_decodes_exactly(codec: str, texts: list[str]) -> None:
    wrong = [t for t in encodable(texts, codec) if decode(t.encode(codec)).text != t]
    assert wrong == []


@given(st.sampled_from(SIMPLIFIED), st.sampled_from(["gb18030", "gbk", "utf-8", "utf-16-le"]))
def test_decode_round_trips_simplified_sentences(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    assert decode(data).text == text


@given(st.sampled_from(TRADITIONAL), st.sampled_from(["big5", "big5hkscs", "utf-16-be", "gbk"]))
def test_decode_round_trips_traditional_sentences(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    assert decode(data).text == text


@given(st.lists(st.sampled_from(SIMPLIFIED), min_size=1, max_size=3), st.integers(0, 40))
def test_decode_round_trips_short_cuts_of_gb_text(lines: list[str], cut: int) -> None:
    text = "".join(lines)[cut : cut + 8]
    if len(text) < 8:
        return
    try:
        data = text.encode("gbk")
    except UnicodeEncodeError:
        return
    assert decode(data).text == text


def test_gb_snippet_of_eight_characters_is_gb18030() -> None:
    result = decode("发布时间新华社讯".encode("gbk"))
    assert (result.text, result.encoding) == ("发布时间新华社讯", "gb18030")
    assert result.confidence > 0.9
    assert result.replaced == 0


def test_big5_snippet_is_big5() -> None:
    result = decode("發布時間新華社訊".encode("big5"))
    assert (result.text, result.encoding) == ("發布時間新華社訊", "big5")


def test_big5hkscs_circled_digits_beat_big5_kana() -> None:
    # C6A1 is ① in big5hkscs and ヾ in Python's big5: plausibility settles it
    data = "①中華民國②".encode("big5hkscs")
    assert data.decode("big5") != data.decode("big5hkscs")
    result = decode(data)
    assert (result.text, result.encoding) == ("①中華民國②", "big5hkscs")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_found_with_and_without_ascii(codec: str) -> None:
    for text in ("发布时间", "Windows 10 发布时间", "好睡不着就看看吧"):
        result = decode(text.encode(codec))
        assert (result.text, result.encoding) == (text, codec)


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (codecs.BOM_UTF8 + "中文".encode(), "utf-8-sig", "中文"),
        ("中文".encode("utf-16"), "utf-16", "中文"),
        (codecs.BOM_UTF16_BE + "中文".encode("utf-16-be"), "utf-16", "中文"),
        ("中文".encode("utf-32"), "utf-32", "中文"),
    ],
)
def test_byte_order_mark_decides(data: bytes, encoding: str, text: str) -> None:
    result = decode(data)
    assert (result.text, result.encoding) == (text, encoding)
    assert result.confidence >= 0.9


def test_ascii_and_empty_input() -> None:
    assert decode(b"plain text\n").encoding == "ascii"
    assert decode(b"").text == ""


def test_valid_utf8_is_utf8() -> None:
    assert decode("目录 Café".encode()).encoding == "utf-8"


def test_gb_word_inside_ascii_is_not_taken_for_utf8() -> None:
    # 台 in GBK (CC A8) is valid UTF-8 for a combining ogonek: not text anyone writes
    text = "台check in"
    assert decode(text.encode("gbk")).text == text


def test_undecodable_bytes_are_replaced_counted_and_located() -> None:
    data = "你好世界，今天天气很好".encode("gbk") + b"\xff" + "我们去公园".encode("gbk")
    result = decode(data)
    assert result.text == "你好世界，今天天气很好\ufffd我们去公园"
    assert result.replaced == 1
    assert result.replaced_offsets == (22,)
    assert result.encoding == "gb18030"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        b"GIF89a\x01\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"PK\x03\x04\x14\x00\x00\x00",
        b"\x1f\x8b\x08\x00",
        b"%PDF-1.7\n",
        b"\x7fELF\x02\x01\x01",
        bytes(range(256)),
        b"ab\x00\x01\x02cd\x00\xff",
    ],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(NotTextError):
        decode(data)


def test_not_text_error_is_a_decode_error() -> None:
    assert issubclass(NotTextError, DecodeError)


def test_forced_encoding_is_used() -> None:
    data = "发布".encode("gbk")
    result = decode(data, encoding="GBK")
    assert (result.text, result.encoding, result.replaced) == ("发布", "gbk", 0)
    assert decode(data, encoding="latin-1").text == "·¢²¼"


def test_forced_encoding_counts_bad_bytes() -> None:
    result = decode(b"ok\xffok", encoding="utf-8")
    assert (result.text, result.replaced, result.replaced_offsets) == ("ok\ufffdok", 1, (2,))


def test_unknown_encoding_names_it() -> None:
    with pytest.raises(DecodeError, match="no-such-codec"):
        decode(b"abc", encoding="no-such-codec")


def test_non_chinese_text_goes_to_charset_normalizer() -> None:
    korean = "대한민국은 동아시아의 한반도 남부에 있는 민주공화국이다. 서울은 대한민국의 수도이며 가장 큰 도시이다."
    result = decode(korean.encode("euc-kr"))
    assert result.text == korean
    japanese = "これは日本語の文章です。東京は日本の首都であり、最も大きな都市です。"
    assert decode(japanese.encode("shift_jis")).text == japanese


def test_decode_rejects_str() -> None:
    with pytest.raises(TypeError):
        decode("text")  # type: ignore[arg-type]


@given(st.binary(max_size=200))
def test_arbitrary_bytes_decode_or_raise_a_decode_error(data: bytes) -> None:
    try:
        result = decode(data)
    except DecodeError:
        return
    assert isinstance(result.text, str)
    assert result.replaced == len(result.replaced_offsets)
    assert all(0 <= offset < len(data) for offset in result.replaced_offsets)


@pytest.mark.parametrize("tail", [b"\xff", b"a\xff", b"\xe5\x8f"])
def test_utf8_with_one_bad_byte_stays_utf8_whatever_its_length(tail):
    text = "发布时间是今天，新华网报道。"
    decoded = normtext.decode(text.encode("utf-8") + tail)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith(text)
    assert decoded.replaced >= 1

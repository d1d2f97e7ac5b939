"""Smoke test of an installed wheel, run from outside the repo: every shipped table loads."""

import normtext
from normtext.chars import script as hanzi  # character facts moved to chars/
from normtext.opencc.config import CONFIG_NAMES

assert normtext.__file__ and "site-packages" in normtext.__file__, normtext.__file__
for config in CONFIG_NAMES:
    assert normtext.convert("漢字", config)
assert normtext.convert("漢字", "t2s") == "汉字"
assert hanzi.traditional_only() and hanzi.simplified_seen()
out = normtext.normalize("發(fā)布時間:2020-02-14,,新華網(wǎng)")
assert "发布时间" in out and "(fā)" not in out, out
decoded = normtext.decode("发布时间".encode("gb18030"))
assert decoded.text == "发布时间", decoded
# the typed public names and the command's packages ship too
assert {"Decoded", "DictionaryError", "OptionsKwargs"} <= set(dir(normtext))
from normtext.cli import main  # noqa: E402 - the console script's entry point
from normtext.files import Runner  # noqa: E402, F401

assert callable(main)
print("smoke ok:", out)

"""Character facts, each defined once, for every stage, the decoder and the CLI.

* ``classes``   what is Han, punctuation classes, full-width forms, spans to leave alone
* ``script``    which characters prove Traditional or Simplified, and which standard
* ``frequency`` how plausible a string is as Chinese text (character and pair tables)

Nothing outside this package decides these questions on its own: a second definition of
"is Han" is how one stage comes to undo what another did.
"""

"""Policy-change regression: run fixture suites, diff two states of the rules, coverage by article.

A ministry that changes a catalog or a rule wants to know, before it
publishes, which decisions change and how, in legal terms.  This package
holds the pieces behind ``credit-rules test``, ``credit-rules diff`` and the
pytest plugin:

- :mod:`.runner`   — the one runner: find case, information and query fixtures, select them
  (``-k``), decide, check, mask, report (every entry point uses it);
- :mod:`.select`   — the ``-k`` expression language (substrings with and/or/not);
- :mod:`.junit`    — JUnit XML for CI systems;
- :mod:`.coverage` — which cited paragraphs fixtures exercise passing and failing;
- :mod:`.refs`     — what a REF names: a directory, a git revision, or ``shipped``;
- :mod:`.classify` — the table of change classes by legal effect;
- :mod:`.diff`     — decide every fixture both ways and classify the changes;
- :mod:`.report`   — the diff as text, Markdown, HTML or JSON;
- :mod:`.accept`   — write head decisions into fixture expectations.
"""

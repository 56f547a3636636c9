"""Textual's Stylesheet, with the parsed rules kept for the process instead of per instance.

Textual parses every CSS source again, from scratch, whenever a screen with new CSS starts or
the theme's variables are (re)set: `reparse` parses everything into a fresh Stylesheet with an
empty cache. A remote player's start-up did three full parses of the same sources (about a
fifth of its CPU before the first frame), and a class connects thirty players at once.

Here the parsed rules of a source are cached per process, keyed by everything that goes into
parsing it: the text, where it came from, its kind and scope, and the CSS variables. Textual
already hands the same parsed RuleSets out again from its own per-instance cache, so sharing
them between instances changes nothing they rely on. textual is pinned (8.2.8): `reparse` is
Textual's own, but makes its fresh stylesheet of this class so that the cache serves it.
"""

from __future__ import annotations

from textual.cache import LRUCache
from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet

PARSED: LRUCache[tuple, list[RuleSet]] = LRUCache(256)


class SharedStylesheet(Stylesheet):
    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, *self._variables.items())
        rules = PARSED.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            PARSED[key] = rules
        return rules

    def reparse(self) -> None:
        stylesheet = type(self)(variables=self._variables)
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            stylesheet.add_source(
                css,
                read_from=read_from,
                is_default_css=is_defaults,
                tie_breaker=tie_breaker,
                scope=scope,
            )
        try:
            stylesheet.parse()
        except Exception:
            self._invalid_css.update(stylesheet._invalid_css)
            raise
        else:
            self._rules = stylesheet.rules
            self._rules_map = None
            self.source = stylesheet.source
            self._require_parse = False

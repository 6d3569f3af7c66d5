"""Article metadata from every structured source a page offers.

:func:`collect` gathers *candidates*: for each field (``title``, ``byline``,
``published``, ``updated``, ``site``, ``url``) the values each source gives, in
the order found. Sources:

``json-ld``
    schema.org ``Article``/``NewsArticle``/``BlogPosting``... in
    ``<script type="application/ld+json">``, ``@graph`` arrays included.
``json-ld-page``
    the same keys on a ``WebPage``/``WebSite``/``Organization`` object.
``microdata``
    ``itemprop`` attributes (``headline``, ``author``, ``datePublished``...).
``opengraph``
    ``og:*`` and ``article:*`` properties.
``meta``
    named ``<meta>`` tags: ``author``, ``parsely-*``, ``sailthru.*``, ``dc.*``...
``twitter``
    a ``twitter:dataN`` tag whose ``twitter:labelN`` says "Written by".
``time``
    ``<time datetime>`` elements.
``byline``
    elements marked as the author: ``rel=author`` links, ``class``/``id``
    containing ``author`` or ``byline`` (their text cleaned of "By", dates,
    "5 min read"...).
``author-link``
    links to an author page (``/author/...``).
``author-box``
    an element marked as the author that holds more than a name (a bio): its
    first line, when shaped like a name.
``date-class``
    the first date in a short element whose ``class`` names a date or
    publishing ("post-date", "published-date"), outside nav, footer and aside.
``header``
    the visible lines right under the headline ``<h1>``: the first date there,
    a "By Jane Doe" line.
``header-name``
    under the headline, a line shaped like a person's name just before the
    first date line ("Jane Doe / Senior editor / June 3, 2025").
``header-given``
    one of the three lines under the headline, shaped like a name and starting
    with a known given name (``data/names/given_names.txt``).
``h1``
    the page's non-empty ``<h1>`` elements.
``title``
    ``<title>`` with the site name taken off.
``url``
    a date in the URL path (``/2025/09/04/``).
``canonical``
    ``<link rel=canonical>``.

:func:`ranked_candidates` then derives the candidates :func:`choose` ranks:
titles with the site name taken off, ``h1+`` (an ``<h1>`` another source
confirms), ``h1ok`` (an ``<h1>`` that does not look like a site name or a menu),
``<source>-site`` (a byline that is the site's own name) and ``json-ld-org`` (an
``Organization`` as author). Which source wins is decided by an order measured on
a benchmark (``data/extract/sources.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any
from urllib.parse import unquote

from lxml.etree import XPath

from newsclean.stages.extract.bylines import NAME_LINE, URLISH, WRITTEN_BY, split_byline
from newsclean.stages.extract.choose import FIELDS, Candidates
from newsclean.stages.extract.header import from_header, headline_element, title_element
from newsclean.stages.extract.nodes import clean_text, element_text, visible_texts
from newsclean.text.htmldates import date_in_url, find_dates, parse_date

_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "livblogposting",
        "liveblogposting",
        "techarticle",
        "scholarlyarticle",
        "socialmediaposting",
        "posting",
        "report",
        "review",
        "howto",
        "recipe",
        "medicalwebpage",
    }
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage", "faqpage"})


def _meta_keys() -> dict[str, tuple[str, str]]:
    """``<meta>`` name/property (lower case) -> (field, source), from
    ``data/extract/meta_keys.tsv``."""
    text = resources.files("newsclean").joinpath("data/extract/meta_keys.tsv").read_text("utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return {key: (field, source) for key, field, source in rows}


_META = _meta_keys()
_ITEMPROP = {
    "headline": "title",
    "author": "byline",
    "creator": "byline",
    "datepublished": "published",
    "datecreated": "published",
    "datemodified": "updated",
}
_AUTHOR_CLASS = re.compile(r"(?:^|[\s_-])(?:author|byline|writer)(?:$|[\s_-]|name)", re.I)
# over the attribute axis, not every element's: three times faster; "uthor" and
# "yline" catch Author/author, Byline/byline
_AUTHOR_XPATH = XPath(
    "//@class[contains(., 'uthor') or contains(., 'yline') or contains(., 'writer')]/.."
    " | //@id[contains(., 'uthor') or contains(., 'yline')]/.."
)
_NOT_BYLINE_TAGS = frozenset({"script", "style", "img", "a", "meta", "body", "html", "link"})
_AUTHOR_LINK = XPath(
    "//body//a[contains(@href, '/author/') or contains(@href, '/authors/')"
    " or contains(@href, '/writers/') or contains(@href, '/staff/')][normalize-space()]"
)
# Elements a theme marks as the post's date ("post-date", "fusion-tb-published-date",
# "article-byline__pub-dates"), outside navigation and page furniture.
_DATE_XPATH = XPath(
    "(//body//@class[contains(., 'date') or contains(., 'publish')]/..)"
    "[not(ancestor::nav or ancestor::footer or ancestor::aside)]"
)
# <time> outside comment threads (a reader's comment is dated too): no ancestor with a
# class token or an id that starts with "comment" ("BlogItem-comments" on a post's
# wrapper does not count)
_TIME_XPATH = XPath(
    "//time[not(ancestor::*[contains(concat(' ', @class), ' comment')"
    " or starts-with(@id, 'comment')])]"
)
_AUTHOR_NOISE = re.compile(r"(?:avatar|image|img|photo|bio|box|social|follow|link|icon|wrap)", re.I)


# --- JSON-LD -----------------------------------------------------------------


def _ld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        raw = script.text
        if not raw or not raw.strip():
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):  # RecursionError: nested too deep (#9)
            continue
        yield from _flatten(data, 0)


def _flatten(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict):
            yield from _flatten(main, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _ld_names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Person names from an ``author`` value: a string, an object, a list, an @id."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [name for item in value for name in _ld_names(item, by_id)]
    if isinstance(value, dict):
        name = value.get("name")
        if not name and isinstance(value.get("@id"), str):
            name = (by_id.get(value["@id"]) or {}).get("name")
        if isinstance(name, list):
            name = " ".join(n for n in name if isinstance(n, str))
        if isinstance(name, str):
            return [name]
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return [f"{given} {family}"]
    return []


def _is_org(value: Any, by_id: dict[str, dict[str, Any]]) -> bool:
    if isinstance(value, dict) and not value.get("@type") and isinstance(value.get("@id"), str):
        value = by_id.get(value["@id"], value)
    return isinstance(value, dict) and bool(
        _types(value) & {"organization", "newsmediaorganization", "corporation", "brand"}
    )


def _ld_string(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or value.get("url")
    return value if isinstance(value, str) else None


def _from_json_ld(tree: Any, add: Any) -> None:
    objects = list(_ld_objects(tree))
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    for obj in objects:
        kinds = _types(obj)
        if kinds & _ARTICLE_TYPES:
            source = "json-ld"
        elif kinds & _PAGE_TYPES:
            source = "json-ld-page"
        elif "website" in kinds:
            site = _ld_string(obj.get("name"))
            if site:
                add("site", "json-ld", site)
            continue
        else:
            continue
        for key in ("headline", "name"):
            title = _ld_string(obj.get(key))
            if title:
                add("title", source, title)
                break
        authors = obj.get("author")
        authors = authors if isinstance(authors, list) else [authors]
        people = [a for a in authors if not _is_org(a, by_id)]
        names = _ld_names(people, by_id)
        if names:
            add("byline", source, names)
        orgs = _ld_names([a for a in authors if _is_org(a, by_id)], by_id)
        if orgs:
            add("byline", f"{source}-org", orgs)
        for key, field in (("datePublished", "published"), ("dateCreated", "published")):
            value = _ld_string(obj.get(key))
            if value:
                add(field, source, value)
        value = _ld_string(obj.get("dateModified"))
        if value:
            add("updated", source, value)
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("@id"), str):
            publisher = by_id.get(publisher["@id"], publisher)
        site = _ld_string(publisher)
        if site and not URLISH.search(site):
            add("site", source, site)
        url = obj.get("url") or obj.get("mainEntityOfPage")
        url = _ld_string(url) if not isinstance(url, dict) else _ld_string(url.get("@id"))
        if url and url.startswith("http"):
            add("url", source, url)


_CITATION_AUTHOR = frozenset({"citation_author", "citation_authors"})


def _from_meta(tree: Any, add: Any) -> None:
    metas = [
        (key.strip().lower(), content, meta)
        for meta in tree.iterfind(".//meta")
        for key, content in [
            (meta.get("property") or meta.get("name") or meta.get("itemprop"), meta.get("content"))
        ]
        if key and content
    ]
    # scholarly pages: one citation_author tag per author, in order; together they
    # are the byline (ahead of a dc.creator that names the first author only)
    cited = [c for key, c, _ in metas if key in _CITATION_AUTHOR]
    if cited:
        add("byline", "meta", cited)
    labels = {
        key.removeprefix("twitter:label"): c
        for key, c, _ in metas
        if key.startswith("twitter:label")
    }
    for key, content, meta in metas:
        if key in _CITATION_AUTHOR:
            continue
        if key.startswith("twitter:data") and WRITTEN_BY.match(labels.get(key[12:], "")):
            # Yoast's "twitter:label1 Written by / twitter:data1 Jane Doe"
            add("byline", "twitter", content)
            continue
        target = _META.get(key)
        if target is not None:
            add(target[0], target[1], content)
        elif meta.get("itemprop") and key in _ITEMPROP:
            add(_ITEMPROP[key], "microdata", content)


def _from_microdata(tree: Any, add: Any) -> None:
    for element in tree.xpath("//*[@itemprop][not(self::meta)][not(self::link)]"):
        field = _ITEMPROP.get((element.get("itemprop") or "").strip().lower())
        if field is None:
            continue
        if field in ("published", "updated"):
            value = element.get("datetime") or element.get("content") or element_text(element)
        elif field == "byline":
            named = element.xpath('.//*[@itemprop="name"]')
            value = element.get("content") or element_text(named[0] if named else element)
        else:
            value = element.get("content") or element_text(element)
        if value:
            add(field, "microdata", value)


def _from_elements(tree: Any, add: Any) -> None:
    for element in _TIME_XPATH(tree):
        value = element.get("datetime") or element_text(element)
        if value:
            add("published", "time", value)
    for element in _DATE_XPATH(tree):
        text = element_text(element)
        if 0 < len(text) <= 80:
            for value in find_dates(text)[:1]:
                add("published", "date-class", value)
    for element in tree.iterfind(".//h1"):
        text = element_text(element)
        if text:
            add("title", "h1", text)
    titles = tree.findall(".//title")
    if titles:
        text = element_text(titles[0])
        if text:
            add("title", "title", text)
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower()
        if rel == "canonical" and link.get("href", "").startswith("http"):
            add("url", "canonical", link.get("href"))
    for element in tree.xpath('//a[@rel="author"]'):
        add("byline", "byline", element_text(element))
    for element in _AUTHOR_LINK(tree):
        add("byline", "author-link", element_text(element))
    for element in _AUTHOR_XPATH(tree):
        if element.tag in _NOT_BYLINE_TAGS:
            continue
        marker = f"{element.get('class') or ''} {element.get('id') or ''}"
        # the noise words count in the author-marked tokens only: "author-avatar" is
        # no name, "post-author-name has-link-color" is
        marked = " ".join(t for t in marker.split() if _AUTHOR_CLASS.search(t))
        if marked and not _AUTHOR_NOISE.search(marked):
            text = element_text(element)
            if 0 < len(text) <= 80:
                add("byline", "byline", text)
            elif text:
                # an author box: the name, then a bio ("Jane Doe / Jane is a writer...")
                first = next((clean_text(t) for t in visible_texts(element) if t.strip()), "")
                if NAME_LINE.match(first):
                    add("byline", "author-box", first)


def collect(tree: Any) -> Candidates:
    """Every candidate value per field, per source, as the page gives it (cleaned
    of whitespace; dates as ISO 8601; bylines as lists of names)."""
    found: Candidates = {field: [] for field in FIELDS}

    def add(field: str, source: str, value: Any) -> None:
        if field in ("published", "updated"):
            value = parse_date(value) if isinstance(value, str) and source != "url" else value
        elif field == "byline":
            value = split_byline(value if isinstance(value, list) else [value])
        elif isinstance(value, str):
            value = clean_text(value)
        if value:
            found[field].append((source, value))

    _from_json_ld(tree, add)
    _from_meta(tree, add)
    _from_microdata(tree, add)
    _from_elements(tree, add)
    for _, url in found["url"][:1]:
        # an og:url written percent-encoded ("%2Farticles%2F2025-12-15%2B...")
        add("published", "url", date_in_url(unquote(url)))
    anchor = headline_element(tree, found["title"])
    if anchor is None:
        anchor = title_element(tree, found)
    if anchor is not None:
        from_header(anchor, add)
    return found

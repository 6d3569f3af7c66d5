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

import html as html_lib
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from lxml.etree import XPath

from newsclean.text.htmldates import date_in_url, find_date_spans, find_dates, parse_date
from newsclean.text.persons import is_person

Candidates = dict[str, list[tuple[str, Any]]]
FIELDS = ("title", "byline", "published", "updated", "site", "url")

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

# meta name/property -> (field, source); names are compared lower-cased
_META: dict[str, tuple[str, str]] = {
    "og:title": ("title", "opengraph"),
    "twitter:title": ("title", "meta"),
    "parsely-title": ("title", "meta"),
    "sailthru.title": ("title", "meta"),
    "dc.title": ("title", "meta"),
    "dcterms.title": ("title", "meta"),
    "citation_title": ("title", "meta"),
    "headline": ("title", "meta"),
    "article:author": ("byline", "opengraph"),
    "author": ("byline", "meta"),
    "parsely-author": ("byline", "meta"),
    "sailthru.author": ("byline", "meta"),
    "dc.creator": ("byline", "meta"),
    "dcterms.creator": ("byline", "meta"),
    "byl": ("byline", "meta"),
    "article.author": ("byline", "meta"),
    "cxenseparse:author": ("byline", "meta"),
    "article:published_time": ("published", "opengraph"),
    "og:published_time": ("published", "opengraph"),
    "article:published": ("published", "opengraph"),
    "parsely-pub-date": ("published", "meta"),
    "sailthru.date": ("published", "meta"),
    "dc.date": ("published", "meta"),
    "dc.date.issued": ("published", "meta"),
    "dcterms.date": ("published", "meta"),
    "dcterms.created": ("published", "meta"),
    "dcterms.issued": ("published", "meta"),
    "citation_publication_date": ("published", "meta"),
    "citation_date": ("published", "meta"),
    "date": ("published", "meta"),
    "pubdate": ("published", "meta"),
    "publishdate": ("published", "meta"),
    "publish-date": ("published", "meta"),
    "publish_date": ("published", "meta"),
    "published_time": ("published", "meta"),
    "article.published": ("published", "meta"),
    "datepublished": ("published", "meta"),
    "article_date_original": ("published", "meta"),
    "original-publish-date": ("published", "meta"),
    "cxenseparse:recs:publishtime": ("published", "meta"),
    "published": ("published", "meta"),
    "published-date": ("published", "meta"),
    "published_date": ("published", "meta"),
    "publication-date": ("published", "meta"),
    "publication_date": ("published", "meta"),
    "date-published": ("published", "meta"),
    "article:modified_time": ("updated", "opengraph"),
    "og:updated_time": ("updated", "opengraph"),
    "article:modified": ("updated", "opengraph"),
    "datemodified": ("updated", "meta"),
    "dcterms.modified": ("updated", "meta"),
    "last-modified": ("updated", "meta"),
    "lastmod": ("updated", "meta"),
    "modified-date": ("updated", "meta"),
    "modified_date": ("updated", "meta"),
    "og:site_name": ("site", "opengraph"),
    "application-name": ("site", "meta"),
    "apple-mobile-web-app-title": ("site", "meta"),
    "og:url": ("url", "opengraph"),
}
_ITEMPROP = {
    "headline": "title",
    "author": "byline",
    "creator": "byline",
    "datepublished": "published",
    "datecreated": "published",
    "datemodified": "updated",
}

_SPACE = re.compile(r"\s+")
_BY = re.compile(
    r"^\s*(?:(?:written|authored|posted|published|reviewed|edited|words|story|text|report(?:ed|ing)?)"
    r"\s+)?(?:by|von|par|por|di|door|av)\s*[:\-]?\s+",
    re.I,
)
_URLISH = re.compile(r"^(?:https?:|www\.|/)|@", re.I)
_NOT_A_NAME = re.compile(
    r"^(?:admin|administrator|webmaster|unknown|anonymous|the author|author|by)$"
    r"|^\d|[|{}<>]",
    re.I,
)
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—:·•»~/]|::)\s+")
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


def clean_text(value: str) -> str:
    """One line, single spaces; HTML entities left in JSON-LD (``&#8217;``) decoded."""
    if "&" in value:
        value = html_lib.unescape(value)
    return _SPACE.sub(" ", value).strip()


def _text(element: Any) -> str:
    """The text of an element, its text nodes joined by spaces (so that
    ``<b>By</b>Jane`` does not read "ByJane")."""
    return clean_text(" ".join(element.itertext()))


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
        if site and not _URLISH.search(site):
            add("site", source, site)
        url = obj.get("url") or obj.get("mainEntityOfPage")
        url = _ld_string(url) if not isinstance(url, dict) else _ld_string(url.get("@id"))
        if url and url.startswith("http"):
            add("url", source, url)


# --- meta tags, microdata, elements ---------------------------------------------


_WRITTEN_BY = re.compile(r"^\s*(?:written by|author|authors|by)\s*:?\s*$", re.I)
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
        if key.startswith("twitter:data") and _WRITTEN_BY.match(labels.get(key[12:], "")):
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
            value = element.get("datetime") or element.get("content") or _text(element)
        elif field == "byline":
            named = element.xpath('.//*[@itemprop="name"]')
            value = element.get("content") or _text(named[0] if named else element)
        else:
            value = element.get("content") or _text(element)
        if value:
            add(field, "microdata", value)


def _from_elements(tree: Any, add: Any) -> None:
    for element in _TIME_XPATH(tree):
        value = element.get("datetime") or _text(element)
        if value:
            add("published", "time", value)
    for element in _DATE_XPATH(tree):
        text = _text(element)
        if 0 < len(text) <= 80:
            for value in find_dates(text)[:1]:
                add("published", "date-class", value)
    for element in tree.iterfind(".//h1"):
        text = _text(element)
        if text:
            add("title", "h1", text)
    titles = tree.findall(".//title")
    if titles:
        text = _text(titles[0])
        if text:
            add("title", "title", text)
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower()
        if rel == "canonical" and link.get("href", "").startswith("http"):
            add("url", "canonical", link.get("href"))
    for element in tree.xpath('//a[@rel="author"]'):
        add("byline", "byline", _text(element))
    for element in _AUTHOR_LINK(tree):
        add("byline", "author-link", _text(element))
    for element in _AUTHOR_XPATH(tree):
        if element.tag in _NOT_BYLINE_TAGS:
            continue
        marker = f"{element.get('class') or ''} {element.get('id') or ''}"
        # the noise words count in the author-marked tokens only: "author-avatar" is
        # no name, "post-author-name has-link-color" is
        marked = " ".join(t for t in marker.split() if _AUTHOR_CLASS.search(t))
        if marked and not _AUTHOR_NOISE.search(marked):
            text = _text(element)
            if 0 < len(text) <= 80:
                add("byline", "byline", text)
            elif text:
                # an author box: the name, then a bio ("Jane Doe / Jane is a writer...")
                first = next((clean_text(t) for t in _texts(element) if t.strip()), "")
                if _NAME_LINE.match(first):
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
    anchor = _headline_element(tree, found["title"])
    if anchor is None:
        anchor = _title_element(tree, found)
    if anchor is not None:
        _from_header(anchor, add)
    return found


_HIDDEN = frozenset({"script", "style", "noscript", "template"})
_VISIBLE_TEXT = XPath(
    "descendant::text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
)


def _texts(element: Any) -> Iterator[str]:
    """The visible text nodes of ``element`` in document order (not its tail)."""
    if not isinstance(element.tag, str) or element.tag in _HIDDEN:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _texts(child)
        if child.tail:
            yield child.tail


def _following(anchor: Any) -> Iterator[str]:
    """Text nodes after ``anchor`` in document order, walking siblings then the
    siblings of each ancestor: only what is read is visited (an XPath
    ``following::`` axis would collect the rest of the page first)."""
    node = anchor
    while node is not None:
        if node.tail:
            yield node.tail
        for sibling in node.itersiblings():
            yield from _texts(sibling)
            if sibling.tail:
                yield sibling.tail
        node = node.getparent()
        if node is not None and node.tag == "body":
            return


def _preceding(anchor: Any, limit: int) -> list[str]:
    """Up to ``limit`` non-blank text nodes just before ``anchor``, in document order."""
    out: list[str] = []
    node = anchor
    while node is not None and node.tag != "body" and len(out) < limit:
        for sibling in node.itersiblings(preceding=True):
            inner = _VISIBLE_TEXT(sibling) if isinstance(sibling.tag, str) else []
            texts = [t for t in (*inner[-limit:], sibling.tail or "") if t.strip()]
            out[:0] = texts
            if len(out) >= limit:
                break
        node = node.getparent()
    return out[-limit:]


_HEADER_CHARS = 700
_LABEL_LINE = re.compile(
    r"^(?:written by|posted by|published by|by|author|authors|words by|story by)\s*:?$", re.I
)
_BY_NAME = re.compile(
    r"(?:^|\s)(?:[Bb]y|BY|Written by|Author:)\s*:?\s+"
    r"(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|del|al|bin|and|&)){0,5})"
)


def _headline_element(tree: Any, titles: list[tuple[str, Any]]) -> Any:
    """The element that holds the visible headline: the first ``<h1>`` that
    another source confirms, else the first non-empty ``<h1>``."""
    others = [_fold(v) for s, v in titles if s != "h1"]
    first = None
    for element in tree.iterfind(".//body//h1"):
        folded = _fold(_text(element))
        if not folded:
            continue
        if first is None:
            first = element
        if any(folded == o or (folded in o and len(folded) >= 0.5 * len(o)) for o in others):
            return element
    return first


_TEXT_IS = XPath("//body//text()[normalize-space(.) = $title]")


def _title_element(tree: Any, found: Candidates) -> Any:
    """On a page without ``<h1>``, the element that shows the metadata title (a
    styled ``<p>`` or ``<h2>``), so that the date and byline under it are read."""
    sites = site_names(found)
    seen: list[str] = []
    for source, value in found.get("title", []):
        title = strip_site_name(value, sites, guess=source != "h1")
        if title in seen or len(title.split()) < 2:
            continue
        seen.append(title)
        for node in _TEXT_IS(tree, title=title):
            parent = node.getparent()
            if parent is not None and not node.is_tail and parent.tag not in _HIDDEN:
                return parent
    return None


def _from_header(anchor: Any, add: Any) -> None:
    """The visible date and byline near the headline: the few lines after the
    ``<h1>`` (and just before it, where a kicker or dateline may sit)."""
    after: list[str] = []
    size = 0
    for node in _following(anchor):
        if not node.strip():
            continue
        after.append(clean_text(node))
        size += len(after[-1])
        if size > _HEADER_CHARS or len(after) >= 40:
            break
    before = [clean_text(node) for node in _preceding(anchor, 8)]
    for text in (" \n ".join(after), " \n ".join(before)):
        found = find_dates(text)
        if found:
            add("published", "header", found[0])
            break
    for i, line in enumerate(after):
        match = _BY_NAME.search(line)
        if match:
            add("byline", "header", match["name"])
            break
        # "Written by" on its own line, the name (or, after the label, a handle such
        # as "BeauHD") on the next
        if (
            _LABEL_LINE.match(line)
            and i + 1 < len(after)
            and (_NAME_LINE.match(after[i + 1]) or _HANDLE.match(after[i + 1]))
        ):
            add("byline", "header", after[i + 1])
            break
    # "Chirag Bhardwaj / VP - Technology / November 14, 2025": a name-shaped line
    # just before the first date line under the headline
    for i, line in enumerate(after[:25]):
        if find_date_spans(line):
            for previous in reversed(after[max(0, i - 3) : i]):
                if _NAME_LINE.match(previous):
                    add("byline", "header-name", previous)
                    break
            break
    # "Matteo Laratta" right under the headline, "John Crenshaw in SEO": a name-shaped
    # line that starts with a known given name
    for line in after[:3]:
        name = line.removesuffix(" in")
        if _NAME_LINE.match(name) and is_person(name):
            add("byline", "header-given", name)
            break


_NAME_LINE = re.compile(
    r"^(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?(?:[A-Z][a-z'’-]+|[A-Z]\.)"
    r"(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.|de|van|von|da|del|al)){1,3}$"
)
#: a user name after an explicit "Posted by" label
_HANDLE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,30}$")


def split_byline(values: list[str]) -> list[str]:
    """Clean author names: no "By", dates, "5 min read", URLs or handles; no
    duplicates."""
    names: list[str] = []
    for value in values:
        name = clean_byline(value)
        if not name or len(name) > 80 or _URLISH.search(name) or _NOT_A_NAME.search(name):
            continue
        if len(name.split()) > 8 or "facebook" in name.lower():
            continue  # a sentence or a social-media page, not a credit
        if name not in names:
            names.append(name)
    return names


_BYLINE_PARTS = re.compile(r"\s*(?:[•|·]|\s[-–—]\s|\bon\s(?=\S*\d))\s*")
_BYLINE_LABEL = re.compile(
    r"^(?:author|authors|written by|posted by|published by|by|words by|story by"
    r"|articles by|insights from|more from)\s*:?\s*",
    re.I,
)
#: a job title run on after the name without a comma ("Jane Doe Marketing Director")
_ROLE = re.compile(
    r"\s+(?:(?:senior|junior|chief|lead|head|staff|managing|content|marketing|executive)\s+)*"
    r"(?:founder|co-founder|director|coordinator|editor|writer|manager|ceo|cto|cfo|"
    r"contributor|reporter|correspondent|columnist|president|officer|specialist|"
    r"strategist|analyst|consultant)\b.*$",
    re.I,
)
_BYLINE_NOISE = re.compile(
    r"\b(?:(?:last\s+)?updated|published|posted|reviewed by|fact[- ]checked|min(?:ute)?s?"
    r"\s+read|read time|comments?|share|follow)\b.*$",
    re.I,
)


def clean_byline(text: str) -> str:
    """The name in a byline element's text: "Written By: Jane Doe Last Updated:
    August 1, 2025" gives "Jane Doe"; a text that is only a date gives ""."""
    text = _BY.sub("", clean_text(text))
    for part in _BYLINE_PARTS.split(text):
        part = _BYLINE_LABEL.sub("", part.strip())
        dates = find_date_spans(part)
        if dates:
            part = part[: dates[0]].strip()
        part = _BYLINE_NOISE.sub("", part).strip(" ,;:-–—|")
        if "," not in part:
            part = _ROLE.sub("", part)
        if part and re.search(r"[^\W\d_]", part):
            return part
    return ""


def strip_site_name(title: str, site_names: list[str], guess: bool = True) -> str:
    """``<title>`` without the site name: drop leading or trailing parts (split on
    `` | ``, `` - ``, `` – ``...) that are a known site name; else, with ``guess``,
    the shorter end part when the title has exactly two parts and the last one is
    short."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    kept = list(parts)
    while len(kept) > 1 and _is_site(_fold(kept[-1]), site_names):
        kept.pop()
    while len(kept) > 1 and _is_site(_fold(kept[0]), site_names):
        kept.pop(0)
    if len(kept) < len(parts):
        return _join(title, kept)
    if guess and len(parts) == 2:
        first, last = parts
        if len(last.split()) <= 4 and len(last) < len(first):
            return first
    return title


def _join(title: str, parts: list[str]) -> str:
    start = title.find(parts[0])
    last = parts[-1]
    end = title.find(last, start) + len(last)
    return title[start:end].strip()


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


# --- choosing ------------------------------------------------------------------


def choose(found: Candidates, order: dict[str, list[str]]) -> dict[str, tuple[Any, str]]:
    """The value of each field and the source it came from, by ``order`` (field ->
    sources, most trusted first). ``h1+`` is an ``<h1>`` that another source
    confirms (the same words as a title from the page's metadata)."""
    chosen: dict[str, tuple[Any, str]] = {}
    found = ranked_candidates(found)
    for field in FIELDS:
        ranked = order.get(field, [])
        candidates = found.get(field, [])
        for source in ranked:
            value = next((v for s, v in candidates if s == source), None)
            if value:
                chosen[field] = (value, source)
                break
    return chosen


def ranked_candidates(found: Candidates) -> Candidates:
    """The candidates as :func:`choose` ranks them: titles with the site name taken
    off and ``h1+``/``h1ok`` added; a byline that is the site's own name moved to
    ``<source>-site`` (an outlet credited in place of a person)."""
    out = dict(found)
    out["title"] = _title_candidates(found)
    sites = site_names(found)
    bylines = [(s, [_less_site(n, sites) for n in v]) for s, v in found.get("byline", [])]
    out["byline"] = [
        (f"{s}-site" if all(_is_site(_fold(n), sites) for n in v) else s, v) for s, v in bylines
    ]
    person = _site_person(found)
    if person:
        out["byline"].append(("site-person", [person]))
    return out


def _site_person(found: Candidates) -> str | None:
    """A personal site's owner: an ``og:site_name`` or a ``<title>`` end part
    ("Go ahead, self-host Postgres | Pierce Freeman") shaped like a person's name
    that starts with a known given name."""
    names = [v for _, v in found.get("site", [])]
    for source, title in found.get("title", []):
        if source == "title":
            parts = _TITLE_SEPARATORS.split(title)
            if len(parts) > 1:
                names.append(parts[-1])
    for name in names:
        name = clean_text(name)
        if _NAME_LINE.match(name) and is_person(name):
            return name
    return None


def _less_site(name: str, sites: list[str]) -> str:
    """ "Jane Doe and Ann Lee, The Daily Example" less the outlet after the comma."""
    head, _, tail = name.rpartition(", ")
    return head if head and _is_site(_fold(tail), sites) else name


def _title_candidates(found: Candidates) -> list[tuple[str, Any]]:
    """Title candidates with site names taken off, plus three kinds of ``<h1>``:
    ``h1+``, confirmed by another source (same words, or the start of them);
    ``h1-trim``, another source's title found inside a longer ``<h1>`` ("Blog:
    Title", "Title Posted on July 1, 2024 by x"); ``h1ok``, one that does not look
    like a site name, a menu or a paragraph."""
    sites = site_names(found)
    titles = found.get("title", [])
    whole = [(s, strip_site_name(v, sites, guess=s != "h1")) for s, v in titles]
    cleaned = [(s, _cut_pipe(v)) for s, v in whole]
    structured = [(s, v) for s, v in cleaned if s != "h1"]
    others = [_fold(v) for _, v in structured] + [_fold(v) for s, v in titles if s != "h1"]
    # "Defer, Panic, and Recover - The Go Programming Language": the first part of a
    # metadata title, when a visible <h1> says exactly that
    others += [_fold(_TITLE_SEPARATORS.split(v)[0]) for s, v in titles if s != "h1"]
    # "Garnix Blog: Hardware-Attested Nix Builds": the metadata title less a kicker
    others += [_fold(v.split(": ", 1)[1]) for s, v in titles if s != "h1" and ": " in v]
    confirmed = []
    trimmed = []
    plausible = []
    for source, value in cleaned:
        if source != "h1":
            continue
        folded = _fold(value)
        if not folded:
            continue
        if any(
            folded == o or (o.startswith(folded) and len(folded) >= 0.5 * len(o)) for o in others
        ):
            confirmed.append(("h1+", value))
        # (not cut at a pipe: "Trends | Blog | Site" is no kicker-less form of the
        # <h1> "Trends from KBIS & IBS")
        for _, other in (item for item in whole if item[0] != "h1"):
            inner = _fold(other)
            inside = inner and inner != folded and f" {inner} " in f" {folded} "
            # a kicker before the title, or a date or credit after it; not a
            # headline that merely goes on ("Best Tutors in 2025, Reviewed by ...")
            rest = folded.split(inner, 1)[1] if folded.startswith(inner) else None
            if rest is not None and not _TRIM_TAIL.search(rest):
                continue
            if inside and len(inner) >= 0.5 * len(folded):
                trimmed.append(("h1-trim", other))
                break
        if _plausible_headline(value, sites):
            plausible.append(("h1ok", value))
    if len({_fold(v) for _, v in plausible}) > 1 and structured:
        # several headings of the same rank (a blog's name, then the post's; one per
        # section): the first is no better a guess than the page's metadata title
        plausible = []
    return confirmed + trimmed + plausible + cleaned


_TRIM_TAIL = re.compile(r"^\s*(?:posted|published|updated|by|written|on)\b|\d{4}")
_PIPE = re.compile(r"\s+\|\s+")


def _cut_pipe(title: str) -> str:
    """A title without what follows its first `` | ``: "Headline | Opinion",
    "Headline | Python, SQL & AI", "Headline | Section | Site" (on WCXB dev a kept
    pipe part is in the gold title 1 time in 5). Kept whole when the first part is
    under three words ("Q&A | ...")."""
    parts = _PIPE.split(title, maxsplit=1)
    if len(parts) == 2 and len(parts[0].split()) >= 3:
        return parts[0]
    return title


#: headings that name a page section, not an article (compared folded)
_GENERIC_HEADINGS = frozenset(
    {"our blog", "the blog", "main menu", "open menu close menu", "latest news", "recent posts"}
)


def _plausible_headline(value: str, sites: list[str]) -> bool:
    folded = _fold(value)
    words = folded.split()
    if not 2 <= len(words) <= 30 or folded in _GENERIC_HEADINGS:
        return False
    return not _is_site(folded, sites)


def _is_site(folded: str, sites: list[str]) -> bool:
    squashed = folded.replace(" ", "")
    return any(folded == _fold(s) or squashed == _fold(s).replace(" ", "") for s in sites)


def site_names(found: Candidates) -> list[str]:
    """Names the site goes by: ``og:site_name`` and the like, and the domain of
    the page URL (``renofi`` for www.renofi.com)."""
    names = [v for _, v in found.get("site", [])]
    for _, url in found.get("url", [])[:2]:
        host = re.sub(r"^https?://(?:www\.)?", "", url).split("/")[0]
        if host:
            names.append(host)
            names.append(host.split(".")[0])
    return names


# --- captions ------------------------------------------------------------------

_CREDIT_CLASS = XPath(
    ".//*[contains(translate(@class, 'CDEIORTPGHSU', 'cdeiortpghsu'), 'credit')"
    " or contains(translate(@class, 'CDEIORTPGHSU', 'cdeiortpghsu'), 'copyright')"
    " or contains(translate(@class, 'CDEIORTPGHSU', 'cdeiortpghsu'), 'source')"
    " or contains(translate(@class, 'CDEIORTPGHSU', 'cdeiortpghsu'), 'photographer')]"
)
_CREDIT_TAIL = re.compile(
    r"(?:[\s(\[]|^)(?:(?:photo(?:graph)?|picture|image|credit|source|foto|bild)s?"
    r"(?:\s+credit)?\s*(?::|by)|©|\(c\)|copyright)\s*(?P<credit>[^()\[\]]{2,80}?)[)\]]?\s*$",
    re.I,
)


def captions(tree: Any) -> list[dict[str, str | None]]:
    """``<figure>``/``<figcaption>`` captions and their credits ("Reuters")."""
    out: list[dict[str, str | None]] = []
    seen: set[str] = set()
    for figcaption in tree.iterfind(".//figcaption"):
        credit: str | None = None
        credit_elements = _CREDIT_CLASS(figcaption)
        parts = []
        for element in credit_elements:
            parts.append(clean_text(" ".join(element.itertext())))
        text = clean_text(" ".join(figcaption.itertext()))
        for part in parts:
            if part and part in text:
                credit = credit or _credit_name(part)
                text = clean_text(text.replace(part, " "))
        if credit is None:
            match = _CREDIT_TAIL.search(text)
            if match:
                credit = clean_text(match["credit"]).strip(" .,;:")
                text = text[: match.start()].strip()
        text = text.strip()
        if not text:
            continue
        key = f"{text}\x00{credit}"
        if key in seen:
            continue
        seen.add(key)
        out.append({"text": text, "credit": credit or None})
    return out


def _credit_name(text: str) -> str | None:
    match = _CREDIT_TAIL.search(text)
    name = match["credit"] if match else text
    name = clean_text(name).strip(" .,;:()[]")
    return name or None

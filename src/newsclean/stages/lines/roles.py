"""The roles the line model gives a page's lines: the label set of the training data.

Content roles (kept or turned into fields):

- ``body``: a line of article text (paragraph, bullet item, quote). A lede that starts with a
  dateline ("BEIRUT —") is body; the dateline is recorded apart on the page.
- ``heading``: a subheading inside the body; it stays in the body as its own paragraph.
- ``title``: the article headline (the one copy nearest the body).
- ``section``: the kicker/category line just above the headline (not breadcrumbs or menus).
- ``standfirst``: the dek, a summary line under the headline.
- ``byline``: a line crediting the author(s) ("By A and B", "A | 2 hours ago").
- ``dateline``: a line that is only a dateline ("ISTANBUL (Reuters) -"); rare.
- ``timestamp``: a publication or update time line ("Updated: 14 May 2022, 18:20 GST").
- ``caption``: the caption of a picture or video.
- ``credit``: a caption credit on a line of its own ("EPA-EFE/Nima Farzaneh").
- ``source``: a source or attribution line ("Reporting by …; Editing by …", "Source: …").

Boilerplate roles (dropped), by kind:

- ``menu``: navigation, breadcrumbs, section lists, site name, skip links, log in.
- ``share``: share bars and social buttons.
- ``consent``: cookie and privacy consent banners.
- ``promo``: newsletter, subscription, membership, app and paywall prompts.
- ``teaser``: related / read-more / most-read / latest blocks and their teaser lines.
- ``comments``: comment threads, counts, policies and forms.
- ``bio``: an author bio box.
- ``legal``: copyright, terms and footer legal lines.
- ``ad``: advertisement labels and sponsored blocks.
- ``other``: any other boilerplate (tags, "Listen to this article", page-title lines, …).
"""

from __future__ import annotations

BODY = "body"
HEADING = "heading"
TITLE = "title"
SECTION = "section"
STANDFIRST = "standfirst"
BYLINE = "byline"
DATELINE = "dateline"
TIMESTAMP = "timestamp"
CAPTION = "caption"
CREDIT = "credit"
SOURCE = "source"

MENU = "menu"
SHARE = "share"
CONSENT = "consent"
PROMO = "promo"
TEASER = "teaser"
COMMENTS = "comments"
BIO = "bio"
LEGAL = "legal"
AD = "ad"
OTHER = "other"

CONTENT: tuple[str, ...] = (
    BODY,
    HEADING,
    TITLE,
    SECTION,
    STANDFIRST,
    BYLINE,
    DATELINE,
    TIMESTAMP,
    CAPTION,
    CREDIT,
    SOURCE,
)
BOILERPLATE: tuple[str, ...] = (
    MENU,
    SHARE,
    CONSENT,
    PROMO,
    TEASER,
    COMMENTS,
    BIO,
    LEGAL,
    AD,
    OTHER,
)
ROLES: tuple[str, ...] = CONTENT + BOILERPLATE
IN_BODY: frozenset[str] = frozenset({BODY, HEADING})

"""How high date accuracy can go on the WCXB HTML: is the gold date in the page at all?

For every page whose gold has a date, the raw HTML (also HTML-unescaped, with JSON's
``\\/`` and ``\\u002F`` undone) is searched for that date in every absolute form we
know: ISO (with or without time, ``-/._`` separators, one- or two-digit parts,
``20250904``), numeric day-month-year and month-day-year (four- or two-digit year),
month names in English and 14 other languages in either order (``4 Sep 2025``,
``September 4th, 2025``, ``4. September 2025``, ``4 de septiembre de 2025``),
CJK ``2025年9月4日``, dates in URLs (``/2025/09/04/``, ``/2025/sep/04/``), and Unix
timestamps in seconds or milliseconds. Relative dates ("3 days ago") do not count.

Two levels: *strict*, the gold's day written as such; *shifted*, also an ISO time with
a UTC offset, or a Unix timestamp, that falls on the gold's day in some time zone
(UTC-12 to UTC+14), so a page that only says ``2025-09-03T23:30:00-05:00`` still
counts. The ceiling is the share of pages whose gold date is findable: no rule
reading this HTML can be right on more. Also printed: where newsclean's ``extract``
(metadata only, no trafilatura) is right or wrong, split by findable or not, for even
ids (tuned on) and odd ids (held out), and the ids that are out of reach.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import date, datetime, timedelta, timezone

from . import data, scoring

# Month names, lower case, per language; abbreviations where pages use them.
_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "janvier", "janv", "enero", "ene", "gennaio", "genn",
        "janeiro", "januari", "styczeń", "stycznia", "января", "январь", "ocak", "januára",
        "leden", "ledna", "tammikuu", "tammikuuta", "gener"),
    2: ("february", "feb", "februar", "février", "fevrier", "févr", "febrero", "febbraio",
        "fevereiro", "fev", "februari", "luty", "lutego", "февраля", "февраль", "şubat",
        "februára", "únor", "února", "helmikuu", "helmikuuta", "febrer"),
    3: ("march", "mar", "märz", "marz", "mars", "marzo", "março", "marco", "maart", "mrt",
        "marzec", "marca", "марта", "март", "mart", "marec", "března", "maaliskuu",
        "maaliskuuta", "març"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwiecień", "kwietnia",
        "апреля", "апрель", "nisan", "apríl", "duben", "dubna", "huhtikuu", "huhtikuuta"),
    5: ("may", "mai", "mayo", "maggio", "maio", "mei", "maj", "maja", "мая", "май", "mayıs",
        "máj", "května", "toukokuu", "toukokuuta", "maig"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "junho", "czerwiec", "czerwca",
        "июня", "июнь", "haziran", "jún", "června", "kesäkuu", "kesäkuuta", "juny"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "julho", "lipiec",
        "lipca", "июля", "июль", "temmuz", "júl", "července", "heinäkuu", "heinäkuuta",
        "juliol"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus", "sierpień", "sierpnia",
        "августа", "август", "ağustos", "srpna", "elokuu", "elokuuta", "agost"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre",
        "set", "setembro", "wrzesień", "września", "сентября", "сентябрь", "eylül",
        "septembra", "září", "syyskuu", "syyskuuta", "setembre"),
    10: ("october", "oct", "oktober", "octobre", "octubre", "ottobre", "ott", "outubro",
         "out", "okt", "październik", "października", "октября", "октябрь", "ekim",
         "októbra", "říjen", "října", "lokakuu", "lokakuuta"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "listopad", "listopada",
         "ноября", "ноябрь", "kasım", "novembra", "marraskuu", "marraskuuta"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre",
         "dic", "dicembre", "dezembro", "grudzień", "grudnia", "декабря", "декабрь", "aralık",
         "decembra", "prosinec", "prosince", "joulukuu", "joulukuuta", "desembre"),
}  # fmt: skip
_MONTH_OF = {name: month for month, names in _NAMES.items() for name in names}
_MONTH_RE = "|".join(sorted((re.escape(n) for n in _MONTH_OF), key=len, reverse=True))

_YMD = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-/._])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?!\d)"
)
_COMPACT = re.compile(r"(?<![\d])(?P<y>20[0-3]\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_XXY = re.compile(
    r"(?<![\d./-])(?P<a>[0-3]?\d)(?P<sep>[-/.])(?P<b>[0-3]?\d)(?P=sep)"
    r"(?P<y>(?:19|20)?\d\d)(?![\d])"
)
_D_NAME_Y = re.compile(
    rf"(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?\s*(?:of\s+|de\s+|-)?"
    rf"(?P<name>{_MONTH_RE})\.?,?\s*(?:de\s+|del\s+|-)?(?P<y>(?:19|20)\d\d)(?!\d)",
    re.I,
)
_NAME_D_Y = re.compile(
    rf"(?<![^\W\d_])(?P<name>{_MONTH_RE})\.?\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s*"
    rf"(?:\d\d?:\d\d\s*(?:[ap]\.?m\.?)?\s*,?\s*)?(?P<y>(?:19|20)\d\d)(?!\d)",
    re.I,
)
_Y_NAME_D = re.compile(
    rf"(?<!\d)(?P<y>(?:19|20)\d\d)[/\s-]+(?P<name>{_MONTH_RE})\.?[/\s-]+(?P<d>[0-3]?\d)(?!\d)",
    re.I,
)
_CJK = re.compile(r"(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)")
_ISO_TZ = re.compile(
    r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)[T ](?P<h>[0-2]\d):(?P<mi>[0-5]\d)"
    r"(?::[0-5]\d(?:\.\d+)?)?\s*(?P<tz>Z|[+-][01]\d:?[0-5]\d)"
)
_EPOCH = re.compile(r"(?<![\d.])(?P<s>1[0-9]{9})(?P<ms>\d{3})?(?![\d])")


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def strict_dates(page: str) -> set[date]:
    """Every calendar day written in ``page`` in an absolute form (both readings
    of an ambiguous numeric date)."""
    found: set[date] = set()

    def add(day: date | None) -> None:
        if day is not None:
            found.add(day)

    for pattern in (_YMD, _COMPACT, _CJK):
        for match in pattern.finditer(page):
            add(_day(int(match["y"]), int(match["m"]), int(match["d"])))
    for match in _XXY.finditer(page):
        y, a, b = _year(match["y"]), int(match["a"]), int(match["b"])
        add(_day(y, b, a))
        add(_day(y, a, b))
    for pattern in (_D_NAME_Y, _NAME_D_Y, _Y_NAME_D):
        for match in pattern.finditer(page):
            month = _MONTH_OF[match["name"].lower()]
            add(_day(int(match["y"]), month, int(match["d"])))
    return found


def shifted_dates(page: str) -> set[date]:
    """Days that a zoned ISO time or a Unix timestamp falls on, in any zone from
    UTC-12 to UTC+14."""
    instants: list[datetime] = []
    for match in _ISO_TZ.finditer(page):
        day = _day(int(match["y"]), int(match["m"]), int(match["d"]))
        if day is None or int(match["h"]) > 23:
            continue
        tz = match["tz"]
        offset = (
            timedelta(0)
            if tz == "Z"
            else (1 if tz[0] == "+" else -1) * timedelta(hours=int(tz[1:3]), minutes=int(tz[-2:]))
        )
        local = datetime(day.year, day.month, day.day, int(match["h"]), int(match["mi"]))
        instants.append((local - offset).replace(tzinfo=timezone.utc))
    for match in _EPOCH.finditer(page):
        seconds = int(match["s"])
        if 946684800 <= seconds <= 1893456000:  # 2000 to 2030
            instants.append(datetime.fromtimestamp(seconds, timezone.utc))
    found: set[date] = set()
    for instant in instants:
        for hours in (-12, 0, 14):
            found.add((instant + timedelta(hours=hours)).date())
    return found


def readable(raw: str) -> str:
    """The page with entities and JSON escapes undone, so ``2025\\/09\\/04`` and
    ``Sep&nbsp;4, 2025`` are seen."""
    text = raw.replace("\\/", "/").replace("\\u002F", "/").replace("\\u002f", "/")
    return htmllib.unescape(text).replace("\xa0", " ")


def _near_year(text: str, year: int) -> str:
    """Only the stretches of ``text`` around its mentions of ``year`` (four digits,
    or two after a date separator, or a year-first compact date), joined by line
    breaks: the date searches are then cheap, and no date is lost (a written date
    is shorter than the 60 characters kept on each side)."""
    mentions = re.compile(rf"{year}|[-/.]{year % 100:02d}(?!\d)")
    spans: list[tuple[int, int]] = []
    for match in mentions.finditer(text):
        start, end = max(0, match.start() - 60), match.end() + 60
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return "\n".join(text[a:b] for a, b in spans)


def _epoch_text(text: str) -> str:
    return " ".join(m.group() for m in _EPOCH.finditer(text))


def findable(raw: str, gold: str) -> str | None:
    """``strict``, ``shifted`` or None: how the gold date appears in the page.
    A gold that is not a whole day (``2003-11``) is never findable: a date read
    from the page is a day, and the scoring compares ten characters."""
    if len(gold) < 10:
        return None
    day = date.fromisoformat(gold[:10])
    text = readable(raw)
    near = _near_year(text, day.year)
    if day in strict_dates(near):
        return "strict"
    # a zoned time or a timestamp may fall on the next or the previous year's day
    around = "\n".join(_near_year(text, y) for y in (day.year - 1, day.year, day.year + 1))
    if day in shifted_dates(around + "\n" + _epoch_text(text)):
        return "shifted"
    return None


Candidates = dict[str, list[tuple[str, str]]]


def _predicted() -> dict[str, tuple[str | None, Candidates]]:
    """newsclean's ``published`` per page id, from extract's metadata readers
    (the date comes from them alone, not from trafilatura's text), with the
    ``published`` and ``updated`` candidates every source offered."""
    from trafilatura import load_html

    from newsclean.stages.extract.choose import choose
    from newsclean.stages.extract.meta import collect
    from newsclean.stages.extract.stage import source_order

    out: dict[str, tuple[str | None, Candidates]] = {}
    for row in data.gold():
        if row.get("date"):
            found = collect(load_html(data.page_html(row["id"])))
            chosen = choose(found, source_order()).get("published", (None, ""))[0]
            out[row["id"]] = (chosen, {f: found[f] for f in ("published", "updated")})
    return out


def _why_missed(how: str, gold: str, found: Candidates) -> str:
    """What kind of miss a findable gold date is."""
    day = gold[:10]
    if how == "shifted":
        return "only as a zoned time or a Unix timestamp falling on that day elsewhere"
    if not found["published"]:
        return "no reader found any publishing date (the gold is elsewhere in the HTML)"
    if any(v[:10] == day for _, v in found["published"]):
        updated = any(v[:10] == day for _, v in found["updated"])
        return "a lower-ranked source offers it" + (
            ", and it is the modified date" if updated else ""
        )
    if any(v[:10] == day for _, v in found["updated"]):
        return "it is the page's modified date"
    return "elsewhere in the page only"


def main() -> None:
    if not data.available():
        print(f"no bench data at {data.BENCH} (set NEWSCLEAN_BENCH)")
        return
    predicted = _predicted()
    # per parity: [pages, strict, shifted, right, right-but-not-findable, missed-findable]
    counts = {label: [0] * 6 for label in ("all", "even", "odd")}
    out_of_reach: list[str] = []
    reachable_misses: list[str] = []
    kinds: dict[str, list[str]] = {}
    for row in data.gold():
        gold = row.get("date")
        if not gold:
            continue
        how = findable(data.page_html(row["id"]), gold)
        chosen, found = predicted[row["id"]]
        right = scoring.meta_match("date", chosen, gold)
        for label in ("all", "even" if int(row["id"]) % 2 == 0 else "odd"):
            c = counts[label]
            c[0] += 1
            c[1] += how == "strict"
            c[2] += how is not None
            c[3] += right
            c[4] += right and how is None
            c[5] += (not right) and how is not None
        if how is None:
            out_of_reach.append(f"{row['id']}({gold[:10]})")
        elif not right:
            reachable_misses.append(f"{row['id']}:{how}")
            parity = "e" if int(row["id"]) % 2 == 0 else "o"
            kinds.setdefault(_why_missed(how, gold, found), []).append(row["id"] + parity)
    print("| ids | gold has a date | findable strict | + shifted | ceiling strict | ceiling "
          "| newsclean right | right, not findable | missed, findable |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for label, (n, strict, any_, right, right_unfindable, missed) in counts.items():
        print(
            f"| {label} | {n} | {strict} | {any_} | {strict / n:.3f} | {any_ / n:.3f} "
            f"| {right} ({right / n:.3f}) | {right_unfindable} | {missed} |"
        )
    print(f"\ngold date nowhere in the HTML ({len(out_of_reach)}): {' '.join(out_of_reach)}")
    print(f"\nmissed though findable ({len(reachable_misses)}): {' '.join(reachable_misses)}")
    print("\nthe findable misses by kind (e: even id, o: odd id):")
    for kind, ids in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(ids):3d}  {kind}: {' '.join(ids)}")

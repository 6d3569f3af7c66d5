"""#17: ``published`` and ``updated`` in one form (RFC 3339 with an offset) that
DuckDB reads as a timestamp and pandas parses in one call."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsclean.text.rfc3339 import rfc3339, settle_dates

from .conftest import SAMPLES, parse_jsonl

HTML = Path(__file__).parent / "data" / "html"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("2024-07-24", "2024-07-24T00:00:00Z"),  # a date alone: midnight UTC
        ("2024-07-24T15:00", "2024-07-24T15:00:00Z"),  # no offset given: UTC
        ("2024-07-24 15:00:05", "2024-07-24T15:00:05Z"),
        ("2024-07-24T15:00:00+0300", "2024-07-24T15:00:00+03:00"),
        ("2024-07-24T15:00:00-05:00", "2024-07-24T15:00:00-05:00"),  # kept as given
        ("2024-07-24T15:00:00.250Z", "2024-07-24T15:00:00.250Z"),
        ("2024-07-24T15:00:00+00:00", "2024-07-24T15:00:00+00:00"),
        ("2024-02-30", "2024-02-30"),  # not a date: left as it is
        ("last Tuesday", "last Tuesday"),
    ],
)
def test_one_form(given: str, written: str) -> None:
    assert rfc3339(given) == written
    assert rfc3339(written) == written


def test_settle_dates_touches_only_the_dates() -> None:
    record = {
        "id": "a",
        "published": "2024-07-24",
        "updated": None,
        "timestamps": [{"raw": "3 hours ago", "iso": None, "kind": "published"}],
        "body": "2024-07-24",
    }
    out = settle_dates(record)
    assert out == {**record, "published": "2024-07-24T00:00:00Z"}
    assert record["published"] == "2024-07-24"  # a copy
    assert settle_dates(out) is out


def _clean_output(cli, tmp_path: Path) -> Path:
    forms = ["2024-07-24", "2024-07-24T15:00", "2024-07-24T15:00:00+0300", None]
    own = tmp_path / "own.jsonl"
    own.write_text(
        "".join(
            json.dumps(
                {"id": f"own{i}", "text": "A short article.\n\nIt has two lines.", "published": p}
            )
            + "\n"
            for i, p in enumerate(forms)
        )
    )
    out = tmp_path / "clean.jsonl"
    result = cli("clean", str(SAMPLES), str(HTML), str(own), "-q", "-j", "1", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    records = parse_jsonl(out.read_text(encoding="utf-8"))
    dated = [r[k] for r in records for k in ("published", "updated") if r.get(k)]
    assert len(dated) >= 8
    assert all(RFC3339.fullmatch(v) for v in dated), dated
    stamps = [t["iso"] for r in records for t in r.get("timestamps") or [] if t["iso"]]
    assert all(RFC3339.fullmatch(v) for v in stamps), stamps
    return out


def test_duckdb_reads_the_dates_as_timestamps(cli, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = _clean_output(cli, tmp_path)
    relation = duckdb.sql(f"SELECT published, updated FROM read_json_auto('{out}')")
    assert [str(t) for t in relation.types] == ["TIMESTAMP WITH TIME ZONE"] * 2
    rows = dict(
        duckdb.sql(
            f"SELECT id, epoch(published) FROM read_json_auto('{out}') WHERE id LIKE 'own%'"
        ).fetchall()
    )
    assert rows == {"own0": 1721779200.0, "own1": 1721833200.0, "own2": 1721822400.0, "own3": None}


def test_pandas_parses_the_dates_in_one_call(cli, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    out = _clean_output(cli, tmp_path)
    frame = pandas.read_json(out, lines=True, dtype=False)
    for column in ("published", "updated"):
        parsed = pandas.to_datetime(frame[column], utc=True)
        assert str(parsed.dtype).startswith("datetime64") and str(parsed.dt.tz) == "UTC"
        assert parsed.notna().sum() == frame[column].notna().sum()
    own = frame.set_index("id").loc[["own0", "own2"], "published"]
    assert [t.timestamp() for t in pandas.to_datetime(own, utc=True)] == [1721779200, 1721822400]

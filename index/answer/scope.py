"""What a scope is: which reports a question is asked of, from flags (`--since 2020-09-15`,
`--until`, `--report`, `--publisher`) or from the words people type in Slack (`since:2020-09-15`,
`report:Kremlin`, "in the latest report", "in the September 17 update", "since September 15").

    scope = Scope(since="2020-09-15")                       # from flags (check_date first)
    scope, question = scope_from_text("since:2020-09-15 what did Lukashenko say?")
    resolved = resolve(scope, reports)                      # reports: id -> {"title", "date", "publisher"}
    resolved.ids        # the report ids in scope
    resolved.line       # "Searched reports from 2020-09-15 on; 1 undated report left out"

A date scope is on the report date, inclusive. Undated reports are outside any date scope.
A report reference is a report id, or a title fragment that matches exactly one report;
anything else is one UserInputError line listing the matches.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Mapping

from index.errors import UserInputError
from index.text.dates import MONTH_NAMES, month_days

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Scope:
    """The reports a question is asked of. Empty fields do not restrict. `since_day`/`until_day`
    and `days` are (month, day) pairs as people say them; the year is the reports' (resolve)."""

    since: str = ""
    until: str = ""
    reports: tuple[str, ...] = ()
    publisher: str = ""
    latest: bool = False
    days: tuple[tuple[int, int], ...] = ()
    since_day: tuple[int, int] | None = None
    until_day: tuple[int, int] | None = None

    def __bool__(self) -> bool:
        return bool(self.since or self.until or self.reports or self.publisher or self.latest or self.days
                    or self.since_day or self.until_day)

    @property
    def dated(self) -> bool:
        """It asks for reports by date, which leaves undated reports out."""
        return bool(self.since or self.until or self.latest or self.days or self.since_day or self.until_day)


@dataclass(frozen=True)
class Resolved:
    """A scope applied to the index's reports."""

    ids: tuple[str, ...]
    line: str                                   # what the answer says was searched
    undated_left_out: int = 0
    since: str = ""
    until: str = ""

    def to_dict(self) -> dict:
        return {"searched": self.line, "reports": list(self.ids), "since": self.since, "until": self.until,
                "undated_left_out": self.undated_left_out}


def check_date(value: str, flag: str) -> str:
    """An ISO date (YYYY-MM-DD) or one UserInputError line naming the flag."""
    v = (value or "").strip()
    try:
        if not _ISO.match(v):
            raise ValueError
        dt.date.fromisoformat(v)
    except ValueError:
        raise UserInputError(f"{flag} {value!r} is not a date like 2020-09-15") from None
    return v


def from_flags(*, since: str | None = None, until: str | None = None, reports: list[str] | None = None,
               publisher: str | None = None) -> Scope | None:
    """The scope the command-line flags give, or None when they give none."""
    scope = Scope(since=check_date(since, "--since") if since else "",
                  until=check_date(until, "--until") if until else "",
                  reports=tuple(r.strip() for r in reports or () if r.strip()), publisher=(publisher or "").strip())
    if scope.since and scope.until and scope.since > scope.until:
        raise UserInputError(f"--since {scope.since} is after --until {scope.until}")
    return scope or None


# ------------------------------------------------------------------------------ words people type
_MONTH = "|".join(MONTH_NAMES) + "|" + "|".join(m[:3] + r"\.?" for m in MONTH_NAMES) + r"|Sept\.?"
_DAY = rf"(?:(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+(?:{_MONTH}))"
_TOKEN = re.compile(r"(?<!\S)(since|until|report|publisher):(?:\"([^\"]+)\"|“([^”]+)”|(\S+))", re.I)
_LATEST = re.compile(r",?\s*\b(?:in|from|of)\s+(?:the|your|ISW'?s)\s+(?:latest|newest|most recent|last)\s+"
                     r"(?:report|update|warning update)\b", re.I)
_ON_DAY = re.compile(rf",?\s*\b(?:in|from|of)\s+(?:the|ISW'?s)\s+({_DAY})(?:,?\s+\d{{4}})?\s+(?:report|update)\b", re.I)
_SINCE = re.compile(rf",?\s*\bsince\s+({_DAY}|\d{{4}}-\d{{2}}-\d{{2}})\b", re.I)
_UNTIL = re.compile(rf",?\s*\b(?:until|up to|before)\s+({_DAY}|\d{{4}}-\d{{2}}-\d{{2}})\b", re.I)


_ASK_SUMMARY = r"^\s*(?:please\s+)?(?:summari[sz]e|sum up|give me a summary of|(?:what'?s|what is|what was) in)\s+(?:the\s+)?"
_SUMMARY_LATEST = re.compile(_ASK_SUMMARY + r"(?:latest|newest|most recent|last)\s+(?:ISW\s+)?(?:report|update)\s*[?.!]*\s*$", re.I)
_SUMMARY_DAY = re.compile(_ASK_SUMMARY + rf"({_DAY})(?:,?\s+\d{{4}})?\s+(?:report|update)\s*[?.!]*\s*$", re.I)
_SUMMARY_REPORT = re.compile(r"^\s*(?:please\s+)?(?:summari[sz]e|sum up)\s+(?:the\s+)?report\s+[\"“]?([^\"”?]+?)[\"”]?\s*[?.!]*\s*$", re.I)
_WHATS_NEW = re.compile(rf"^\s*(?:so\s+)?(?:what'?s|what is|what has been)\s+new\s+since\s+({_DAY}|\d{{4}}-\d{{2}}-\d{{2}})"
                        r"\s*[?.!]*\s*$", re.I)


_BARE_SUMMARY = re.compile(r"^\s*(?:please\s+)?(?:summari[sz]e|sum up|summary|what'?s new|what is new)\s*[?.!]*\s*$", re.I)


def summary_request(question: str) -> Scope | None:
    """The reports a request for a summary names, or None when the question is not one:
    "summarize the latest report", "what's in the September 19 update", "what's new since
    September 15", "summarize report 2020-09-17-b639f4b72d"."""
    q = " ".join((question or "").replace("’", "'").split())
    if _BARE_SUMMARY.match(q):
        return Scope()                          # of what a scope given beside it names; else the latest
    if _SUMMARY_LATEST.match(q):
        return Scope(latest=True)
    m = _SUMMARY_DAY.match(q)
    if m:
        return Scope(days=(_day(m.group(1)),))
    m = _WHATS_NEW.match(q)
    if m:
        value = m.group(1)
        return Scope(since=check_date(value, "since")) if _ISO.match(value) else Scope(since_day=_day(value))
    m = _SUMMARY_REPORT.match(q)
    if m:
        return Scope(reports=(m.group(1).strip(),))
    return None


def merge(first: Scope, then: Scope | None) -> Scope:
    """`first` narrowed by what `then` sets (flags given with a summary question)."""
    if not then:
        return first
    changes = {k: v for k, v in then.__dict__.items() if v}
    return replace(first, **changes)


def _day(text: str) -> tuple[int, int]:
    return month_days(text)[0]


def scope_from_text(text: str) -> tuple[Scope | None, str]:
    """The scope a typed question carries and the question without it. `since:`, `until:`,
    `report:` and `publisher:` tokens (quote a fragment with spaces: report:"Lukashenko and the
    Kremlin"), "in the latest report", "in the September 17 update", "since September 15"."""
    fields: dict = {"reports": []}
    rest = text
    phrases = summary_request(_TOKEN.sub(" ", text)) is None     # a summary request keeps its words

    def token(m: re.Match) -> str:
        key, value = m.group(1).lower(), next(g for g in m.groups()[1:] if g)
        if key in ("since", "until"):
            if _ISO.match(value):
                fields[key] = check_date(value, f"{key}:")
            elif month_days(value.replace("-", " ")):
                fields[f"{key}_day"] = _day(value.replace("-", " "))
            else:
                raise UserInputError(f"{key}:{value} is not a date like 2020-09-15")
        elif key == "report":
            fields["reports"].append(value)
        else:
            fields["publisher"] = value
        return " "

    rest = _TOKEN.sub(token, rest)
    if not phrases:
        fields["reports"] = tuple(fields["reports"])
        return (Scope(**fields) or None), " ".join(rest.split())
    if _LATEST.search(rest):
        fields["latest"] = True
        rest = _LATEST.sub(" ", rest)
    days = [_day(m.group(1)) for m in _ON_DAY.finditer(rest)]
    if days:
        fields["days"] = tuple(days)
        rest = _ON_DAY.sub(" ", rest)
    for name, pattern in (("since", _SINCE), ("until", _UNTIL)):
        m = pattern.search(rest)
        if m and name not in fields and f"{name}_day" not in fields:
            value = m.group(1)
            if _ISO.match(value):
                fields[name] = check_date(value, name)
            else:
                fields[f"{name}_day"] = _day(value)
            rest = rest[:m.start()] + " " + rest[m.end():]
    fields["reports"] = tuple(fields["reports"])
    scope = Scope(**fields)
    question = " ".join(rest.split()).strip(" ,")
    question = re.sub(r"\s+([?.!,])", r"\1", question)
    return (scope or None), (question if any(ch.isalnum() for ch in question) else "")


# ------------------------------------------------------------------------------ applied to reports
def _full_date(day: tuple[int, int], dates: list[str], *, since: bool) -> str:
    """A (month, day) without a year, in the year of the newest report that makes it mean something."""
    years = sorted({int(d[:4]) for d in dates}, reverse=True)
    for year in years:
        try:
            iso = dt.date(year, *day).isoformat()
        except ValueError:
            continue
        if (since and any(d >= iso for d in dates)) or (not since and any(d <= iso for d in dates)):
            return iso
    try:
        return dt.date(years[0] if years else dt.date.today().year, *day).isoformat()
    except ValueError:
        raise UserInputError(f"{MONTH_NAMES[day[0] - 1]} {day[1]} is not a date") from None


def match_reports(ref: str, reports: Mapping[str, Mapping]) -> str:
    """The one report `ref` names (an id, or a fragment of exactly one title), else UserInputError."""
    if ref in reports:
        return ref
    low = " ".join(ref.lower().split())
    found = [rid for rid, r in reports.items() if low and low in " ".join(str(r.get("title") or "").lower().split())]
    if len(found) == 1:
        return found[0]
    if not found:
        found = [rid for rid in reports if rid.startswith(ref)]
        if len(found) == 1:
            return found[0]
    if not found:
        raise UserInputError(f"report {ref!r} matches no report id or title; `dossier reports` lists them")
    listed = "; ".join(f"{rid} ({str(reports[rid].get('title') or 'untitled')[:60]})" for rid in sorted(found))
    raise UserInputError(f"report {ref!r} matches {len(found)} reports: {listed}; give an id or a longer fragment")


def resolve(scope: Scope, reports: Mapping[str, Mapping]) -> Resolved:
    """The reports in scope and the line that says what was searched. UserInputError when a
    report reference is not one report, or when nothing is in scope."""
    dates = sorted(str(r.get("date") or "") for r in reports.values() if r.get("date"))
    since, until = scope.since, scope.until
    if scope.since_day and not since:
        since = _full_date(scope.since_day, dates, since=True)
    if scope.until_day and not until:
        until = _full_date(scope.until_day, dates, since=False)
    ids = set(reports)
    said: list[str] = []
    named = [match_reports(ref, reports) for ref in scope.reports]
    if named:
        ids &= set(named)
    if scope.publisher:
        low = scope.publisher.lower()
        ids = {rid for rid in ids if low in str(reports[rid].get("publisher") or "").lower()}
        said.append(f"by {scope.publisher}")
    dated = {rid for rid in ids if reports[rid].get("date")}
    undated = len(ids - dated) if scope.dated else 0
    if scope.dated:
        ids = dated
    if since:
        ids = {rid for rid in ids if reports[rid]["date"] >= since}
    if until:
        ids = {rid for rid in ids if reports[rid]["date"] <= until}
    if scope.days:
        wanted = {f"{m:02d}-{d:02d}" for m, d in scope.days}
        ids = {rid for rid in ids if reports[rid]["date"][5:] in wanted}
    if scope.latest and ids:
        newest = max(reports[rid]["date"] for rid in ids)
        ids = {rid for rid in ids if reports[rid]["date"] == newest}
    if since and until:
        said.insert(0, f"from {since} to {until}")
    elif since:
        said.insert(0, f"from {since} on")
    elif until:
        said.insert(0, f"up to {until}")
    ordered = tuple(sorted(ids, key=lambda rid: (str(reports[rid].get("date") or ""), rid), reverse=True))
    if named or scope.latest or scope.days:
        which = "; ".join(_report_label(reports[rid], rid) for rid in ordered[:3])
        more = f" and {len(ordered) - 3} more" if len(ordered) > 3 else ""
        head = f"Searched {len(ordered)} report{'s' if len(ordered) != 1 else ''}" + (f": {which}{more}" if which else "")
        line = head + (f" ({', '.join(said)})" if said else "")
    else:
        line = "Searched reports " + ", ".join(said)
    if undated:
        line += f"; {undated} undated report{'s are' if undated > 1 else ' is'} outside a date scope and {'were' if undated > 1 else 'was'} not searched"
    if not ordered:
        what = line.replace("Searched 0 reports", "No report in the index matches the scope").replace(
            "Searched reports", "No report in the index is")
        newest = f" (the reports run from {dates[0]} to {dates[-1]})" if dates else ""
        if scope.days:
            asked = ", ".join(f"{MONTH_NAMES[m - 1]} {d}" for m, d in scope.days)
            raise UserInputError(f"no report is dated {asked}{newest}")
        raise UserInputError(f"{what.split(';')[0]}{newest}")
    return Resolved(ordered, line, undated, since, until)


def _report_label(report: Mapping, rid: str) -> str:
    title = str(report.get("title") or "") or f"untitled report {rid}"
    title = title if len(title) <= 70 else title[:69] + "…"
    return f"{title} ({report['date']})" if report.get("date") else title


__all__ = ["Resolved", "Scope", "check_date", "from_flags", "match_reports", "merge", "resolve", "scope_from_text",
           "summary_request"]

"""The public site in English has its whole interface in English.

Loads the demo city, crawls every public page reachable from "/" with the ``django_language=en``
cookie (same-origin links; not /staff/, /admin/, /api/ nor downloads), plus the pages a crawl
cannot reach by links (a citizen's survey form, the empty public-comment and proposal forms
with their error messages, a page that does not exist), and asserts that no untranslated
msgid of keikaku/locale/en/LC_MESSAGES/django.po (one with Japanese in it, 2 characters or
more) appears in the visible interface text.

Content (plan titles, measure names, citizens' opinions) legitimately stays Japanese when it has
no English version; it is marked ``lang="ja"`` (the ``tr`` template tag) and is skipped. Only
catalogue msgids count: a msgid is found when it fills a whole text node, a whole block
(paragraph, list item, cell, button, link …) or an attribute (aria-label, title, alt,
placeholder, a button's value), or when it stands inside one with no Japanese letter right
before or after it (e.g. 「議決済（2024-12-19）」). Placeholders (%(name)s, {name}) match any text.

``scripts/untranslated-public-strings`` runs the same crawl on a database built by
``keikaku setup-demo`` and lists what is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import pytest

PO_FILE = Path(__file__).resolve().parent.parent / "keikaku/locale/en/LC_MESSAGES/django.po"

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u3005\u30fc]")
JAPANESE_LETTER = JAPANESE
WHITESPACE = re.compile(r"\s+")
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0\- +]*\d*(?:\.\d+)?[sdifrx]|%[sdif]|\{[a-z_0-9.]*\}")
TAG = re.compile(r"<[^>]+>")

SKIPPED_PREFIXES = ("/staff/", "/admin/", "/api/", "/static/", "/media/", "/accounts/")
BLOCKS = {
    "title", "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "td", "th", "caption",
    "figcaption", "label", "legend", "button", "a", "option", "summary", "small", "strong",
    "span", "em", "div", "section", "nav", "header", "footer", "aside", "blockquote", "address",
    "output", "abbr", "time", "mark", "b", "i",
}  # fmt: skip
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
HIDDEN = {"script", "style", "template"}
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "aria-description", "data-label")


# ---------------------------------------------------------------------------------------------
# The catalogue


@dataclass(frozen=True)
class Msgid:
    text: str
    anchor: str  # the longest literal part: a quick test before the regular expressions
    exact: re.Pattern[str]  # the whole msgid (placeholders match any text)
    core: re.Pattern[str] | None  # without leading/trailing placeholders, for bounded search


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return body.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def read_catalogue(path: Path = PO_FILE) -> list[dict[str, object]]:
    """The entries of a .po file: msgid, msgid_plural, msgstrs, fuzzy (obsolete ones left out)."""
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {}
    field = ""

    def flush() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            field = ""
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if "msgid" in entry:
                flush()
            entry["fuzzy"] = "fuzzy" in line
            continue
        if line.startswith("#"):
            if "msgid" in entry and field.startswith("msgstr"):
                flush()
            continue
        if line.startswith("msgctxt"):
            if "msgid" in entry:
                flush()
            field = "msgctxt"
        elif line.startswith("msgid_plural"):
            field = "msgid_plural"
        elif line.startswith("msgid"):
            if "msgid" in entry:
                flush()
            field = "msgid"
        elif line.startswith("msgstr["):
            field = line[: line.index("]") + 1]
        elif line.startswith("msgstr"):
            field = "msgstr"
        elif not line.startswith('"'):
            continue
        entry[field] = str(entry.get(field, "")) + _unquote(line)
    flush()
    return entries


def _normalise(text: str) -> str:
    return WHITESPACE.sub("", text)


def _pattern(text: str) -> str:
    parts = PLACEHOLDER.split(text)
    return ".{1,120}?".join(re.escape(_normalise(p)) for p in parts)


def _msgid(text: str) -> Msgid | None:
    shown = TAG.sub("", text).replace("%%", "%")
    literal = _normalise(PLACEHOLDER.sub("", shown))
    if len(literal) < 2 or not JAPANESE.search(literal):
        return None
    core_text = re.sub(rf"^(?:\s*(?:{PLACEHOLDER.pattern}))+", "", shown)
    core_text = re.sub(rf"(?:(?:{PLACEHOLDER.pattern})\s*)+$", "", core_text)
    core_literal = _normalise(PLACEHOLDER.sub("", core_text))
    core = None
    if len(core_literal) >= 2 and JAPANESE.search(core_literal):
        core = re.compile(_pattern(core_text), re.S)
    anchor = max((_normalise(p) for p in PLACEHOLDER.split(shown)), key=len)
    return Msgid(text=text, anchor=anchor, exact=re.compile(_pattern(shown), re.S), core=core)


def untranslated_msgids(path: Path = PO_FILE) -> list[Msgid]:
    """The msgids with Japanese in them (2 characters or more) and no usable English."""
    out = []
    for entry in read_catalogue(path):
        msgstrs = [str(v) for k, v in entry.items() if str(k).startswith("msgstr")]
        if entry.get("fuzzy") or not msgstrs or not all(msgstrs):
            for text in (entry.get("msgid"), entry.get("msgid_plural")):
                if text:
                    msgid = _msgid(str(text))
                    if msgid is not None:
                        out.append(msgid)
    return out


# ---------------------------------------------------------------------------------------------
# The pages


class InterfaceText(HTMLParser):
    """Visible interface texts of a page: text nodes, block texts, attributes, and the links.
    Anything inside an element marked ``lang="ja"`` is content (or the language switch) and left
    out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.forms: list[dict[str, object]] = []  # method="post" forms: action, hidden fields
        self.stack: list[tuple[str, list[str], bool]] = []  # tag, text buffer, japanese

    def _japanese(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def _hidden(self) -> bool:
        return any(tag in HIDDEN for tag, _, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag == "form" and str(values.get("method") or "").lower() == "post":
            self.forms.append({"action": str(values.get("action") or ""), "data": {}})
        if tag == "input" and self.forms and values.get("type") == "hidden" and values.get("name"):
            data = self.forms[-1]["data"]
            assert isinstance(data, dict)
            data[str(values["name"])] = str(values.get("value") or "")
        lang = values.get("lang")
        japanese = self._japanese() if lang is None else str(lang).startswith("ja")
        if not japanese and not self._hidden():
            for name in ATTRIBUTES:
                if values.get(name):
                    self.texts.append(str(values[name]))
            if tag == "input" and values.get("type") in ("submit", "button", "reset"):
                self.texts.append(str(values.get("value") or ""))
        if tag not in VOID:
            self.stack.append((tag, [], japanese))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not any(t == tag for t, _, _ in self.stack):
            return
        while self.stack:
            open_tag, buffer, japanese = self.stack.pop()
            text = "".join(buffer)
            if self.stack:
                self.stack[-1][1].append(text if not japanese or self.stack[-1][2] else "\x00")
            if open_tag in BLOCKS and not japanese and text.strip():
                self.texts.append(text)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._hidden():
            return
        if self.stack:
            self.stack[-1][1].append(data)
        if not self._japanese() and data.strip():
            self.texts.append(data)


def parse_page(html: str) -> InterfaceText:
    parser = InterfaceText()
    parser.feed(html)
    parser.close()
    texts = []
    for text in parser.texts:
        # Japanese content inside a block splits it: each side is checked on its own.
        texts.extend(t for t in (_normalise(x) for x in text.split("\x00")) if t)
    parser.texts = list(dict.fromkeys(texts))
    return parser


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not JAPANESE_LETTER.fullmatch(before or "a") and not JAPANESE_LETTER.fullmatch(
        after or "a"
    )


def find_untranslated(
    texts: Iterable[str], msgids: list[Msgid], *, loose: bool = False
) -> list[str]:
    """The msgids shown in these texts (see the module's docstring for what counts)."""
    found = []
    texts = [t for t in texts if JAPANESE.search(t)]
    everything = "\x00".join(texts)
    for msgid in msgids:
        if msgid.anchor not in everything:
            continue
        for text in texts:
            if msgid.exact.fullmatch(text):
                found.append(msgid.text)
                break
            if msgid.core is None:
                continue
            hit = any(
                loose or _bounded(text, m.start(), m.end()) for m in msgid.core.finditer(text)
            )
            if hit:
                found.append(msgid.text)
                break
    return found


def _same_site_link(href: str, current: str) -> str | None:
    url, _ = urldefrag(urljoin(current, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path or "/"
    if path.startswith(SKIPPED_PREFIXES):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("lang", "furigana")]
    return path + ("?" + urlencode(query) if query else "")


def _html(response) -> str | None:
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("text/html") or response.streaming:
        return None  # a download behind a plain link
    return response.content.decode("utf-8")


def crawl_english(
    client, *, limit: int = 3000, start: Iterable[str] = ("/",), forms: bool = True
) -> dict[str, list[str]]:
    """Every public page reachable from ``start`` in English: url → interface texts. With
    ``forms``, every public POST form found is also sent once empty (its hidden fields only),
    for the form's error messages, and the survey is answered with a new code (when a
    survey is open)."""
    client.cookies["django_language"] = "en"
    queue = list(start)
    queued = set(queue)
    pages: dict[str, list[str]] = {}
    posted: set[str] = set()
    while queue and len(pages) < limit:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code in (301, 302):
            target = _same_site_link(response["Location"], "http://testserver" + url)
            if target and target not in queued:
                queued.add(target)
                queue.append(target)
            continue
        html = _html(response)
        if html is None:
            continue
        page = parse_page(html)
        pages[url] = page.texts
        for href in page.links:
            link = _same_site_link(href, "http://testserver" + url)
            if link and link not in queued:
                queued.add(link)
                queue.append(link)
        for form in page.forms if forms else ():
            action = _same_site_link(str(form["action"]) or url, "http://testserver" + url)
            if action is None or action in posted:
                continue
            posted.add(action)
            answer = client.post(action, dict(form["data"]))  # type: ignore[arg-type]
            if answer.status_code in (301, 302):
                answer = client.get(answer["Location"])
            html = _html(answer)
            if html is not None:
                pages[f"POST {action}"] = parse_page(html).texts
    if forms:
        pages.update(_answer_the_survey(client))
        missing = client.get("/no-such-page/")
        pages["/no-such-page/ (404)"] = parse_page(missing.content.decode("utf-8")).texts
    return pages


def _answer_the_survey(client) -> dict[str, list[str]]:
    """A citizen's way through the open survey: a wrong code, then a new code, every page
    (sent empty), the confirmation page and the thank-you page."""
    from keikaku.surveys import services
    from keikaku.surveys.models import SurveyWave

    pages: dict[str, list[str]] = {}

    def visit(label: str, response) -> None:
        while response.status_code in (301, 302):
            response = client.get(response["Location"])
        html = _html(response)
        if html is not None:
            pages[label] = parse_page(html).texts

    visit("POST /survey/ (wrong code)", client.post("/survey/", {"code": "ABCD-EFGH-JKMN"}))
    wave = SurveyWave.objects.filter(status=SurveyWave.Status.OPEN).first()
    if wave is None:
        return pages
    (code,) = services.access_codes_generate(wave=wave, actor="test", count=1)
    visit("POST /survey/ (code)", client.post("/survey/", {"code": code.code}))
    for number in range(1, 60):
        url = f"/survey/answer/{number}/"
        response = client.get(url)
        if response.status_code != 200:
            break
        visit(url, response)
        visit(f"POST {url}", client.post(url, {}))
    visit("/survey/answer/confirm/", client.get("/survey/answer/confirm/"))
    visit("POST /survey/answer/submit/", client.post("/survey/answer/submit/", {}))
    return pages


# ---------------------------------------------------------------------------------------------
# The test


@pytest.mark.slow
def test_the_english_public_site_shows_no_untranslated_interface_text(client, db):
    from django.core.management import call_command

    call_command("setup_demo", no_documents=True, verbosity=0)
    msgids = untranslated_msgids()
    pages = crawl_english(client)
    assert len(pages) >= 100, len(pages)
    failures = []
    for url, texts in pages.items():
        for text in find_untranslated(texts, msgids):
            failures.append(f"{url}: {text!r}")
    assert failures == [], "Untranslated interface text on English public pages:\n" + "\n".join(
        failures
    )

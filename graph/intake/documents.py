"""Reading documents into plain text: .txt, .html (scripts and styles dropped), .pdf, .docx."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from graph.errors import IntakeError

FORMATS = ("txt", "html", "pdf", "docx")
MAX_PDF_PAGES = 300
MAX_PDF_SECONDS = 20.0
PageProgress = Callable[[int, int], None]  # pages read, pages in the file


@dataclass(frozen=True)
class Document:
    """A document's plain text, its title (first line or <title>) and the format it came in."""

    text: str
    title: str
    format: str
    name: str
    notes: tuple[str, ...] = ()


def read_document(
    data: bytes,
    name: str,
    *,
    progress: PageProgress | None = None,
    max_pages: int = MAX_PDF_PAGES,
    max_seconds: float = MAX_PDF_SECONDS,
) -> Document:
    """Turn a file's bytes into a :class:`Document`, or raise :class:`IntakeError` saying why.

    A PDF is read page by page, reporting ``progress``, up to ``max_pages`` pages and
    ``max_seconds``; the document then notes how far it got.
    """
    kind = format_of(name, data)
    if kind == "pdf":
        text, title, notes = _read_pdf(data, name, progress, max_pages, max_seconds)
    else:
        reader = {"txt": _read_text, "html": _read_html, "docx": _read_docx}[kind]
        text, title, notes = reader(data, name, progress)
    text = _tidy(text)
    if not text.strip():
        raise IntakeError(f"{name}: the document holds no text")
    return Document(text, title or first_line(text), kind, name, tuple(notes))


def read_path(path: Path, *, progress: PageProgress | None = None) -> Document:
    """Read a document from a file on disk."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IntakeError(f"{path}: cannot be read ({error.strerror})") from error
    return read_document(data, path.name, progress=progress)


def format_of(name: str, data: bytes) -> str:
    """Say which format a file is in, from its name, else from its first bytes."""
    suffix = Path(name).suffix.lower().lstrip(".")
    suffix = {"htm": "html", "text": "txt", "md": "txt"}.get(suffix, suffix)
    if suffix in FORMATS:
        return suffix
    if suffix:
        raise IntakeError(f"{name}: cannot read .{suffix} files (can: {', '.join(FORMATS)})")
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK"):
        return "docx"
    if data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return "txt"


def first_line(text: str) -> str:
    """Return the first line of three words or more (else the first line), as a title."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return next((line for line in lines if len(line.split()) >= 3), lines[0] if lines else "")[:300]


def _tidy(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _read_text(data: bytes, name: str, progress: PageProgress | None) -> tuple[str, str, list]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), "", []
        except UnicodeDecodeError:
            continue
    raise IntakeError(f"{name}: not UTF-8 or Windows-1252 text")


class _TextOfHtml(HTMLParser):
    """Collect an HTML page's visible text and title; script, style and template are dropped."""

    SKIP = frozenset({"script", "style", "template", "noscript", "svg"})
    BLOCKS = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
         "article", "header", "footer", "blockquote", "figcaption", "title", "ul", "ol"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.skipping: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in self.SKIP:
            self.skipping.append(tag)
        if tag in self.BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(data)


def _read_html(data: bytes, name: str, progress: PageProgress | None) -> tuple[str, str, list]:
    text, _, _ = _read_text(data, name, progress)
    parser = _TextOfHtml()
    parser.feed(text)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    body = "\n".join(lines)
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return body.strip(), " ".join("".join(parser.title).split()), []


def _read_pdf(
    data: bytes, name: str, progress: PageProgress | None, max_pages: int, max_seconds: float
) -> tuple[str, str, list]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        total = len(reader.pages)
    except (PdfReadError, ValueError, OSError) as error:
        raise IntakeError(f"{name}: not a readable PDF ({error})") from error
    texts, notes, started = [], [], time.monotonic()
    for number, page in enumerate(reader.pages, start=1):
        if number > max_pages or time.monotonic() - started > max_seconds:
            notes.append(f"read the first {number - 1} of {total} pages (limit reached)")
            break
        texts.append(page.extract_text() or "")
        if progress:
            progress(number, total)
    if not "".join(texts).strip():
        raise IntakeError(
            f"{name}: the PDF has no text layer (scanned pages?); run OCR on it first"
        )
    title = (reader.metadata.title if reader.metadata else None) or ""
    return "\n\n".join(texts), str(title), notes


def _read_docx(data: bytes, name: str, progress: PageProgress | None) -> tuple[str, str, list]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise IntakeError(f"{name}: not a readable .docx file ({error})") from error
    text = "\n\n".join(paragraph.text for paragraph in document.paragraphs)
    return text, document.core_properties.title or "", []

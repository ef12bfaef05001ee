"""Neo4j's full-text analyzer and query parser, run in real Lucene (Debian's liblucene8-java).

``tests/lucene/NeoFulltext.java`` sets Lucene up as Neo4j sets up a full-text index with its
default analyzer; it is compiled once per source version into ``build/lucene-harness/``.
Tests that need it skip, saying why, when Java or the Lucene jars are missing.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.missing import missing

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(__file__).parent / "lucene" / "NeoFulltext.java"
BUILD = ROOT / "build" / "lucene-harness"
JARS = Path("/usr/share/java")
NEEDED = ("lucene-core", "lucene-queryparser", "lucene-queries", "lucene-sandbox")


@dataclass(frozen=True)
class Answer:
    """What Lucene made of one query: the parsed query, or the parser's error; the hits."""

    parsed: str | None
    error: str | None
    hits: frozenset[int]


def classpath() -> str:
    """Return the Lucene jars' class path, or skip when they are not installed."""
    jars = []
    for name in NEEDED:
        found = sorted(JARS.glob(f"{name}-[0-9]*.jar")) or sorted(JARS.glob(f"{name}.jar"))
        if not found:
            missing(f"{name} is not installed (Debian: apt-get install liblucene8-java)")
        jars.append(str(found[-1]))
    return ":".join(jars)


def compiled() -> tuple[str, str]:
    """Compile the harness once per source version; return (java, class path)."""
    java, javac = shutil.which("java"), shutil.which("javac")
    if not java or not javac:
        missing("java and javac are needed to run Neo4j's analyzer in Lucene")
    jars = classpath()
    digest = hashlib.sha256(SOURCE.read_bytes() + jars.encode()).hexdigest()[:16]
    target = BUILD / digest
    if not (target / "NeoFulltext.class").exists():  # compiled aside, then renamed into place,
        BUILD.mkdir(parents=True, exist_ok=True)  # as parallel test workers may race
        scratch = Path(tempfile.mkdtemp(dir=BUILD))
        subprocess.run(
            [javac, "-d", str(scratch), "-cp", jars, str(SOURCE)], check=True, capture_output=True
        )
        try:
            scratch.rename(target)
        except OSError:  # another worker was first
            shutil.rmtree(scratch, ignore_errors=True)
    return java, f"{target}:{jars}"


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def run_lucene(documents: list[str], queries: list[str]) -> list[Answer]:
    """Index ``documents`` (numbered from 0) and run each query; one answer per query."""
    java, path = compiled()
    lines = [f"D\t{_clean(d)}" for d in documents] + [f"Q\t{_clean(q)}" for q in queries]
    done = subprocess.run(
        [java, "-cp", path, "NeoFulltext"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=120,
    )
    answers = []
    for line in done.stdout.splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "ERROR":
            answers.append(Answer(None, rest, frozenset()))
        else:
            parsed, _, hits = rest.partition("\t")
            answers.append(Answer(parsed, None, frozenset(int(h) for h in hits.split(",") if h)))
    assert len(answers) == len(queries), done.stderr
    return answers


def tokens(text: str) -> list[str]:
    """Return the tokens Neo4j's default full-text analyzer makes of ``text``."""
    java, path = compiled()
    done = subprocess.run(
        [java, "-cp", path, "NeoFulltext"],
        input=f"T\t{_clean(text)}\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    return done.stdout.partition("\t")[2].split()

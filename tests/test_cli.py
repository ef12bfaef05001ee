"""The ``ecomap`` command line, run as a user would run it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def ecomap(data_dir: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ECOMAP_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-c", "from web.cli.commands import main; main()", *args]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=ROOT, input=input, timeout=120
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli")


def test_query_prints_json_rows(data_dir):
    done = ecomap(data_dir, "query", "RETURN 1 AS x", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '[{"x": 1}]'


def test_a_write_through_query_fails_and_writes_nothing(data_dir):
    done = ecomap(data_dir, "query", "CREATE (n:Intruder)")
    assert done.returncode != 0
    assert "read path is read-only" in done.stderr
    count = ecomap(data_dir, "query", "MATCH (n) RETURN count(n) AS n", "--format", "json")
    assert json.loads(count.stdout) == [{"n": 0}]


def test_parameters_are_bound_as_json_or_text(data_dir):
    done = ecomap(
        data_dir,
        "query",
        "RETURN $n + 1 AS n, $s AS s, $l AS l",
        "-p",
        "n=41",
        "-p",
        "s=Oulu '; DROP",
        "-p",
        'l=["a", 2]',
        "--format",
        "json",
    )
    assert json.loads(done.stdout) == [{"n": 42, "s": "Oulu '; DROP", "l": ["a", 2]}]


def test_table_and_csv_formats(data_dir):
    table = ecomap(data_dir, "query", "UNWIND [1, 2] AS x RETURN x, 'a,b' AS y")
    assert table.stdout.splitlines() == ["x  y", "-  ---", "1  a,b", "2  a,b"]
    csv = ecomap(data_dir, "query", "RETURN 'a,b' AS y", "--format", "csv")
    assert csv.stdout.splitlines() == ["y", '"a,b"']


def test_bad_parameter_syntax_is_a_usage_error(data_dir):
    done = ecomap(data_dir, "query", "RETURN 1", "-p", "novalue")
    assert done.returncode == 2
    assert "is not name=value" in done.stderr


def test_seed_then_status_then_seed_again(data_dir):
    first = ecomap(data_dir, "seed")
    assert first.returncode == 0, first.stderr
    assert "0 updated, 0 unchanged" in first.stdout
    status = ecomap(data_dir, "status")
    assert "backend        embedded (up" in status.stdout
    assert any(line.split() == ["AGREEMENT", "7"] for line in status.stdout.splitlines())
    again = ecomap(data_dir, "seed")
    assert again.stdout.strip().startswith("loaded: 0 created, 0 updated,")


def test_seed_reports_every_problem_and_exits_non_zero(data_dir, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("label: City\nnodes:\n  - id: x\n  - name: y\n", encoding="utf-8")
    done = ecomap(data_dir, "seed", "seeds", str(broken), "--dry-run")
    assert done.returncode == 1
    assert "problems in the seed files" in done.stderr
    assert "entry 2, field 'id': is required" in done.stderr


def test_reset_asks_first(data_dir):
    done = ecomap(data_dir, "seed", "--reset", input="n\n")
    assert done.returncode == 1
    assert "Replace everything in the graph" in done.stderr


def test_two_status_commands_at_once_use_one_server(data_dir):
    holder = subprocess.Popen(  # keeps the server up, so both commands surely overlap it
        [sys.executable, "-c", HOLD, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        held = holder.stdout.readline().strip()
        env = {**os.environ, "ECOMAP_DATA_DIR": str(data_dir)}
        command = [sys.executable, "-c", "from web.cli.commands import main; main()", "status"]
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=60)[0] for run in runs]
    finally:
        holder.communicate("\n", timeout=30)
    pids = {
        line.split("pid ")[1].rstrip(")")
        for out in outputs
        for line in out.splitlines()
        if line.startswith("backend")
    }
    assert pids == {held}, outputs


HOLD = """
import sys
from graph.settings import Settings
from graph.store.backends import open_store
store = open_store(Settings(data_dir=sys.argv[1]))
print(store.describe()["pid"], flush=True)
sys.stdin.readline()
store.close()
"""


@pytest.mark.parametrize("command", ["status", "queries", "serve"])
def test_a_bad_setting_is_one_line_not_a_traceback(command):
    from click.testing import CliRunner

    from web.cli.commands import main

    done = CliRunner().invoke(main, [command], env={"ECOMAP_FSYNC": "never"})
    assert done.exit_code == 1
    assert done.output == "Error: ECOMAP_FSYNC must be 'always' or 'everysec', not 'never'\n"


def test_an_error_inside_a_command_is_one_line(tmp_path):
    from click.testing import CliRunner

    from web.cli.commands import main

    (tmp_path / "broken.cypher").write_text("// title: Broken\n// param: x nonsense\nRETURN 1\n")
    done = CliRunner().invoke(main, ["queries", "--library", str(tmp_path)])
    assert done.exit_code == 1
    assert done.output.startswith("Error: ")
    assert "Traceback" not in done.output


def test_seeds_and_queries_are_found_from_any_folder(data_dir, tmp_path):
    env = {**os.environ, "ECOMAP_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-c", "from web.cli.commands import main; main()"]
    seeds = subprocess.run(
        [*command, "seed", "--dry-run"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert seeds.returncode == 0, seeds.stderr
    assert "sources are valid" in seeds.stderr
    listed = subprocess.run([*command, "queries"], capture_output=True, text=True, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split(maxsplit=1)[0] == "agreements-by-year"


def test_serve_says_a_busy_port_plainly_before_any_url(data_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = ecomap(data_dir, "serve", "--port", str(port))
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: port {port} is busy on 127.0.0.1: another program")
    assert "http://" not in done.stdout + done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_serve_prints_its_url_then_answers_and_stops_on_sigterm(data_dir):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ECOMAP_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-c", "from web.cli.commands import main; main()"]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        before = []  # the embedded server may say it is loading its data first
        while not (line := server.stderr.readline()).startswith("Ecomap on "):
            assert line, "serve stopped before printing its URL"
            before.append(line)
        assert line == f"Ecomap on http://127.0.0.1:{port}/ (Ctrl-C stops)\n"
        assert not any("http" in earlier for earlier in before)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/health", timeout=60) as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=60)
    assert server.returncode == 0
    assert out == ""


def test_serve_answers_a_clear_503_while_the_data_loads(tmp_path):
    from werkzeug.test import Client

    from web.cli.server import Starting

    folder = tmp_path / "falkordb" / "appendonlydir"
    folder.mkdir(parents=True)
    (folder / "appendonly.aof.1.base.rdb").write_bytes(b"\0" * 3 * 2**20)
    client = Client(Starting(tmp_path))
    page = client.get("/entity/oulu")
    assert page.status_code == 503 and page.headers["Retry-After"] == "2"
    text = page.get_data(as_text=True)
    assert "the database is loading the graph from disk (3 MiB)" in text
    assert '<meta http-equiv="refresh" content="2">' in text
    health = client.get("/-/health")
    assert health.status_code == 503 and health.json["status"] == "starting"
    assert Starting(None).doing() == "the database is starting"

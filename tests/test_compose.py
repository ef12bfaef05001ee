"""What ``docker compose up`` depends on, checked without a Docker engine.

The compose file is parsed with PyYAML (anchors and merge keys resolved as compose does) and
checked structurally; variables are interpolated as compose interpolates them (nesting
included) from a minimal ``.env``; every variable each service's program reads is set and
read; services start in order (Neo4j healthy, then the seed job completes, then Ecomap); the
seed job needs no web secret; memory settings fit the container. The Dockerfile is read as
instructions.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from graph.settings import declared
from graph.store.backends import backend_of
from web.settings import AppSettings, load_app_settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

APP, DB, SEED = "ecomap", "neo4j", "seed"
NEO4J_VARIABLES = {"NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"}
HEALTH_PATH = "/-/health"
# What the compose file is run with: the secrets it insists on, and nothing else.
SAMPLE_ENV = {"NEO4J_PASSWORD": "sample-password-42", "ECOMAP_SECRET_KEY": "sample-secret"}
TOP_LEVEL = {"name", "services", "volumes", "networks", "configs", "secrets", "include"}
SERVICE_KEYS = {
    "image", "build", "command", "entrypoint", "environment", "env_file", "volumes", "ports",
    "healthcheck", "depends_on", "restart", "profiles", "mem_limit", "user", "networks",
    "deploy", "working_dir",
}  # fmt: skip
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
SIZE = re.compile(r"(\d+(?:\.\d+)?)([kmg]?)b?", re.IGNORECASE)


# --- reading and interpolating ----------------------------------------------------------


@cache
def compose() -> dict:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), "docker-compose.yml is not a mapping"
    return loaded


def services() -> dict:
    found = compose().get("services")
    assert isinstance(found, dict), "docker-compose.yml has no services mapping"
    return found


def service(name: str) -> dict:
    assert name in services(), f"docker-compose.yml has no {name!r} service"
    return services()[name]


class MissingVariable(LookupError):
    pass


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Resolve compose's ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR:?error}`` (and the
    forms without ``:``), defaults and messages themselves interpolated; ``$$`` is a ``$``."""
    out, at = [], 0
    while at < len(text):
        if text.startswith("$$", at):
            out.append("$")
            at += 2
        elif text.startswith("${", at):
            end = _closing(text, at + 2)
            out.append(_resolve(text[at + 2 : end], env))
            at = end + 1
        elif text[at] == "$" and (bare := re.match(r"[A-Za-z_]\w*", text[at + 1 :])):
            out.append(env.get(bare.group(0), ""))
            at += 1 + bare.end()
        else:
            out.append(text[at])
            at += 1
    return "".join(out)


def _closing(text: str, start: int) -> int:
    depth = 1
    for index in range(start, len(text)):
        if text.startswith("${", index):
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise AssertionError(f"unclosed ${{ in {text!r}")


def _resolve(expression: str, env: Mapping[str, str]) -> str:
    match = re.fullmatch(r"([A-Za-z_]\w*)(?:(:?[-?+])(.*))?", expression, re.DOTALL)
    assert match, f"not a compose variable: ${{{expression}}}"
    name, op, arg = match.group(1), match.group(2) or "", match.group(3) or ""
    value = env.get(name)
    unset = value is None or (op.startswith(":") and value == "")
    if op.endswith("-") and unset:
        return interpolate(arg, env)
    if op.endswith("?") and unset:
        raise MissingVariable(f"{name}: {interpolate(arg, env)}")
    if op.endswith("+"):
        return "" if unset else interpolate(arg, env)
    return value or ""


def environment(name: str, env: Mapping[str, str] = SAMPLE_ENV) -> dict[str, str]:
    """A service's environment, interpolated from ``env`` as compose would."""
    raw = service(name).get("environment") or {}
    if not isinstance(raw, Mapping):
        raw = dict(item.partition("=")[::2] for item in raw)
    return {key: interpolate(str(value), env) for key, value in raw.items()}


def settings_read_by(program_env: Mapping[str, str]) -> AppSettings:
    return load_app_settings(program_env)


def declared_variables() -> set[str]:
    return {setting.env for setting in declared(AppSettings)} | NEO4J_VARIABLES


def published_ports(name: str) -> list[tuple[str | None, int | None, int]]:
    """(host address, host port, container port) for each of a service's published ports."""
    found = []
    for entry in service(name).get("ports") or []:
        parts = str(entry).split("/")[0].rsplit(":", 2)
        host_port = int(parts[-2]) if len(parts) >= 2 and parts[-2] else None
        found.append((parts[0] if len(parts) == 3 else None, host_port, int(parts[-1])))
    return found


def healthcheck_text(name: str) -> str:
    check = service(name).get("healthcheck")
    assert check and not check.get("disable"), f"{name} has no healthcheck"
    test = check["test"]
    return test if isinstance(test, str) else " ".join(test[1:])


def bytes_of(size: str) -> int:
    match = SIZE.fullmatch(size.strip())
    assert match, f"not a size: {size!r}"
    return int(float(match.group(1)) * 1024 ** " kmg".index(match.group(2).lower() or " "))


@cache
def instructions() -> tuple[tuple[str, str], ...]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    found: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, rest = (pending + stripped).partition(" ")
        found.append((keyword.upper(), rest.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return tuple(found)


def instruction_args(keyword: str) -> list[str]:
    return [args for name, args in instructions() if name == keyword]


def command_words(args: str) -> list[str]:
    """A CMD/ENTRYPOINT/RUN argument as words: exec (JSON) form or shell form."""
    if args.startswith("["):
        words = json.loads(args)
        assert all(isinstance(word, str) for word in words)
        return words
    return shlex.split(args)


def cmd_words() -> list[str]:
    cmds = instruction_args("CMD")
    assert cmds, "the Dockerfile has no CMD"
    return command_words(cmds[-1])  # only the last CMD counts


def gunicorn_bind_port() -> int:
    words = cmd_words()
    for i, word in enumerate(words):
        if word in ("--bind", "-b"):
            bind = words[i + 1]
        elif word.startswith("--bind="):
            bind = word.partition("=")[2]
        else:
            continue
        return int(bind.rpartition(":")[2])
    raise AssertionError(f"gunicorn's CMD names no --bind address: {words}")


# --- docker-compose.yml -----------------------------------------------------------------


def test_compose_file_is_structurally_valid():
    unknown = {k for k in compose() if not k.startswith("x-")} - TOP_LEVEL
    assert not unknown, f"unknown top-level keys: {unknown}"
    for name, spec in services().items():
        assert set(spec) <= SERVICE_KEYS, f"{name}: unknown keys {set(spec) - SERVICE_KEYS}"
        assert "image" in spec or "build" in spec, f"{name} has neither image nor build"
        for other, needs in (spec.get("depends_on") or {}).items():
            assert other in services(), f"{name} depends on an unknown service {other}"
            assert needs.get("condition") in CONDITIONS, f"{name} -> {other}: {needs}"
        for volume in spec.get("volumes") or []:
            source = str(volume).partition(":")[0]
            if not source.startswith((".", "/", "~")):
                assert source in (compose().get("volumes") or {}), f"undeclared volume {source}"


def test_every_variable_resolves_from_a_minimal_env_file():
    for name in services():
        environment(name)  # raises MissingVariable when compose would refuse to start


@pytest.mark.parametrize("secret", sorted(SAMPLE_ENV))
def test_compose_refuses_to_start_without(secret):
    env = {key: value for key, value in SAMPLE_ENV.items() if key != secret}
    with pytest.raises(MissingVariable, match=secret):
        for name in (APP, DB, SEED):
            environment(name, env)


@pytest.mark.parametrize("name", [APP, SEED])
def test_every_variable_the_program_reads_is_set_and_every_one_set_is_read(name):
    given = environment(name)
    unread = set(given) - declared_variables()
    assert not unread, f"{name} sets variables nothing reads: {sorted(unread)}"
    for needed in ("ECOMAP_GRAPH", *sorted(NEO4J_VARIABLES)):
        assert given.get(needed), f"{name} does not set {needed}"
    settings = settings_read_by(given)
    assert backend_of(settings.graph) == "neo4j"
    url = urlsplit(settings.graph)
    assert (url.hostname, url.port) == (DB, 7687), f"{name} does not reach Neo4j's Bolt port"


def test_the_app_shares_one_secret_key_across_workers():
    assert settings_read_by(environment(APP)).secret_key == SAMPLE_ENV["ECOMAP_SECRET_KEY"]


def test_services_start_in_order_neo4j_then_seed_then_app():
    graph = {name: set(spec.get("depends_on") or {}) for name, spec in services().items()}
    order = list(TopologicalSorter(graph).static_order())  # raises on a cycle
    assert order.index(DB) < order.index(SEED) < order.index(APP)
    conditions = {
        (name, other): needs["condition"]
        for name, spec in services().items()
        for other, needs in (spec.get("depends_on") or {}).items()
    }
    assert conditions[(SEED, DB)] == "service_healthy"
    assert conditions[(APP, DB)] == "service_healthy"
    assert conditions[(APP, SEED)] == "service_completed_successfully"


def test_the_seed_job_runs_on_up_loads_the_seeds_and_exits():
    seed = service(SEED)
    assert "profiles" not in seed, "a seed job behind a profile does not run on docker compose up"
    assert seed["command"][:2] == ["ecomap", "seed"]
    assert seed.get("restart") == "no"
    assert service(APP).get("image") == seed.get("image"), "the seed job runs another image"


def test_the_seed_job_needs_no_web_secret():
    env = {"NEO4J_PASSWORD": SAMPLE_ENV["NEO4J_PASSWORD"]}
    given = environment(SEED, env)
    assert "ECOMAP_SECRET_KEY" not in given
    settings_read_by(given)


def test_the_seed_job_writes_as_neo4js_admin_user():
    admin = environment(DB)["NEO4J_AUTH"]
    seed = environment(SEED)
    assert admin == f"{seed['NEO4J_USERNAME']}/{seed['NEO4J_PASSWORD']}"


def test_a_user_other_than_neo4j_leaves_the_admin_user_alone():
    env = {**SAMPLE_ENV, "NEO4J_USERNAME": "ecomap_reader", "NEO4J_USER_PASSWORD": "reader-pw-42"}
    assert environment(DB, env)["NEO4J_AUTH"] == f"neo4j/{SAMPLE_ENV['NEO4J_PASSWORD']}"
    app = environment(APP, env)
    assert (app["NEO4J_USERNAME"], app["NEO4J_PASSWORD"]) == ("ecomap_reader", "reader-pw-42")
    assert environment(SEED, env)["NEO4J_USERNAME"] == "neo4j"


def test_without_a_reader_the_app_uses_the_admin_user():
    app = environment(APP)
    assert (app["NEO4J_USERNAME"], app["NEO4J_PASSWORD"]) == ("neo4j", SAMPLE_ENV["NEO4J_PASSWORD"])


def test_neo4j_image_is_pinned_to_a_5x_release():
    image = service(DB)["image"]
    assert re.fullmatch(r"(docker\.io/)?(library/)?neo4j:5\.\d+\.\d+-community", image), image


def test_neo4j_memory_fits_its_container():
    env = environment(DB)
    heap = bytes_of(env["NEO4J_server_memory_heap_max__size"])
    assert heap == bytes_of(env["NEO4J_server_memory_heap_initial__size"])
    page_cache = bytes_of(env["NEO4J_server_memory_pagecache_size"])
    limit = bytes_of(interpolate(str(service(DB)["mem_limit"]), SAMPLE_ENV))
    assert heap + page_cache + 256 * 1024**2 <= limit, "no room left for the JVM's own memory"
    one = bytes_of(env["NEO4J_db_memory_transaction_max"])
    total = bytes_of(env["NEO4J_db_memory_transaction_total_max"])
    assert 0 < one <= total < heap


def test_neo4j_keeps_its_data_in_a_named_volume():
    sources = [str(v).partition(":")[0] for v in service(DB).get("volumes") or []]
    targets = [str(v).split(":")[1] for v in service(DB).get("volumes") or []]
    assert "/data" in targets and sources[targets.index("/data")] in compose()["volumes"]


def test_neo4j_healthcheck_proves_the_database_answers():
    text = healthcheck_text(DB)
    assert "cypher-shell" in text and "RETURN 1" in text, text


def test_app_healthcheck_asks_the_health_endpoint_on_gunicorns_port():
    assert f":{gunicorn_bind_port()}{HEALTH_PATH}" in healthcheck_text(APP)


@pytest.mark.parametrize("name", [DB, APP])
def test_published_ports_are_bound_to_localhost(name):
    ports = published_ports(name)
    assert ports and all(host == "127.0.0.1" for host, _, _ in ports), ports


@pytest.mark.parametrize("name", [DB, APP])
def test_long_running_services_restart(name):
    assert service(name).get("restart") in ("unless-stopped", "always")


# --- Dockerfile -------------------------------------------------------------------------


def test_image_builds_on_python_311_slim():
    assert instruction_args("FROM")[0].split()[0] == "python:3.11-slim"


def test_image_runs_as_a_non_root_user():
    users = instruction_args("USER")
    assert users, "the Dockerfile never leaves root"
    assert users[-1].partition(":")[0] not in ("root", "0")


def test_image_installs_the_project_with_the_serve_extra():
    runs = " ".join(instruction_args("RUN"))
    assert re.search(r"pip install\s+[\"']?\.\[serve\][\"']?", runs), runs


@pytest.mark.parametrize(
    "path", ["pyproject.toml", "README.md", "graph", "web", "seeds", "queries"]
)
def test_image_copies(path):
    copied = set()
    for args in instruction_args("COPY"):
        words = [word for word in shlex.split(args) if not word.startswith("--")]
        copied.update(word.rstrip("/") for word in words[:-1])
    assert path in copied, f"the Dockerfile does not copy {path}"


def test_cmd_runs_the_app_factory_under_gunicorn():
    words = cmd_words()
    assert words[0] == "gunicorn", words
    assert words[-1] == "web.app:create_app()", words
    assert "--workers" in words and "--threads" in words, words


def test_cmd_binds_all_interfaces():
    words = cmd_words()
    assert "0.0.0.0:8000" in words, words


def test_exposed_port_is_the_one_gunicorn_binds_and_compose_maps():
    exposed = {
        int(port.split("/")[0]) for args in instruction_args("EXPOSE") for port in args.split()
    }
    bound = gunicorn_bind_port()
    mapped = {container for _, _, container in published_ports(APP)}
    assert bound in exposed, f"gunicorn binds {bound}, the image exposes {sorted(exposed)}"
    assert bound in mapped, f"gunicorn binds {bound}, compose maps {sorted(mapped)}"


def test_image_healthcheck_uses_python_against_the_health_endpoint():
    checks = instruction_args("HEALTHCHECK")
    assert checks, "the Dockerfile has no HEALTHCHECK"
    check = checks[-1]
    assert "urllib" in check and f"127.0.0.1:{gunicorn_bind_port()}{HEALTH_PATH}" in check, check
    assert "curl" not in check, "python:3.11-slim has no curl"


def test_image_does_not_choose_the_database():
    assert not any("ECOMAP_GRAPH" in args for args in instruction_args("ENV")), (
        "ECOMAP_GRAPH belongs to docker-compose.yml, not the image"
    )


@pytest.mark.parametrize(
    "pattern",
    [".venv", "data", ".git", "__pycache__", "node_modules", "benchmarks/results", ".env"],
)
def test_dockerignore_excludes(pattern):
    lines = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    entries = {line.strip().removeprefix("**/").rstrip("/") for line in lines}
    assert pattern in entries, f".dockerignore does not exclude {pattern}"

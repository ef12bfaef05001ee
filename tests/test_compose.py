"""The deployment files agree with each other and with the settings the app reads.

No Docker engine runs here, so these tests read docker-compose.yml, the Dockerfile and
.dockerignore as text and check what ``docker compose up`` would depend on.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from graph.store.backends import backend_of
from web.settings import SETTINGS, load_app_settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

APP_SERVICE = "ecomap"
DB_SERVICE = "neo4j"
NEO4J_VARIABLES = {"NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"}
REQUIRED_SECRETS = ("NEO4J_PASSWORD", "ECOMAP_SECRET_KEY")
HEALTH_PATH = "/-/health"
# What a compose file is run with: the secrets it insists on, and nothing else.
SAMPLE_ENV = {"NEO4J_PASSWORD": "sample-password-42", "ECOMAP_SECRET_KEY": "sample-secret"}


# --- reading the files ------------------------------------------------------------------


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


def environment(name: str) -> dict[str, str | None]:
    """A service's environment as a mapping, whichever of compose's two forms it uses."""
    raw = service(name).get("environment") or {}
    if isinstance(raw, Mapping):
        return {key: None if value is None else str(value) for key, value in raw.items()}
    pairs = (item.partition("=") for item in raw)
    return {key: value if sep else None for key, sep, value in pairs}


_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<bare>\w+))"
)


class MissingVariable(LookupError):
    pass


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Resolve compose's ``$VAR``, ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}``."""

    def resolve(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["bare"]
        value, op = env.get(name), match["op"] or ""
        unset = value is None or (op.startswith(":") and value == "")
        if unset and op.endswith("-"):
            return match["arg"]
        if unset and op.endswith("?"):
            raise MissingVariable(f"{name}: {match['arg']}")
        return value or ""

    return _VARIABLE.sub(resolve, text)


def resolved_environment(name: str, env: Mapping[str, str] = SAMPLE_ENV) -> dict[str, str]:
    return {
        key: interpolate(value, env) if value is not None else env.get(key, "")
        for key, value in environment(name).items()
    }


def app_environment() -> dict[str, str]:
    return resolved_environment(APP_SERVICE)


def graph_url() -> str:
    url = environment(APP_SERVICE).get("ECOMAP_GRAPH")
    assert url, f"{APP_SERVICE} does not set ECOMAP_GRAPH"
    return url


def published_ports(name: str) -> list[tuple[str | None, int | None, int]]:
    """(host address, host port, container port) for each of a service's published ports."""
    found = []
    for entry in service(name).get("ports") or []:
        if isinstance(entry, Mapping):
            published = entry.get("published")
            host_port = int(published) if published is not None else None
            found.append((entry.get("host_ip"), host_port, int(entry["target"])))
            continue
        parts = str(entry).split("/")[0].rsplit(":", 2)
        container = int(parts[-1])
        host_port = int(parts[-2]) if len(parts) >= 2 and parts[-2] else None
        host_ip = parts[0] if len(parts) == 3 else None
        found.append((host_ip, host_port, container))
    return found


def healthcheck_text(name: str) -> str:
    check = service(name).get("healthcheck")
    assert check, f"{name} has no healthcheck"
    assert not check.get("disable"), f"{name}'s healthcheck is disabled"
    test = check.get("test")
    assert test, f"{name}'s healthcheck has no test"
    if isinstance(test, str):
        return test
    assert test[0] in ("CMD", "CMD-SHELL"), f"{name}'s healthcheck test is {test[0]!r}"
    return " ".join(test[1:])


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


def test_compose_parses_to_services():
    assert services(), "docker-compose.yml declares no services"


@pytest.mark.parametrize("name", [DB_SERVICE, APP_SERVICE])
def test_service_is_declared(name):
    assert isinstance(service(name), dict)


def test_neo4j_runs_a_5x_community_image():
    image = service(DB_SERVICE).get("image", "")
    assert re.fullmatch(r"(docker\.io/)?(library/)?neo4j:5(\.\d+){0,2}-community(-\w+)?", image), (
        f"{DB_SERVICE} should run a Neo4j 5.x community image, not {image!r}"
    )


def test_neo4j_healthcheck_proves_the_database_answers():
    text = healthcheck_text(DB_SERVICE)
    assert "cypher-shell" in text or "7474" in text, text


def test_neo4j_keeps_its_data_in_a_named_volume():
    declared = compose().get("volumes") or {}
    named_at_data = []
    for entry in service(DB_SERVICE).get("volumes") or []:
        if isinstance(entry, Mapping):
            source, target = entry.get("source"), entry.get("target")
            kind = entry.get("type", "volume")
        else:
            source, _, rest = str(entry).partition(":")
            target = rest.partition(":")[0]
            kind = "bind" if source.startswith((".", "/", "~")) else "volume"
        if kind == "volume" and target == "/data":
            named_at_data.append(source)
    assert named_at_data, f"{DB_SERVICE} mounts no named volume at /data"
    for source in named_at_data:
        assert source in declared, f"volume {source!r} is not declared under top-level volumes"


def test_neo4j_auth_matches_the_credentials_the_app_uses():
    auth = resolved_environment(DB_SERVICE)["NEO4J_AUTH"]
    app = app_environment()
    assert auth == f"{app['NEO4J_USERNAME']}/{app['NEO4J_PASSWORD']}"
    assert app["NEO4J_PASSWORD"] == SAMPLE_ENV["NEO4J_PASSWORD"], "the password is hard-coded"


def test_app_waits_for_a_healthy_neo4j():
    depends = service(APP_SERVICE).get("depends_on")
    assert isinstance(depends, Mapping), f"{APP_SERVICE}.depends_on needs the long form"
    assert DB_SERVICE in depends, f"{APP_SERVICE} does not depend on {DB_SERVICE}"
    assert depends[DB_SERVICE].get("condition") == "service_healthy"


def test_app_reads_every_ecomap_variable_it_is_given():
    known = {setting.env for setting in SETTINGS}
    given = {name for name in environment(APP_SERVICE) if name.startswith("ECOMAP_")}
    assert given, f"{APP_SERVICE} sets no ECOMAP_* variable"
    assert given <= known, f"settings the app does not read: {sorted(given - known)}"


def test_app_is_given_only_variables_it_reads():
    known = {setting.env for setting in SETTINGS} | NEO4J_VARIABLES
    unknown = set(environment(APP_SERVICE)) - known
    assert not unknown, f"{APP_SERVICE} sets variables nothing reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(NEO4J_VARIABLES | {"ECOMAP_GRAPH", "ECOMAP_SECRET_KEY"}))
def test_app_is_given(name):
    assert name in environment(APP_SERVICE), f"{APP_SERVICE} does not set {name}"


@pytest.mark.parametrize("secret", REQUIRED_SECRETS)
def test_compose_refuses_to_start_without(secret):
    env = {key: value for key, value in SAMPLE_ENV.items() if key != secret}
    with pytest.raises(MissingVariable, match=secret):
        resolved_environment(APP_SERVICE, env)


def test_app_settings_load_with_the_compose_defaults():
    settings = load_app_settings(app_environment())
    assert backend_of(settings.graph) == "neo4j"
    assert settings.secret_key == SAMPLE_ENV["ECOMAP_SECRET_KEY"]


def test_graph_url_names_the_neo4j_service_on_the_bolt_port():
    url = urlsplit(graph_url())
    assert url.scheme in ("bolt", "neo4j"), f"ECOMAP_GRAPH should be bolt:// or neo4j://: {url}"
    assert url.hostname == DB_SERVICE, f"ECOMAP_GRAPH should point at {DB_SERVICE}: {url}"
    assert url.port == 7687, f"ECOMAP_GRAPH should use Bolt's port 7687: {url}"


def test_graph_url_selects_the_neo4j_backend():
    assert backend_of(graph_url()) == "neo4j"


def test_app_healthcheck_asks_the_health_endpoint():
    text = healthcheck_text(APP_SERVICE)
    assert HEALTH_PATH in text, text
    assert f":{gunicorn_bind_port()}{HEALTH_PATH}" in text, "the healthcheck probes another port"


@pytest.mark.parametrize("name", [DB_SERVICE, APP_SERVICE])
def test_published_ports_are_bound_to_localhost(name):
    ports = published_ports(name)
    assert ports, f"{name} publishes no ports"
    for host_ip, _, container in ports:
        assert host_ip == "127.0.0.1", f"{name} publishes {container} on {host_ip or 'all'}"


@pytest.mark.parametrize("name", [DB_SERVICE, APP_SERVICE])
def test_service_restarts(name):
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
    mapped = {container for _, _, container in published_ports(APP_SERVICE)}
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

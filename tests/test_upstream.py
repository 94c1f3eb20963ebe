"""The upstream internals exsim relies on: each is listed in docs/architecture.md ("Upstream
internals"), and each test here fails when the upstream code it relies on changes.

A failure means: read the upstream change, check (and adapt) exsim's code named in the
registry, then record the new fingerprint printed in the failure message.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import exsim
from exsim.tui.textual_fixes import REPLACED

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "docs" / "architecture.md"

# upstream name (module:qualified name) → fingerprint of the upstream code exsim relies on
FINGERPRINTS = {
    # Textual
    "textual.widgets._toggle_button:ToggleButton._button": "0b1052c61be9",
    "textual.widget:Widget.watch_has_focus": "61147f4cb1b1",
    "textual.widgets._footer:Footer.bindings_changed": "5490da8615a6",
    "textual.screen:Screen.focused": "a446a227b649",
    "textual.widget:Widget.virtual_size": "741feb4151bb",
    "textual.widgets._static:Static.update": "bfc3996406dc",
    "textual.app:App._handle_exception": "1bc3e140eed7",
    "textual.app:App._print_error_renderables": "b04dda732e0b",
    "textual._styles_cache:StylesCache.get_inner_outer": "2ba0aa0fae05",
    "textual.app:App._display": "1c2c359d5eca",
    "textual._wait:wait_for_idle": "c8e73e23d878",
    "textual.pilot:Pilot._wait_for_screen": "4766e8b961d0",
    "textual.widgets._input:Input.cursor_blink": "955f5370de66",
    # textual-serve
    "textual_serve.app_service:AppService._build_environment": "71a92c80d3bc",
    "textual_serve.app_service:AppService._open_app_process": "3c28d9bbd9bd",
    "textual_serve.app_service:AppService.stop": "accb5534ae0c",
    "textual_serve.server:Server._make_app": "69bc574490c2",
    "textual_serve.server:Server.handle_websocket": "49afa32b8b9b",
    "textual_serve.server:Server._process_messages": "ab63bae321d0",
    # aiohttp
    "aiohttp.web_ws:WebSocketResponse._pong_not_received": "533dc0ebf480",
    "aiohttp.web_ws:WebSocketResponse._send_heartbeat": "d85aecfbb9f3",
    "aiohttp.web_ws:WebSocketResponse._reset_heartbeat": "0ce423f9194d",
    # transitions
    "transitions.core:Machine._checked_assignment": "9ab14fb2b945",
    "transitions.core:Event._process": "57125a63c9c9",
    "transitions.core:Condition.check": "d95654dd4399",
    "transitions.extensions.diagrams:GraphMachine._init_graphviz_engine": "ea6d084b6908",
    "transitions.extensions.diagrams_base:BaseGraph._transition_label": "eefc23998d88",
}

# attributes Textual's metaclass and App (and ABCMeta) set on every subclass: not overrides
GENERATED = {
    "_decorated_handlers",
    "_reactives",
    "_inherit_css",
    "_inherit_bindings",
    "_inherit_component_classes",
    "_css_type_name",
    "_css_type_names",
    "_merged_bindings",
    "_computes",
    "_abc_impl",  # set by ABCMeta on every subclass of an abstract base (aiohttp's)
}


def resolve(name: str) -> object:
    if name in REPLACED:  # patched by exsim: the upstream code it replaced
        return REPLACED[name]
    module, _, qualname = name.partition(":")
    found: object = importlib.import_module(module)
    for part in qualname.split("."):
        found = inspect.getattr_static(found, part)
    return found


def code_of(name: str) -> str:
    """What exsim relies on: the upstream function's source, or a reactive's declaration."""
    found = resolve(name)
    if isinstance(found, property):
        found = found.fget
    if isinstance(found, staticmethod | classmethod):
        found = found.__func__
    if callable(found) and not isinstance(found, type):
        return "\n".join(line.rstrip() for line in inspect.getsource(found).splitlines())
    # a reactive: its declaration, and the owner's watcher of it
    flags = {k: v for k, v in vars(found).items() if k in ("_default", "_layout", "_repaint")}
    owner_name, _, attr = name.rpartition(".")
    owner = resolve(owner_name)
    watchers = [vars(owner)[w] for w in (f"_watch_{attr}", f"watch_{attr}") if w in vars(owner)]
    return "\n".join([f"{type(found).__qualname__}({flags!r})", *map(inspect.getsource, watchers)])


def fingerprint(name: str) -> str:
    return hashlib.sha256(code_of(name).encode()).hexdigest()[:12]


def registered() -> dict[str, str]:
    """Upstream name → exsim's code relying on it, from the registry's table."""
    text = REGISTRY.read_text()
    section = text.split("## Upstream internals", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([\w.]+:[\w.]+)` \| ([^|]+) \|", section, re.M))


@pytest.mark.parametrize("name", sorted(FINGERPRINTS))
def test_the_upstream_code_exsim_relies_on_is_unchanged(name):
    assert fingerprint(name) == FINGERPRINTS[name], (
        f"{name} changed upstream (fingerprint {fingerprint(name)}): read the change, check "
        f"the exsim code that relies on it ({registered().get(name, '?').strip()}), then "
        "record the new fingerprint in tests/test_upstream.py"
    )


def test_the_registry_names_every_internal_and_why():
    rows = registered()
    assert sorted(rows) == sorted(FINGERPRINTS)


def upstream_overrides() -> set[str]:
    """Every private name of textual, textual-serve, transitions or aiohttp that a class in exsim
    defines again: 'module:Class.name' of the upstream class it overrides."""
    found = set()
    for info in pkgutil.walk_packages(exsim.__path__, "exsim."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            upstream = [
                base
                for base in cls.__mro__[1:]
                if base.__module__.split(".")[0]
                in ("textual", "textual_serve", "transitions", "aiohttp")
            ]
            for attr in vars(cls):
                generated = attr in GENERATED or attr.startswith(("__", "_default_"))
                if not attr.startswith("_") or generated:
                    continue
                owner = next((b for b in upstream if attr in vars(b)), None)
                if owner is not None:
                    found.add(f"{owner.__module__}:{owner.__qualname__}.{attr}")
    return found


def test_every_override_of_private_upstream_code_is_registered():
    assert upstream_overrides() - set(FINGERPRINTS) == set()


def test_every_patch_of_upstream_code_is_registered():
    assert set(REPLACED) <= set(FINGERPRINTS)

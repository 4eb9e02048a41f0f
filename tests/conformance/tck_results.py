"""TCK plugin: write every result the TCK recorded, with pytest's skip reasons, to a JSON file.

The TCK's own compatibility.json folds each requirement's results into one transport entry
(the last one recorded), which hides which transport failed; ``make conformance`` needs each
result. ``DESKMESH_TCK_RESULTS`` names the file. The TCK keeps its collector in its conftest's
config stash; this plugin finds that key by its name.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

_skip_reasons: dict[str, str] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and isinstance(report.longrepr, tuple):
        _skip_reasons[report.nodeid] = str(report.longrepr[2])


def _collector(config: pytest.Config) -> Any:
    for plugin in config.pluginmanager.get_plugins():
        key = getattr(plugin, "_collector_key", None)
        if isinstance(key, pytest.StashKey):
            return config.stash.get(key, None)
    return None


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get("DESKMESH_TCK_RESULTS")
    if not target:
        return
    collector = _collector(session.config)
    results = [dataclasses.asdict(r) for r in collector.get_results()] if collector else []
    for result in results:
        result["skip_reason"] = _skip_reasons.get(result["test_id"], "")
    Path(target).write_text(json.dumps({"results": results}, indent=1))

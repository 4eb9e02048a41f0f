"""TCK plugin: the TCK's scripted-agent recipes become real tickets on the demo data.

The TCK drives its own scripted test agent by the prefix of a message's ``messageId``
(``scenarios/*.feature`` in the TCK: ``tck-complete-task-…`` must complete, ``tck-input-required-…``
must stop in input-required). deskmesh's agents are real: they do what a ticket asks. Loaded with
``-p tck_recipes``, this plugin gives each recipe message a ticket whose real outcome is the one the
recipe names, on the demo data ``make conformance`` seeds, and names the verified customer the
way every deskmesh caller does (``deskmesh/customer`` in the message metadata). Ids, roles, task
and context ids stay the TCK's; a message with no recipe prefix is sent as the TCK wrote it.

``DESKMESH_TCK_CUSTOMER`` is the demo customer (default ``ava_moreno_1001``), whose order
``#W1000001`` exists and who has several orders, so a ticket naming none gets a question.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from tck.transport.http_json_client import HttpJsonClient
from tck.transport.jsonrpc_client import JsonRpcClient

CUSTOMER_KEY = "deskmesh/customer"
COMPLETES = "Where is my order #W1000001?"
"""A ticket both triage and orders answer in one turn."""
ASKS = "Where is my order?"
"""A ticket naming no order for a customer with several: both agents ask which one."""
ANSWERS = "#W1000002"
"""The answer to that question: the task completes."""
_RECIPE = re.compile(r"^tck-(?P<name>[a-z0-9-]+)-[0-9a-f]{8}$")


def _recipe(message: dict[str, Any]) -> str | None:
    match = _RECIPE.match(str(message.get("messageId", "")))
    return match.group("name") if match else None


def _ticket_text(recipe: str, follow_up: bool) -> str | None:
    """The ticket that does what ``recipe`` asks of the scripted agent, or None to keep the text."""
    if recipe == "complete-task":
        return ANSWERS if follow_up else COMPLETES
    if recipe.startswith("artifact-"):  # a real artifact; its content is the agent's, not scripted
        return COMPLETES
    if recipe == "input-required" and not follow_up:
        return ASKS
    return None


def realise(message: dict[str, Any]) -> dict[str, Any]:
    recipe = _recipe(message)
    if recipe is None:
        return message
    real = dict(message)
    text = _ticket_text(recipe, follow_up=bool(message.get("taskId")))
    if text is not None:
        real["parts"] = [{"text": text}]
    customer = os.environ.get("DESKMESH_TCK_CUSTOMER", "ava_moreno_1001")
    real["metadata"] = {**(message.get("metadata") or {}), CUSTOMER_KEY: {"userId": customer}}
    return real


def _wrap(send: Callable[..., Any]) -> Callable[..., Any]:
    def send_real(self: Any, message: dict[str, Any], **kwargs: Any) -> Any:
        return send(self, realise(message), **kwargs)

    return send_real


for _client in (JsonRpcClient, HttpJsonClient):
    _client.send_message = _wrap(_client.send_message)  # type: ignore[method-assign]
    _client.send_streaming_message = _wrap(_client.send_streaming_message)  # type: ignore[method-assign]

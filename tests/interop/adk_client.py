"""Google ADK's RemoteA2aAgent loading triage from its card URL (google-adk, its own venv:
``make interop-clients``): one ticket over two turns, the second answering triage's question.

Run as ``.venv-adk/bin/python adk_client.py CARD_URL CUSTOMER TURN...``; prints one JSON object:
per turn the text ADK surfaced and the A2A task id and state it recorded. No LLM is involved:
RemoteA2aAgent forwards each turn to triage. Imports nothing from deskmesh.
"""

import asyncio
import json
import sys

from google.adk.agents.remote_a2a_agent import RemoteA2aAgent
from google.adk.runners import Runner
from google.adk.sessions import InMemorySessionService
from google.genai import types

APP, USER = "deskmesh-interop", "interop-user"


async def main(card_url: str, customer: str, turns: list[str]) -> dict:
    agent = RemoteA2aAgent(
        name="triage",
        agent_card=card_url,
        # deskmesh reads the verified customer from the request (or message) metadata
        a2a_request_meta_provider=lambda ctx, msg: {"deskmesh/customer": {"userId": customer}},
    )
    sessions = InMemorySessionService()
    runner = Runner(agent=agent, app_name=APP, session_service=sessions)
    session = await sessions.create_session(app_name=APP, user_id=USER)
    seen = []
    for text in turns:
        content = types.Content(role="user", parts=[types.Part(text=text)])
        texts, metadata = [], {}
        async for event in runner.run_async(
            user_id=USER, session_id=session.id, new_message=content
        ):
            if event.content and event.content.parts:
                texts += [p.text for p in event.content.parts if p.text]
            metadata.update(event.custom_metadata or {})
        response = metadata.get("a2a:response") or {}
        status = response.get("status") or {}
        status_parts = (status.get("message") or {}).get("parts") or []
        seen.append(
            {
                "text": " ".join(texts),
                "status_text": " ".join(p.get("text", "") for p in status_parts),
                "task_id": metadata.get("a2a:task_id"),
                "state": status.get("state"),
            }
        )
    return {"turns": seen}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3:])), default=str))

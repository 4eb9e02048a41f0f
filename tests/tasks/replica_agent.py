"""The replica tests' agent, run as a process: ``python -m tests.tasks.replica_agent``.

Its text commands make a task's life observable from outside:
- ``ask``: ends input-required; any follow-up completes it;
- ``wait <subject>``: works until a message arrives on that NATS subject, then completes.
Every completion's artifact names the instance that ran it.
"""

from __future__ import annotations

from a2a.helpers import get_message_text, new_task_from_user_message, new_text_part
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater

from agents.runtime.resources import AgentResources
from agents.runtime.service import main
from agents.runtime.settings import AgentSettings
from agents.runtime.spec import AgentSpec
from protocol.cards import CardSpec, SkillSpec


class ReplicaExecutor(AgentExecutor):
    def __init__(self, resources: AgentResources) -> None:
        self._resources = resources

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        assert context.message is not None
        if context.current_task is None:
            await event_queue.enqueue_event(new_task_from_user_message(context.message))
        updater = TaskUpdater(event_queue, context.task_id, context.context_id)
        text = get_message_text(context.message)
        instance = self._resources.settings.instance_id
        if text == "ask" and context.current_task is None:
            await updater.requires_input(updater.new_agent_message([new_text_part("which one?")]))
            return
        await updater.start_work()
        if text.startswith("wait "):
            sub = await self._resources.nc.subscribe(text.removeprefix("wait "))
            await sub.next_msg(timeout=120)
            await sub.unsubscribe()
        await updater.add_artifact([new_text_part(instance)], name="ran_on")
        await updater.complete()

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        updater = TaskUpdater(event_queue, context.task_id, context.context_id)
        await updater.cancel()


SPEC = AgentSpec(
    name="replica",
    card=CardSpec(
        name="replica",
        description="replica test agent",
        version="0",
        skills=(SkillSpec(id="replica", name="Replica", description="test", tags=("test",)),),
    ),
    create_executor=ReplicaExecutor,
)

if __name__ == "__main__":
    main(SPEC, AgentSettings())

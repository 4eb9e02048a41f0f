from agents.escalation.agent import SPEC
from agents.runtime.service import main
from agents.runtime.settings import AgentSettings

main(SPEC, AgentSettings())

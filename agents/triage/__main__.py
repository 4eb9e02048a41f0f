from agents.runtime.service import main
from agents.runtime.settings import AgentSettings
from agents.triage.agent import build_spec
from agents.triage.plan_guard import GuardrailSettings
from agents.triage.settings import TriageSettings

main(build_spec(TriageSettings(), GuardrailSettings()), AgentSettings())

from agents.escalation.agent import SPEC
from agents.runtime.service import main

main(SPEC)

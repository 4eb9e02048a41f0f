from agents.runtime.service import main
from agents.triage.agent import SPEC

main(SPEC)

from agents.orders.agent import SPEC
from agents.runtime.service import main

main(SPEC)

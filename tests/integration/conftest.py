from tests.agents.fixtures import (  # noqa: F401
    clients,
    demo,
    demo_url,
    module_prefix,
    specialists,
    store,
)

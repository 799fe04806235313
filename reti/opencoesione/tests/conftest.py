from reti.registry.tests.conftest import *  # noqa: F403

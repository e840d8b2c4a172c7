"""``credit-rules serve``: the library behind a REST service, for systems that are not written in Python.

Provincial and national credit platforms are mostly Java and .NET systems: they call a service, as
OpenFisca users call ``openfisca serve``.  This package is that service, on FastAPI and uvicorn:

- :mod:`.settings` — what the service loads (catalogs, rules, keys, register) and its limits;
- :mod:`.auth` — API keys from a config file, each mapped to an authority and its permissions;
- :mod:`.holder` — the engine, loaded once and swapped whole on reload, so no request sees half of one;
- :mod:`.bodies` — request bodies read with the CLI's parser and limits, responses masked as the CLI masks;
- :mod:`.problems` — RFC 9457 problem documents, the CLI's located messages, never a stack trace;
- :mod:`.routes` — one endpoint per question family; :mod:`.app` puts them together.

Decisions stay pure: nothing here passes a clock into a decision; only the access log reads time.
"""

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]

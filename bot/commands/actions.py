"""`relance actions`: the rasa-sdk action server over Relance's actions, for a real Rasa.

Binds 127.0.0.1 by default (rasa-sdk's own runner binds 0.0.0.0 without authentication) and
never echoes a request body in an error answer (it holds the users' texts).
"""

from __future__ import annotations

import argparse
import logging

from bot.settings import Settings

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("actions", help="serve the actions to a Rasa assistant (HTTP /webhook)")
    parser.add_argument("--host", help="address to bind (default: ACTIONS_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: ACTIONS_PORT, 5055)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rasa_sdk.endpoint import create_app
    from rasa_sdk.executor import ActionExecutor
    from sanic import response
    from sanic.request import Request

    from actions.context import install
    from bot.services import build_context, settle_heap

    install(build_context(settings))
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=[])
    settle_heap()

    async def on_error(request: Request, exception: Exception) -> response.HTTPResponse:
        log.error("action server error on %s", request.path, exc_info=exception)
        return response.json({"error": "internal error"}, status=500)

    # Route-specific handlers win over rasa-sdk's catch-all, which echoes the request body.
    app.error_handler.add(Exception, on_error,
                          route_names=["rasa_sdk.webhook", "rasa_sdk.actions", "rasa_sdk.health"])
    host, port = args.host or settings.actions_host, args.port or settings.actions_port
    log.warning("Relance action server on http://%s:%s/webhook", host, port)
    app.run(host=host, port=port, single_process=True, access_log=False, motd=False)
    return 0

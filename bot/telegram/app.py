"""The python-telegram-bot Application: built once, run by long polling or by webhook."""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.settings import Settings
from bot.telegram.aiohttp_request import AiohttpRequest, PollingRequest
from bot.telegram.buttons import ButtonCodec
from bot.telegram.commands import ALIASES, COMMAND_PAYLOADS
from bot.telegram.delivery import Delivery, log_blocked
from bot.telegram.handlers import TelegramChannel
from bot.telegram.ordering import PerChatUpdateProcessor
from bot.telegram.ports import Assistant, OnBlocked
from bot.telegram.texts import LANGUAGES, ChannelTexts

log = logging.getLogger(__name__)
TelegramApp = Application[Any, Any, Any, Any, Any, Any]
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class TelegramConfigError(RuntimeError):
    """The settings do not allow starting the Telegram bot; the message says what to fix."""


def bot_token(settings: Settings) -> str:
    token = settings.telegram_bot_token.get_secret_value().strip() if (
        settings.telegram_bot_token) else ""
    if not token:
        raise TelegramConfigError(
            "No Telegram bot token: set TELEGRAM_BOT_TOKEN (from @BotFather) in the environment "
            "or in .env. Without a token, try the assistant in the terminal: `relance chat`."
        )
    return token


def build_application(
    settings: Settings,
    assistant: Assistant,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    on_blocked: OnBlocked | None = None,
    texts: ChannelTexts | None = None,
    nudges: Any = None,
) -> TelegramApp:
    """The bot, wired to `assistant`. `on_blocked(owner)` hears of owners who blocked it.
    `nudges` (bot.nudges.service.TelegramNudges) is started after start-up, stopped at the end."""
    texts = texts or ChannelTexts(settings.templates_dir, settings.default_language)
    channel = TelegramChannel(assistant, texts, ButtonCodec(), Delivery(on_blocked or log_blocked))

    async def set_command_menu(app: TelegramApp) -> None:
        await publish_command_menu(app, texts)
        if nudges is not None:  # the nudge dispatcher, woken by the JobQueue
            await nudges.start(app)

    async def stop_nudges(app: TelegramApp) -> None:
        if nudges is not None:
            await nudges.stop(app)

    processor = PerChatUpdateProcessor(max_concurrent_updates=64)
    builder = (
        ApplicationBuilder()
        .token(bot_token(settings))
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_max_rate,
                                     max_retries=2))
        .concurrent_updates(processor)
        .post_init(set_command_menu)
        .post_stop(stop_nudges)
    )
    # HTTP on aiohttp rather than PTB's default httpx: a third of the CPU per call under load
    # (bot/telegram/aiohttp_request.py). Long polling gets its own one-connection client,
    # which fetches only while the bot has room (ordering.Intake).
    builder = builder.request(request or AiohttpRequest(connection_pool_size=256))
    builder = builder.get_updates_request(get_updates_request or PollingRequest(
        processor.intake))
    app: TelegramApp = builder.build()

    # Handlers, in the order PTB tries them (first match wins within group 0).
    # Only new messages in private chats: edits and group chatter are not instructions.
    new_private = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
    # 1. The menu's commands (and habitual aliases), each a fixed payload for the assistant.
    app.add_handler(CommandHandler([*COMMAND_PAYLOADS, *ALIASES], channel.command,
                                   filters=new_private))
    # 2. Typed text, including unknown /commands: the assistant's NLU reads it.
    app.add_handler(MessageHandler(new_private & filters.TEXT, channel.text))
    # 3. Pressed inline buttons.
    app.add_handler(CallbackQueryHandler(channel.button))
    # 4. Files (a CSV of invoices to import).
    app.add_handler(MessageHandler(new_private & filters.Document.ALL, channel.document))
    # Anything raised above: logged, and the owner gets a short apology.
    app.add_error_handler(channel.error)
    return app


async def publish_command_menu(app: TelegramApp, texts: ChannelTexts) -> None:
    """The "/" menu: French by default, English for owners whose Telegram is in English."""
    for language in LANGUAGES:
        menu = dict(texts.command_menu(language))
        missing = set(COMMAND_PAYLOADS) - set(menu)
        if missing:
            raise TelegramConfigError(f"commands.txt.j2 ({language}) lacks {sorted(missing)}")
        commands = [BotCommand(name, menu[name]) for name in COMMAND_PAYLOADS]
        code = None if language == texts.default_language else language
        await app.bot.set_my_commands(commands, language_code=code)


def run_polling(app: TelegramApp) -> None:
    """Long polling until SIGINT/SIGTERM. Updates sent while we were away are processed."""
    log.info("Telegram bot starting (long polling)")
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False,
                    bootstrap_retries=3)


def run_webhook(app: TelegramApp, settings: Settings) -> None:
    """Serve Telegram's webhook on WEBHOOK_LISTEN:WEBHOOK_PORT at WEBHOOK_URL's path.

    Requests without WEBHOOK_SECRET in `X-Telegram-Bot-Api-Secret-Token` get a 403.
    """
    if not settings.webhook_url:
        raise TelegramConfigError(
            "Webhook mode needs WEBHOOK_URL: the public HTTPS address Telegram will post to "
            "(your proxy forwards it to WEBHOOK_LISTEN:WEBHOOK_PORT)."
        )
    log.info("Telegram bot starting (webhook on %s:%s)", settings.webhook_listen,
             settings.webhook_port)
    app.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=webhook_secret(settings),
        allowed_updates=Update.ALL_TYPES,
        drop_pending_updates=False,
        bootstrap_retries=3,
    )


def webhook_secret(settings: Settings) -> str:
    if settings.webhook_secret is None:
        log.info("WEBHOOK_SECRET not set: using a random secret for this run")
        return secrets.token_urlsafe(32)
    secret = settings.webhook_secret.get_secret_value()
    if not _SECRET.fullmatch(secret):
        raise TelegramConfigError(
            "WEBHOOK_SECRET must be 1 to 256 characters among A-Z, a-z, 0-9, _ and -."
        )
    return secret


def serve(
    settings: Settings,
    assistant: Assistant,
    *,
    webhook: bool,
    request: BaseRequest | None = None,
    on_blocked: OnBlocked | None = None,
    nudges: Any = None,
) -> None:
    """Build the bot and run it until stopped: what `relance run` does."""
    app = build_application(settings, assistant, request=request, on_blocked=on_blocked,
                            nudges=nudges)
    if webhook:
        run_webhook(app, settings)
    else:
        run_polling(app)

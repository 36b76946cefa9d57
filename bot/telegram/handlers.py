"""One small callback per thing an owner can do in Telegram: parse, ask the assistant, render."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.patience import handle_patiently
from bot.replies import Attachment, Channel, Incoming, OwnerKey, Reply
from bot.telegram.buttons import ButtonCodec
from bot.telegram.commands import command_incoming
from bot.telegram.delivery import Delivery, OwnerUnreachable
from bot.telegram.ports import Assistant
from bot.telegram.render import send_replies, typing
from bot.telegram.texts import ChannelTexts

log = logging.getLogger(__name__)
MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API refuses getFile above 20 MB
TYPING_BUSY = 20  # conversations in flight beyond which no "typing…" is sent
Context = ContextTypes.DEFAULT_TYPE


def owner_of(update: Update) -> OwnerKey:
    assert update.effective_chat is not None
    return OwnerKey(Channel.TELEGRAM, str(update.effective_chat.id))


def language_code(update: Update) -> str | None:
    return update.effective_user.language_code if update.effective_user else None


class TelegramChannel:
    """The handlers' shared services, created once by `build_application`."""

    def __init__(
        self, assistant: Assistant, texts: ChannelTexts, codec: ButtonCodec, delivery: Delivery
    ) -> None:
        self.assistant = assistant
        self.texts = texts
        self.codec = codec
        self.delivery = delivery
        self.in_flight = 0  # conversations between their update and their replies

    async def command(self, update: Update, context: Context) -> None:
        """/quoifaire and friends: the command's payload, with any words typed after it."""
        message = _message(update)
        name = (message.text or "").split()[0].lstrip("/").split("@")[0].lower()
        await self.converse(update, context, command_incoming(
            name, list(context.args or []), language_code(update)))

    async def text(self, update: Update, context: Context) -> None:
        """Free text: the assistant's NLU makes sense of it."""
        message = _message(update)
        await self.converse(update, context, Incoming(message.text or "",
                                                      language_hint=language_code(update)))

    async def button(self, update: Update, context: Context) -> None:
        """A pressed button: its payload, or a polite refusal when we no longer know it."""
        query = update.callback_query
        assert query is not None and update.effective_chat is not None
        owner = owner_of(update)
        payload = self.codec.decode(update.effective_chat.id, query.data)
        if payload is None:
            refusal = self.texts.stale_button(self.texts.language(language_code(update)))
            await self.delivery.call(owner, lambda: query.answer(refusal))
            return
        await self.delivery.call(owner, query.answer)
        if isinstance(query.message, Message) and query.message.reply_markup:
            try:  # a button is pressed once: take the keyboard away
                await self.delivery.call(owner, lambda: query.edit_message_reply_markup(None))
            except BadRequest as exc:
                log.debug("could not remove the keyboard: %s", exc)
        await self.converse(update, context, Incoming(payload, is_payload=True,
                                                      language_hint=language_code(update)))

    async def document(self, update: Update, context: Context) -> None:
        """A file (a CSV of invoices to import): downloaded and handed over as an attachment."""
        message = _message(update)
        document = message.document
        assert document is not None
        if document.file_size and document.file_size > MAX_DOWNLOAD:
            content = b""  # the assistant says it is too big; Telegram would refuse getFile
        else:
            file = await self.delivery.call(owner_of(update), document.get_file)
            content = bytes(await file.download_as_bytearray())
        attachment = Attachment(
            filename=document.file_name or "document",
            content=content,
            mime_type=document.mime_type or "application/octet-stream",
            caption=message.caption or "",
        )
        await self.converse(update, context, Incoming(message.caption or "",
                                                      language_hint=language_code(update),
                                                      attachment=attachment))

    async def converse(self, update: Update, context: Context, incoming: Incoming) -> None:
        assert update.effective_chat is not None
        incoming = replace(incoming, update_id=update.update_id)
        chat_id = update.effective_chat.id
        owner = owner_of(update)
        async def notify(early: list[Reply]) -> None:  # "un instant" while the database is away
            await send_replies(context.bot, chat_id, early, owner=owner, codec=self.codec,
                               delivery=self.delivery)

        # Far behind (many conversations waiting for their turn), "typing…" would add a
        # request per update and slow every answer further: measured, the capacity run
        # sent one per update once saturated.
        self.in_flight += 1
        try:
            async with typing(context.bot, chat_id, enabled=self.in_flight <= TYPING_BUSY):
                replies = await handle_patiently(self.assistant, owner, incoming, notify)
        finally:
            self.in_flight -= 1
        try:
            await send_replies(context.bot, chat_id, replies, owner=owner, codec=self.codec,
                               delivery=self.delivery)
        except OwnerUnreachable:
            pass  # on_blocked has been told; the rest of the replies are moot

    async def error(self, update: object, context: Context) -> None:
        """The one error handler: log it, then apologise to the owner without details."""
        chat = update.effective_chat if isinstance(update, Update) else None
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("error while handling update %s", update_id, exc_info=context.error)
        if chat is None or isinstance(context.error, OwnerUnreachable):
            return
        assert isinstance(update, Update)
        apology = self.texts.error(self.texts.language(language_code(update)))
        try:
            await self.delivery.call(owner_of(update),
                                     lambda: context.bot.send_message(chat.id, apology))
        except (TelegramError, OwnerUnreachable) as exc:
            log.warning("could not tell the owner about the error: %s", exc)


def _message(update: Update) -> Message:
    assert update.message is not None
    return update.message

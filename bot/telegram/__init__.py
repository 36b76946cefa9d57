"""The Telegram channel: python-telegram-bot application, rendering of replies, delivery."""

import os

# python-telegram-bot 22 gives durations (a 429's retry_after) as ints, with a deprecation
# warning at every read (its own reads included: one per flood wait), and as timedeltas
# from its next major version or with this opt-in. Our code reads both
# (`bot.telegram.delivery.retry_seconds`).
os.environ.setdefault("PTB_TIMEDELTA", "1")

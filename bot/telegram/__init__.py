"""The Telegram channel: python-telegram-bot application, rendering of replies, delivery."""

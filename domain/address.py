"""A client's postal address as the formal notice prints it: a few lines, the town last."""

from __future__ import annotations

import re

from domain.errors import InvalidInput

MAX_ADDRESS_LENGTH = 300  # a few lines on an envelope
MAX_LINES = 6
_POSTCODE_TOWN = re.compile(r",\s*(\d{4,5}\s+\S.*)$")  # "…, 69003 Lyon": the town's own line


def postal_address(text: str, postcode: str = "", town: str = "") -> str | None:
    """Lines joined with "\\n" (spaces tidied, empty lines dropped), `postcode` and `town`
    as a last line; a one-line "12 rue X, 69003 Lyon" gets its town on its own line. None
    when there is nothing; InvalidInput("address", ...) when it cannot be an address."""
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) == 1 and (match := _POSTCODE_TOWN.search(lines[0])):
        lines = [lines[0][:match.start()].strip(), match.group(1)]
    last = " ".join(part for part in (" ".join(postcode.split()), " ".join(town.split())) if part)
    if last:
        lines.append(last)
    address = "\n".join(lines)
    if not address:
        return None
    if len(address) > MAX_ADDRESS_LENGTH or len(lines) > MAX_LINES:
        raise InvalidInput("address", "too_long", address[:40])
    if any(not ch.isprintable() for line in lines for ch in line):
        raise InvalidInput("address", "control_characters", address[:40])
    if not any(ch.isdigit() for ch in address) or not any(ch.isalpha() for ch in address):
        raise InvalidInput("address", "incomplete", address[:40])  # no number nor postcode
    return address

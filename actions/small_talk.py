"""One-template answers: greeting, help, goodbye, thanks, out of scope."""

from __future__ import annotations

from actions.base import RelanceAction


class ActionHelp(RelanceAction):
    template = "help"

    def name(self) -> str:
        return "action_help"


class ActionGoodbye(RelanceAction):
    template = "goodbye"

    def name(self) -> str:
        return "action_goodbye"


class ActionThanks(RelanceAction):
    template = "thanks"

    def name(self) -> str:
        return "action_thanks"


class ActionOutOfScope(RelanceAction):
    template = "out_of_scope"

    def name(self) -> str:
        return "action_out_of_scope"

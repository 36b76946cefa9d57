"""One-template answers: greeting, help, goodbye, thanks, out of scope, not yet available."""

from __future__ import annotations

from actions.base import RelanceAction


class ActionGreet(RelanceAction):
    template = "greet"

    def name(self) -> str:
        return "action_greet"


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


class ActionNotAvailable(RelanceAction):
    template = "not_available"

    def name(self) -> str:
        return "action_not_available"

"""Sub-commands of the `relance` CLI, one module each (see bot.cli)."""

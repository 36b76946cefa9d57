"""The embedded dialogue runner: a small Rasa core over the actions in `actions/`."""

"""Embedded NLU: intent classifier and entity extractors trained from data/rasa/nlu.yml.

Built once at start-up with `NluModel.train(path)`; answers in Rasa's parse format.
"""

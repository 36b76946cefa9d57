"""Follow-up nudges: the dispatcher that delivers the ledger's due nudge rows.

Pieces: `dispatcher` (claim → render → send → mark sent), `compose` (templates and button
payloads), `pacing` (global and per-chat rates), `sender` (the NudgeSender interface and the
console sender), `telegram_sender`, `service` (APScheduler / JobQueue wake-ups and the
start/stop hooks). Planning lives in `actions.nudge_planner`, timing in
`domain.nudge_timing`. See README.md here for the delivery guarantee.
"""

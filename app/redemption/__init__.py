"""The anonymous review path: token in, review handed to the mix, nothing about the sender kept.

This package must import nothing that reaches `app.vault`, `app.auth`, `app.me` or `app.admin`
(import-linter contract): it has no notion of who is calling. Its routes refuse requests that
carry a cookie or an Authorization header, are neither logged nor counted per request, and store
no address and no time. A redemption writes nothing: the review waits in the mix
(app/redemption/mix.py) and is written in a shuffled batch with others'.
"""

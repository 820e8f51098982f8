"""Outbound webhooks for every door: the URL policy, the SSRF guard, signing, bodies and the delivery loop.

The outbox rows themselves are the store's (`suno.store.webhook_outbox`), written with the task change.
"""

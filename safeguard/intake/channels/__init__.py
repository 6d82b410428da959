"""Messaging channels: reports taken by SMS, WhatsApp, Telegram and USSD (docs/channels.md).

``models`` (configuration, conversations, messages), ``providers`` (webhook checks and outbound
calls per provider, over plain HTTP), ``conversation`` (the dialogue that takes a report),
``ussd`` (its menu version), ``services`` (writes), ``views`` (webhooks and staff pages),
``tasks`` (background work).
"""

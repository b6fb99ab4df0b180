"""Shared machinery: model mixins, permissions, scoping, mail outbox, audit, pagination, CLI, errors."""

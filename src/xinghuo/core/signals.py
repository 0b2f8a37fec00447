"""Deletions are audited from post_delete, so that cascades (which bypass Model.delete) leave a trail too.

post_delete runs inside the deletion's own transaction (Django's Collector opens one), so the record
commits or rolls back with the deletion.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from xinghuo.core.models import BaseModel


@receiver(post_delete)
def audit_deletion(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, BaseModel):
        from xinghuo.core import audit

        audit.record_model_delete(instance)

"""A logging filter that keeps personal values (phones, ID numbers) out of the logs in clear."""

from __future__ import annotations

import logging

from xinghuo.core.masking import mask_text


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True

"""A logging filter that keeps personal values (phones, ID numbers) out of the logs in clear."""

from __future__ import annotations

import logging

from xinghuo.core.masking import mask_text


class MaskPersonalDataFilter(logging.Filter):
    """Masks the message, the formatted exception and the stack of every record that passes."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
            record.exc_info = None  # the handler would format it again, in clear
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True

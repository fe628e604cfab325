"""The parse stage: raw e-mail bytes to a ParsedMail (decoded headers, text, attachments).

Pure functions, no I/O. Only the limits in ParseLimits raise (ParseRejected);
everything else that is wrong with a message ends up in ``ParsedMail.defects``.
"""

from classifiers.record import Attachment, ParsedMail

from .limits import ParseLimits, ParseRejected
from .message import parse_message

__all__ = ["Attachment", "ParseLimits", "ParseRejected", "ParsedMail", "parse_message"]

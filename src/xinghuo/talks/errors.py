from enum import StrEnum


class TalkError(StrEnum):
    INVALID = "talk_invalid"
    NOT_ALLOWED = "talk_not_allowed"
    STATUS = "talk_status"
    EXPERT = "talk_expert"
    BUSY = "talk_expert_busy"
    FEEDBACK = "talk_feedback"

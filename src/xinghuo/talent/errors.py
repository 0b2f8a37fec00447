from enum import StrEnum


class TalentError(StrEnum):
    INVALID = "talent_invalid"
    ID_NUMBER = "talent_id_number"
    PHONE = "talent_phone"
    DUPLICATE = "talent_duplicate"
    CONSENT_REQUIRED = "talent_consent_required"
    GUARDIAN_REQUIRED = "talent_guardian_required"
    REGION = "talent_region"
    ORGANISATION = "talent_organisation"
    NOT_ALLOWED = "talent_not_allowed"
    ROLE = "talent_role"
    PHOTO = "talent_photo"

from enum import StrEnum


class AccountError(StrEnum):
    USERNAME_TAKEN = "username_taken"
    PHONE_TAKEN = "phone_taken"
    PHONE_INVALID = "phone_invalid"
    USERNAME_INVALID = "username_invalid"
    PASSWORD_WEAK = "password_weak"
    PASSWORD_WRONG = "password_wrong"
    PASSWORD_REUSED = "password_reused"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    ROLE_DUPLICATE = "role_duplicate"
    ADMIN_SELF_GRANT = "admin_self_grant"
    OTP_INVALID = "otp_invalid"
    TOKEN_INVALID = "token_invalid"

from enum import StrEnum


class OrganisationError(StrEnum):
    CODE_TAKEN = "organisation_code_taken"
    NAME_TAKEN = "organisation_name_taken"
    PARENT_INVALID = "organisation_parent_invalid"
    REGION_INVALID = "organisation_region_invalid"
    CREDIT_CODE_INVALID = "organisation_credit_code_invalid"
    OUT_OF_SCOPE = "organisation_out_of_scope"

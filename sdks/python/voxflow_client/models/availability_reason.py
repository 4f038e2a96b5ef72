from enum import StrEnum


class AvailabilityReason(StrEnum):
    NOT_INSTALLED = "not_installed"
    NOT_IN_PLAN = "not_in_plan"

    def __str__(self) -> str:
        return str(self.value)

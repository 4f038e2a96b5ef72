from enum import StrEnum


class Period(StrEnum):
    DAY = "day"
    MONTH = "month"
    RANGE = "range"

    def __str__(self) -> str:
        return str(self.value)

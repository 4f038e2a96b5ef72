from enum import StrEnum


class ShareMode(StrEnum):
    ALL = "all"
    SELECTED = "selected"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class PresetShareMode(StrEnum):
    ALL = "all"
    SELECTED = "selected"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    PLATFORM_ADMIN = "platform_admin"
    RESELLER_ADMIN = "reseller_admin"
    TENANT_ADMIN = "tenant_admin"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)

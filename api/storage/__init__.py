from api.storage.base import Storage
from api.storage.local import LocalStorage

__all__ = ["LocalStorage", "Storage"]

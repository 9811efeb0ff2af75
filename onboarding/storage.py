"""Document storage: files are encrypted with the personal-data key list before they touch the disk.

An identity scan holds the same personal data as the encrypted columns, so it gets the same protection.
The folder lies outside any public path; documents are served only through a permission-checked view.

``EncryptedStorageMixin`` works over any Django storage backend (the file system here, S3 by putting it
in front of django-storages' class): the backend below it only ever sees Fernet tokens. Key rotation
reads and writes those tokens as they are (``read_token``, ``save_token``), so no plaintext is handled.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from onboarding import crypto


class EncryptedStorageMixin:
    def _save(self, name, content):
        content.seek(0)
        token = crypto.fernet().encrypt(content.read())
        return super()._save(name, ContentFile(token))

    def _open(self, name, mode="rb"):
        return ContentFile(crypto.fernet().decrypt(self.read_token(name)), name=name)

    def read_token(self, name: str) -> bytes:
        """The stored token, not decrypted."""
        with super()._open(name, "rb") as handle:
            return handle.read()

    def save_token(self, name: str, token: bytes, max_length: int | None = None) -> str:
        """Store an already encrypted token under a free name near ``name``; returns the name used."""
        name = self.get_available_name(name, max_length=max_length)
        return super()._save(name, ContentFile(token))

    def url(self, name):
        raise ValueError("documents have no public URL; they are served through the document view")


class EncryptedFileSystemStorage(EncryptedStorageMixin, FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

"""Document storage: files are encrypted with the personal-data key list before they touch the disk.

An identity scan holds the same personal data as the encrypted columns, so it gets the same protection.
The folder lies outside any public path; documents are served only through a permission-checked view.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from onboarding import crypto


class EncryptedFileSystemStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    def _save(self, name, content):
        content.seek(0)
        token = crypto.fernet().encrypt(content.read())
        return super()._save(name, ContentFile(token))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as handle:
            plaintext = crypto.fernet().decrypt(handle.read())
        return ContentFile(plaintext, name=name)

    def url(self, name):
        raise ValueError("documents have no public URL; they are served through the document view")

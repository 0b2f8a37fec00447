"""Pictures people upload (venue photos, science-point pictures): opened with Pillow to prove they are images,
turned upright, scaled down and saved again as JPEG — which also drops their metadata (a phone's photo
carries the GPS position of where it was taken)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from xinghuo.core.errors import DomainError, ErrorCode

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before they fill the memory
ACCEPTED = {"JPEG", "MPO", "PNG", "WEBP"}  # MPO: the multi-picture JPEG of many phones


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int


def clean_image(upload: UploadedFile, *, max_side: int = 1600, field: str = "image") -> CleanImage:
    """The upload as a JPEG of at most `max_side` pixels a side, or a DomainError in Chinese."""
    name = upload.name or "图片"
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(ErrorCode.INVALID, f"图片“{name}”超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB", field=field)
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED:
                raise DomainError(ErrorCode.INVALID, f"“{name}”不是 JPEG、PNG 或 WebP 图片", field=field)
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError(ErrorCode.INVALID, f"图片“{name}”像素过大（超过 4000 万像素）", field=field)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
            width, height = image.size
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise DomainError(ErrorCode.INVALID, f"“{name}”不是可以打开的图片", field=field) from exc
    return CleanImage(ContentFile(out.getvalue()), width, height)

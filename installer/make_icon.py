"""Draw the clerkapp icon (a court order with a check mark) into resources/icons/.

Run once when the design changes; the .ico (16-256 px, for the Windows executables, shortcuts
and Apps & Features) and the .png (256 px, for Linux and the window) are committed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAVY = (28, 58, 110, 255)
PAPER = (250, 248, 240, 255)
INK = (120, 130, 150, 255)
GREEN = (34, 150, 80, 255)


def draw(size: int = 256) -> Image.Image:
    s = size / 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([8 * s, 8 * s, 248 * s, 248 * s], radius=44 * s, fill=NAVY)
    d.rectangle([62 * s, 36 * s, 194 * s, 220 * s], fill=PAPER)
    for i, y in enumerate(range(64, 160, 22)):
        right = 170 if i % 2 else 150
        d.rectangle([82 * s, y * s, right * s, (y + 8) * s], fill=INK)
    d.line([(96 * s, 178 * s), (122 * s, 202 * s), (176 * s, 146 * s)], fill=GREEN,
           width=max(2, round(18 * s)), joint="curve")
    return img


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw(256)
    big.save(ICONS / "clerkapp.png", optimize=True)
    sizes = [16, 24, 32, 48, 64, 128, 256]
    big.save(ICONS / "clerkapp.ico", sizes=[(n, n) for n in sizes],
             append_images=[draw(n) for n in sizes[:-1]])


if __name__ == "__main__":
    main()

"""The demo's photographs, drawn with Pillow at build time: a damaged street, a burial
site with numbered markers, a document photographed on a table, and a wide street that
the demo's video pans across.

Every scene is invented and drawn from simple shapes (no person is ever drawn), each
carries a "FICTIONAL DEMO" mark, and each is a function of its arguments and a seeded
:class:`random.Random`: the same seed draws the same pixels, so the same JPEG bytes (for
a given Pillow and libjpeg). Texture comes from ``rng.randbytes`` noise, never from
Pillow's ``effect_noise`` (which draws from C's unseeded ``rand``). Text uses Pillow's
bundled font, so no system font changes the output.

:func:`jpeg` adds the EXIF tags a phone would write (camera, capture time with its UTC
offset, GPS position), so ingest's metadata extraction has something to read.
"""

from __future__ import annotations

import io
import random
from datetime import datetime

from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 960, 720
Colour = tuple[int, int, int]
MARK = "FICTIONAL DEMO - drawn by dalil"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _grain(img: Image.Image, rng: random.Random, strength: int = 18) -> Image.Image:
    """Film grain: seeded noise, softened, blended in (``strength`` of 255)."""
    small = (img.width // 2, img.height // 2)  # half size, scaled up: softer and quicker
    noise = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    noise = noise.resize(img.size, Image.Resampling.BILINEAR).convert("RGB")
    return Image.blend(img, noise, strength / 255)


def _sky(d: ImageDraw.ImageDraw, top: Colour, bottom: Colour, height: int, width: int) -> None:
    for y in range(height):
        t = y / max(height - 1, 1)
        d.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )


def _mark(img: Image.Image, caption: str) -> None:
    """The fictional mark and a caption, bottom-start corner, on a dark band."""
    d = ImageDraw.Draw(img)
    d.rectangle([0, img.height - 34, img.width, img.height], fill=(20, 20, 20))
    d.text((12, img.height - 27), f"{MARK} | {caption}", fill=(235, 235, 235), font=_font(16))


def street(rng: random.Random, caption: str, *, smoke: bool = False) -> Image.Image:
    """A street after an attack: buildings on both sides with shell and bullet damage,
    rubble and a burnt-out car on the road, seen from the middle of the road."""
    img = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(img)
    _sky(d, (150, 160, 172), (205, 205, 200), 330, W)
    horizon, vx = 330, W // 2 + rng.randint(-60, 60)
    d.rectangle([0, horizon, W, H], fill=(150, 144, 132))
    d.polygon([(0, H), (W, H), (vx + 40, horizon), (vx - 40, horizon)], fill=(92, 90, 86))
    d.polygon([(0, H), (150, H), (vx - 40, horizon), (vx - 48, horizon)], fill=(150, 144, 132))
    d.polygon([(W - 150, H), (W, H), (vx + 48, horizon), (vx + 40, horizon)], fill=(150, 144, 132))
    for side in (-1, 1):
        x = 0 if side < 0 else W
        for k in range(5):
            depth = 1 - k * 0.17
            width = int(170 * depth)
            top = int(horizon - 260 * depth + rng.randint(-20, 20))
            bottom = int(horizon + 240 * depth)
            x0, x1 = (x, x + width) if side < 0 else (x - width, x)
            tone = rng.randint(165, 215)
            wall = (tone, tone - rng.randint(5, 25), tone - rng.randint(20, 45))
            d.rectangle([x0, top, x1, bottom], fill=wall, outline=(90, 85, 80))
            for wy in range(top + 18, bottom - 30, max(int(46 * depth), 12)):
                for wx in range(x0 + 12, x1 - 20, max(int(40 * depth), 10)):
                    dark = rng.random() < 0.35  # a blown-out window
                    d.rectangle(
                        [wx, wy, wx + int(18 * depth), wy + int(24 * depth)],
                        fill=(30, 28, 26) if dark else (70, 80, 92),
                    )
            if rng.random() < 0.6:  # a shell hole in the wall
                cx, cy = rng.randint(x0, x1), rng.randint(top, bottom - 40)
                r = int(rng.randint(14, 34) * depth)
                pts = [(cx + rng.randint(-r, r), cy + rng.randint(-r, r)) for _ in range(9)]
                d.polygon(pts, fill=(45, 40, 36))
            for _ in range(rng.randint(10, 40)):  # bullet marks
                bx, by = rng.randint(x0, x1), rng.randint(top, bottom)
                d.ellipse([bx, by, bx + 3, by + 3], fill=(60, 55, 50))
            x = x1 if side < 0 else x0
    for _ in range(140):  # rubble on the road and pavements
        rx, ry = rng.randint(0, W), rng.randint(horizon + 40, H - 40)
        s = int(3 + (ry - horizon) / 22 * rng.random())
        grey = rng.randint(90, 170)
        d.polygon(
            [(rx, ry), (rx + s, ry - s // 2), (rx + 2 * s, ry), (rx + s, ry + s // 2)],
            fill=(grey, grey - 6, grey - 14),
        )
    cx, cy = vx - 150 + rng.randint(-40, 40), H - 240
    d.rectangle([cx, cy, cx + 230, cy + 70], fill=(38, 34, 32))  # burnt car body
    d.polygon([(cx + 40, cy), (cx + 70, cy - 45), (cx + 170, cy - 45), (cx + 200, cy)],
              fill=(30, 27, 25))  # fmt: skip
    for wx in (cx + 20, cx + 170):
        d.ellipse([wx, cy + 50, wx + 44, cy + 94], fill=(15, 15, 15))
    if smoke:  # a thin plume behind the buildings, half transparent
        haze = Image.new("L", (W, H), 0)
        h = ImageDraw.Draw(haze)
        for k in range(24):
            sx, sy = vx + rng.randint(-40, 40) + k * 6, horizon - k * 14
            r = 18 + k * 3
            h.ellipse([sx - r, sy - r, sx + r, sy + r], fill=110)
        img.paste((105, 103, 100), mask=haze)
    img = _grain(img, rng)
    _mark(img, caption)
    return img


def burial_site(
    rng: random.Random, caption: str, markers: int, *, tyre_tracks: bool = False
) -> Image.Image:
    """A mass grave in an olive grove: a long mound of fresh earth with numbered wooden
    markers, barrier tape, a scale bar and north arrow, olive trees behind."""
    img = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(img)
    _sky(d, (120, 160, 205), (215, 225, 230), 260, W)
    d.rectangle([0, 260, W, H], fill=(146, 118, 84))
    for k in range(9):  # olive trees on the horizon
        tx = 40 + k * 110 + rng.randint(-20, 20)
        d.rectangle([tx - 5, 220, tx + 5, 270], fill=(80, 62, 45))
        for _ in range(6):
            ox, oy = tx + rng.randint(-35, 35), 205 + rng.randint(-30, 10)
            d.ellipse([ox - 26, oy - 18, ox + 26, oy + 18], fill=(96, 116, 74))
    mound = [(80, 560), (160, 470), (820, 440), (900, 520), (820, 600), (150, 620)]
    d.polygon(mound, fill=(104, 78, 52), outline=(80, 60, 40))
    for _ in range(400):  # clods of soil
        x, y = rng.randint(120, 860), rng.randint(450, 610)
        s = rng.randint(2, 6)
        d.ellipse([x, y, x + s, y + s], fill=(84, 64, 42))
    if tyre_tracks:
        for off in (0, 46):
            d.line([(0, 700 - off), (500, 580 - off), (W, 470 - off)], fill=(90, 70, 48), width=14)
    for m in range(markers):
        x = 170 + m * (640 // max(markers - 1, 1))
        y = 540 - m * 6 + rng.randint(-6, 6)
        d.rectangle([x, y - 70, x + 8, y], fill=(170, 140, 100))
        d.rectangle([x - 14, y - 92, x + 22, y - 66], fill=(245, 245, 240), outline=(60, 60, 60))
        d.text((x - 8, y - 88), f"{m + 1:02d}", fill=(200, 20, 20), font=_font(18))
    for x in range(0, W, 40):  # red-and-white barrier tape
        d.line([(x, 400), (x + 20, 402)], fill=(210, 30, 30), width=4)
        d.line([(x + 20, 402), (x + 40, 400)], fill=(245, 245, 245), width=4)
    d.rectangle([700, 640, 900, 656], fill=(20, 20, 20))  # 1 m scale bar
    d.rectangle([800, 640, 900, 656], fill=(245, 245, 245), outline=(20, 20, 20))
    d.text((770, 618), "1 m", fill=(20, 20, 20), font=_font(16))
    d.polygon([(60, 650), (74, 610), (88, 650)], fill=(20, 20, 20))  # north arrow
    d.text((66, 588), "N", fill=(20, 20, 20), font=_font(18))
    img = _grain(img, rng)
    _mark(img, caption)
    return img


def document(
    rng: random.Random, caption: str, heading: str, lines: list[str], *, stamp: str = ""
) -> Image.Image:
    """A paper document photographed on a wooden table, a little askew, with a stamp."""
    img = Image.new("RGB", (W, H), (120, 78, 46))
    d = ImageDraw.Draw(img)
    for y in range(0, H, 6):  # wood grain
        tone = rng.randint(-14, 14)
        d.line([(0, y), (W, y + rng.randint(-3, 3))], fill=(120 + tone, 78 + tone, 46 + tone),
               width=3)  # fmt: skip
    paper = Image.new("RGBA", (560, 700), (246, 243, 232, 255))
    p = ImageDraw.Draw(paper)
    p.text((40, 40), heading, fill=(20, 20, 20), font=_font(26))
    p.line([(40, 84), (520, 84)], fill=(40, 40, 40), width=2)
    y = 110
    for line in lines:
        p.text((40, y), line, fill=(30, 30, 40), font=_font(17))
        y += 30
    if stamp:
        p.ellipse([330, 520, 500, 650], outline=(40, 60, 160), width=5)
        p.text((352, 575), stamp, fill=(40, 60, 160), font=_font(18))
    p.line([(60, 640), (250, 628)], fill=(20, 30, 90), width=3)  # a signature stroke
    paper = paper.rotate(rng.uniform(-7, 7), resample=Image.Resampling.BILINEAR, expand=True)
    shadow = Image.new("RGBA", paper.size, (0, 0, 0, 0))
    shadow.paste((0, 0, 0, 90), mask=paper.getchannel("A"))
    soft = shadow.resize((shadow.width // 4, shadow.height // 4)).filter(ImageFilter.BoxBlur(2))
    img.paste(shadow, (212, 22), soft.resize(shadow.size, Image.Resampling.BILINEAR))
    img.paste(paper, (200, 10), paper)
    d = ImageDraw.Draw(img)
    d.line([(790, 120), (900, 560)], fill=(20, 20, 80), width=12)  # a pen
    img = _grain(img, rng, 12)
    _mark(img, caption)
    return img


def panorama(rng: random.Random, width: int = 1600, height: int = 360) -> Image.Image:
    """A wide, low street the demo video pans across (no people)."""
    img = street(rng, "video frame").resize((width, height // 2 * 2))
    return img


def jpeg(
    img: Image.Image,
    taken: datetime,
    lat: float,
    lon: float,
    *,
    offset: str = "+03:00",
    quality: int = 82,
) -> bytes:
    """``img`` as a JPEG with a phone's EXIF: camera, capture time (local, with its UTC
    ``offset``), GPS position in degrees (WGS 84)."""
    exif = Image.Exif()
    exif[0x010F] = "FICTIONAL"  # Make
    exif[0x0110] = "Demo Phone 1 (fictional)"  # Model
    exif[0x0131] = "dalil demo"  # Software
    exif[0x0132] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTime
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    sub[0x9011] = offset  # OffsetTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[0x0001], gps[0x0002] = ("N" if lat >= 0 else "S"), _dms(abs(lat))
    gps[0x0003], gps[0x0004] = ("E" if lon >= 0 else "W"), _dms(abs(lon))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=exif.tobytes(), optimize=False)
    return out.getvalue()


def _dms(degrees: float) -> tuple[float, float, float]:
    whole = int(degrees)
    minutes = (degrees - whole) * 60
    return (float(whole), float(int(minutes)), round((minutes - int(minutes)) * 60, 2))

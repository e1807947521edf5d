"""Sheet music: MusicXML -> engraved SVG with verovio, then PNG with resvg (or cairosvg) when installed.

The chat shows the PNG next to the piano roll (a picture widget cannot show SVG);
without a rasteriser the SVG itself is the rendering. Only the first pages are
engraved so a long piece stays fast; lyrics in the MusicXML are engraved too.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

MAX_PAGES = 2
PAGE_WIDTH = 2100  # verovio units (tenths of mm): a wide page suits a screen
SCALE = 40
# verovio keeps its font resources per thread and loads them only on the main thread by
# itself; the app engraves on worker threads, so each toolkit is pointed at its resources
# explicitly, and engraving is serialised because that state is shared within a thread pool.
_VEROVIO_LOCK = threading.Lock()


def musicxml_to_svgs(musicxml_path: str | Path, max_pages: int = MAX_PAGES) -> list[str]:
    """SVG text of the first ``max_pages`` pages."""
    with _VEROVIO_LOCK:
        return _engrave(str(musicxml_path), max_pages)


def _engrave(musicxml_path: str, max_pages: int) -> list[str]:
    import verovio

    verovio.enableLog(verovio.LOG_ERROR)  # layout warnings would clutter the CLI's output
    tk = verovio.toolkit(False)
    if not tk.setResourcePath(str(Path(verovio.__file__).parent / "data")):
        raise RuntimeError("verovio's font resources are missing")
    tk.setOptions({
        "pageWidth": PAGE_WIDTH, "pageHeight": 2970, "scale": SCALE, "adjustPageHeight": True,
        "footer": "none", "header": "none", "breaks": "auto", "svgViewBox": True,
    })
    if not tk.loadFile(str(musicxml_path)):
        raise ValueError(f"verovio could not read {musicxml_path}")
    pages = min(tk.getPageCount(), max_pages)
    if pages < 1:
        raise ValueError("verovio engraved no page")
    # the metronome glyph is a music-font character that rasterisers without the font draw as a box
    return [re.sub(r'<g [^>]*class="tempo"[^>]*>.*?</g>', "", tk.renderToSVG(p), flags=re.S)
            for p in range(1, pages + 1)]


def _svg_size(svg: str) -> tuple[float, float]:
    m = re.search(r'viewBox="([\d.\s-]+)"', svg)
    if m:
        _, _, w, h = (float(x) for x in m.group(1).split())
        return w, h
    return 2100.0, 2970.0


def _rasterise(svg: str, width_px: int) -> bytes:
    """PNG bytes: resvg (fast, Rust) when installed, else cairosvg; ImportError when neither is."""
    try:
        import resvg_py

        return bytes(resvg_py.svg_to_bytes(svg_string=svg, background="#ffffff", width=width_px))
    except ImportError:
        import cairosvg

        return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width_px, background_color="white")


def svgs_to_png(svgs: list[str], path: Path, width_px: int = 1100) -> Path:
    """Rasterise the pages and stack them vertically on white."""
    import io

    from PIL import Image

    images = []
    for svg in svgs:
        images.append(Image.open(io.BytesIO(_rasterise(svg, width_px))).convert("RGB"))
    height = sum(im.height for im in images)
    sheet = Image.new("RGB", (width_px, height), "white")
    y = 0
    for im in images:
        sheet.paste(im, (0, y))
        y += im.height
    sheet.save(path, optimize=True)
    return path


def render_sheet_music(musicxml_path: str | Path, out_path: str | Path) -> Path:
    """Engrave ``musicxml_path``; writes a PNG (or an SVG when PNG conversion is unavailable) and returns it."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    svgs = musicxml_to_svgs(musicxml_path)
    if out_path.suffix.lower() == ".png":
        try:
            return svgs_to_png(svgs, out_path)
        except ImportError:
            out_path = out_path.with_suffix(".svg")
    out_path.write_text(svgs[0], encoding="utf-8")
    return out_path

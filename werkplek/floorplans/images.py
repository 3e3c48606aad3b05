"""Checking an uploaded plan: its type by content, its size, and SVG sanitising.

The type comes from the bytes (PNG and JPEG by their magic numbers and a full
decode, SVG by parsing), never from the file name or the declared content type.
An SVG is parsed with defusedxml (no DTDs, entities or external references) and
rebuilt from an allow-list of drawing elements and attributes. Anything that
could run or fetch something (scripts, ``foreignObject``, ``on*`` handlers,
``javascript:`` or external links, style sheets) makes the upload fail with a
message saying what was found; other unknown parts (editor metadata) are dropped.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from PIL import Image, UnidentifiedImageError

from werkplek.errors import InvalidInput
from werkplek.i18n import _

PNG = "image/png"
JPEG = "image/jpeg"
SVG = "image/svg+xml"
#: How a plan's type is named to people: the format, not the media type.
FORMAT_NAMES = {PNG: "PNG", JPEG: "JPEG", SVG: "SVG"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
MAX_PIXELS = 40_000_000
"""A raster plan of more pixels is refused (decompression bombs)."""
MAX_SVG_ELEMENTS = 20_000
MAX_SVG_DEPTH = 64

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

ALLOWED_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "use",
        "symbol",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "pattern",
        "marker",
    }
)
FORBIDDEN_ELEMENTS = {
    "script": "script",
    "foreignObject": "foreignObject",
    "style": "style",
    "iframe": "iframe",
    "object": "object",
    "embed": "embed",
    "a": "a (link)",
    "image": "image",
    "feImage": "feImage",
    "animate": "animate",
    "set": "set",
    "animateTransform": "animateTransform",
    "animateMotion": "animateMotion",
    "handler": "handler",
    "listener": "listener",
}
ALLOWED_ATTRIBUTES = frozenset(
    {
        "id",
        "class",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "fx",
        "fy",
        "dx",
        "dy",
        "width",
        "height",
        "d",
        "points",
        "transform",
        "viewBox",
        "preserveAspectRatio",
        "version",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "color",
        "visibility",
        "display",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "letter-spacing",
        "rotate",
        "textLength",
        "lengthAdjust",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "patternUnits",
        "patternContentUnits",
        "patternTransform",
        "clipPathUnits",
        "clip-path",
        "clip-rule",
        "markerWidth",
        "markerHeight",
        "markerUnits",
        "refX",
        "refY",
        "orient",
        "marker-start",
        "marker-mid",
        "marker-end",
        "role",
        "aria-label",
        "lang",
    }
)
STYLE_PROPERTIES = frozenset(
    name
    for name in ALLOWED_ATTRIBUTES
    if name.startswith(("fill", "stroke", "stop-", "font-", "text-", "marker-", "clip-"))
) | {"opacity", "color", "display", "visibility", "dominant-baseline", "letter-spacing"}
URL_REFERENCE = re.compile(r"url\(\s*([^)]*?)\s*\)", re.IGNORECASE)
CONTROL_AND_SPACE = re.compile(r"[\x00-\x20]+")
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


@dataclass(frozen=True)
class CheckedImage:
    content_type: str
    data: bytes
    width: float
    height: float


def too_large_text(max_kb: int) -> str:
    return _("The file is too large: at most %(size)s kB.", size=max_kb)


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, field="file", code="invalid_plan")


def check_plan_file(payload: bytes, max_bytes: int) -> CheckedImage:
    """The plan to store: a decodable PNG or JPEG as sent, or a sanitised SVG."""
    if not payload:
        raise _invalid(_("Choose a PNG, JPEG or SVG file."))
    if len(payload) > max_bytes:
        raise _invalid(too_large_text(max_bytes // 1024))
    if payload.startswith(PNG_MAGIC):
        return _check_raster(payload, PNG, "PNG")
    if payload.startswith(JPEG_MAGIC):
        return _check_raster(payload, JPEG, "JPEG")
    if _looks_like_xml(payload):
        return sanitise_svg(payload)
    raise _invalid(_("The file is not a PNG, JPEG or SVG image."))


def _check_raster(payload: bytes, content_type: str, pil_format: str) -> CheckedImage:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(payload)) as image:
                if image.format != pil_format:
                    raise _invalid(_("The file is not a PNG, JPEG or SVG image."))
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _invalid(_("The image has too many pixels for a floor plan."))
                image.load()  # decodes it all: a truncated or corrupt file fails here
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid(_("The image has too many pixels for a floor plan.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _invalid(_("The image file is damaged or incomplete.")) from None
    return CheckedImage(content_type, payload, float(width), float(height))


def _looks_like_xml(payload: bytes) -> bool:
    head = payload[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


# --- SVG ----------------------------------------------------------------------------------


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _sep, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _unsafe_url(value: str) -> bool:
    """A reference that is not to something inside this document."""
    target = value.strip().strip("'\"")
    return not target.startswith("#")


def _check_value(name: str, value: str) -> None:
    squeezed = CONTROL_AND_SPACE.sub("", value).lower()
    if "javascript:" in squeezed or "vbscript:" in squeezed:
        raise _invalid(_("The SVG contains a javascript: link, which is not allowed."))
    for reference in URL_REFERENCE.findall(value):
        if _unsafe_url(reference):
            raise _invalid(
                _(
                    "The SVG refers to something outside the file (%(attribute)s), "
                    "which is not allowed.",
                    attribute=name,
                )
            )


def _style_declarations(style: str) -> list[tuple[str, str]]:
    """The drawing properties of a ``style`` attribute (as editors write them), to be
    kept as presentation attributes; CSS escapes and anything else are dropped."""
    kept = []
    for declaration in style.split(";"):
        prop, sep, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip()
        if sep and prop in STYLE_PROPERTIES and value and "\\" not in value:
            kept.append((prop, value))
    return kept


def _clean_element(source: ET.Element, counter: list[int], depth: int = 0) -> ET.Element | None:
    namespace, local = _split(source.tag) if isinstance(source.tag, str) else ("", "")
    if namespace == SVG_NS and local in FORBIDDEN_ELEMENTS:
        raise _invalid(
            _(
                "The SVG contains a %(element)s element, which is not allowed.",
                element=FORBIDDEN_ELEMENTS[local],
            )
        )
    if namespace != SVG_NS or local not in ALLOWED_ELEMENTS:
        return None  # editor metadata, comments, unknown drawing features: dropped
    counter[0] += 1
    if counter[0] > MAX_SVG_ELEMENTS:
        raise _invalid(_("The SVG has too many elements for a floor plan."))
    if depth > MAX_SVG_DEPTH:
        raise _invalid(_("The SVG is nested too deeply for a floor plan."))
    clean = ET.Element(f"{{{SVG_NS}}}{local}")
    for name, value in source.attrib.items():
        attr_ns, attr_local = _split(name)
        if attr_local.lower().startswith("on"):
            raise _invalid(
                _(
                    "The SVG contains an event handler (%(attribute)s), which is not allowed.",
                    attribute=attr_local,
                )
            )
        _check_value(attr_local, value)
        if attr_local == "href" and attr_ns in ("", XLINK_NS):
            if local != "use" or _unsafe_url(value):
                raise _invalid(
                    _(
                        "The SVG refers to something outside the file (%(attribute)s), "
                        "which is not allowed.",
                        attribute="href",
                    )
                )
            clean.set("href", value.strip())
        elif attr_ns == XML_NS and attr_local in ("space", "lang"):
            clean.set(name, value)
        elif attr_ns == "" and attr_local == "style":
            for prop, prop_value in _style_declarations(value):
                clean.set(prop, prop_value)
        elif attr_ns == "" and attr_local in ALLOWED_ATTRIBUTES:
            clean.set(attr_local, value)
    if local in ("title", "desc", "text", "tspan") and source.text:
        clean.text = source.text
    for child in source:
        kept = _clean_element(child, counter, depth + 1)
        if kept is not None:
            if child.tail and local in ("text", "tspan"):
                kept.tail = child.tail
            clean.append(kept)
    return clean


def _size_of(root: ET.Element) -> tuple[float, float]:
    view_box = root.get("viewBox")
    if view_box:
        parts = view_box.replace(",", " ").split()
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            numbers = []
        if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
            return numbers[2], numbers[3]
        raise _invalid(_("The SVG has an invalid viewBox."))
    sizes = [LENGTH.match(root.get(name) or "") for name in ("width", "height")]
    if sizes[0] and sizes[1]:
        width, height = float(sizes[0].group(1)), float(sizes[1].group(1))
        if width > 0 and height > 0:
            root.set("viewBox", f"0 0 {width:g} {height:g}")
            return width, height
    raise _invalid(_("The SVG needs a viewBox, or a width and height in pixels."))


def sanitise_svg(payload: bytes) -> CheckedImage:
    """The SVG rebuilt from allowed parts only; refuses one with active content."""
    try:
        root = SafeET.fromstring(payload, forbid_dtd=True)
    except DefusedXmlException:
        raise _invalid(
            _("The SVG contains a document type or entities, which are not allowed.")
        ) from None
    except (ET.ParseError, ValueError):
        raise _invalid(_("The file is not a PNG, JPEG or SVG image.")) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise _invalid(_("The file is not a PNG, JPEG or SVG image."))
    clean = _clean_element(root, [0])
    assert clean is not None  # the root is an svg element
    width, height = _size_of(clean)
    data = ET.tostring(clean, encoding="utf-8", xml_declaration=True)
    return CheckedImage(SVG, data, width, height)

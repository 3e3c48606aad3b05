"""What an uploaded plan must be: an image by its content, small enough, and an SVG
that cannot run or fetch anything."""

from __future__ import annotations

import pytest

from tests.floorplans.conftest import jpeg, png, svg
from werkplek.errors import InvalidInput
from werkplek.floorplans.images import JPEG, PNG, SVG, check_plan_file

LIMIT = 1024 * 1024


def refused(payload: bytes, limit: int = LIMIT) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check_plan_file(payload, limit)
    assert caught.value.field == "file"
    return caught.value


def test_a_png_is_kept_as_sent_with_its_pixel_size() -> None:
    checked = check_plan_file(png(40, 20), LIMIT)
    assert (checked.content_type, checked.width, checked.height) == (PNG, 40, 20)
    assert checked.data == png(40, 20)


def test_a_jpeg_is_recognised_by_its_content() -> None:
    assert check_plan_file(jpeg(), LIMIT).content_type == JPEG


def test_an_svg_takes_its_size_from_the_view_box() -> None:
    checked = check_plan_file(svg(), LIMIT)
    assert (checked.content_type, checked.width, checked.height) == (SVG, 400, 200)


def test_an_svg_with_only_width_and_height_gets_a_view_box() -> None:
    payload = b'<svg xmlns="http://www.w3.org/2000/svg" width="300px" height="100"><g/></svg>'
    checked = check_plan_file(payload, LIMIT)
    assert b'viewBox="0 0 300 100"' in checked.data


def test_a_script_element_is_refused() -> None:
    assert "script" in refused(svg(b"<script>alert(1)</script>")).message


def test_an_event_handler_attribute_is_refused() -> None:
    payload = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" onload="alert(1)"/>'
    assert "onload" in refused(payload).message


def test_a_javascript_link_is_refused() -> None:
    payload = svg(b'<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="java\nscript:x"/>')
    assert "javascript:" in refused(payload).message


def test_a_foreign_object_is_refused() -> None:
    assert "foreignObject" in refused(svg(b"<foreignObject><p>hi</p></foreignObject>")).message


def test_a_reference_outside_the_file_is_refused() -> None:
    refused(svg(b'<rect width="1" height="1" fill="url(https://example.org/x.svg#p)"/>'))
    refused(svg(b'<use href="https://example.org/x.svg#p"/>'))


def test_entities_are_refused() -> None:
    refused(b'<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')


def test_editor_metadata_is_dropped_and_style_becomes_attributes() -> None:
    payload = svg(
        b'<metadata><x/></metadata><rect xmlns:i="urn:i" i:label="wall" '
        b'style="fill:#ccc;stroke:#000;behavior:x" width="2" height="2"/>'
    )
    data = check_plan_file(payload, LIMIT).data
    assert b"metadata" not in data and b"wall" not in data and b"behavior" not in data
    assert b'fill="#ccc"' in data and b'stroke="#000"' in data


def test_a_file_over_the_limit_is_refused() -> None:
    assert "kB" in refused(png(), limit=len(png()) - 1).message


def test_a_file_that_is_no_image_is_refused() -> None:
    refused(b"%PDF-1.7 not a plan")
    refused(b"GIF89a" + b"\x00" * 20)
    refused(b"<html><body>no svg</body></html>")


def test_a_truncated_png_is_refused() -> None:
    refused(png()[:60])


def test_a_deeply_nested_svg_is_refused() -> None:
    refused(svg(b"<g>" * 200 + b"</g>" * 200))

"""Map rendering: loading the shipped boundaries, a world map of countries, an Iberian subdivision map.

    .venv/bin/python bench/core/bench_maps.py

Prints the boundary file's size, the load time and the median of five renders of each map, and
the SVG sizes. No database needed: the maps are what the vulnerability and hotspot pages embed.
"""

from __future__ import annotations

import statistics
import time

from safeguard.core import boundaries
from safeguard.core.maps import MapArea, map_svg


def _median_ms(fn: object, repeat: int = 5) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), out


def main() -> None:
    start = time.perf_counter()
    countries = boundaries.country_codes()
    print(f"boundaries: {boundaries.DATA_FILE.stat().st_size / 1024:.0f} KiB gzipped, "
          f"loaded in {(time.perf_counter() - start) * 1000:.0f} ms")  # fmt: skip
    world = [
        MapArea(code=c, geometry=g, css_class=f"map-class-{i % 5}", label=c, href=f"/x/{c}/")
        for i, c in enumerate(countries)
        if (g := boundaries.shape(c))
    ]
    ms, svg = _median_ms(lambda: map_svg(world, title="World", description="bench"))
    print(f"world map, {len(world)} countries: {ms:.0f} ms, {len(svg) / 1024:.0f} KiB of SVG")
    iberia = [
        MapArea(code=c, geometry=g, css_class="map-class-2", label=c, outlined=c == "ES-M")
        for c in boundaries.subdivision_codes("ES") + boundaries.subdivision_codes("PT")
        if (g := boundaries.shape(c))
    ]
    ms, svg = _median_ms(lambda: map_svg(iberia, title="Iberia", description="bench"))
    print(
        f"Iberian subdivisions with basemap, {len(iberia)} areas: {ms:.0f} ms, {len(svg) / 1024:.0f} KiB of SVG"
    )
    ms, _ = _median_ms(lambda: [boundaries.locate(-3.7 + i * 0.01, 40.4) for i in range(100)], repeat=3)
    print(f"locate(): {ms / 100:.1f} ms per point")


if __name__ == "__main__":
    main()

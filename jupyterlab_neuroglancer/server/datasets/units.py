"""Units as the formats write them, turned into Neuroglancer's (``m``, ``s``, ``""``...).

Neuroglancer describes a dimension as ``[scale, unit]`` with a base unit (``"m"``, ``"s"``,
``"Hz"``, ``"rad/s"`` or ``""``): 4 nm is ``[4e-9, "m"]``. The formats spell units three ways:

- OME-Zarr: long names (``"nanometer"``, ``"micrometer"``, ``"angstrom"``, ``"second"``...);
- zarr ``dimension_units`` attributes: an optional number and a long or short name
  (``"4 nm"``, ``"nanometer"``);
- N5: short SI names (``"nm"``, ``"um"``, ``"µm"``).
"""

from __future__ import annotations

import re

# (short prefix, long prefix, power of ten)
_SI_PREFIXES = (
    ("Y", "yotta", 24),
    ("Z", "zetta", 21),
    ("E", "exa", 18),
    ("P", "peta", 15),
    ("T", "tera", 12),
    ("G", "giga", 9),
    ("M", "mega", 6),
    ("k", "kilo", 3),
    ("h", "hecto", 2),
    ("da", "deca", 1),
    ("", "", 0),
    ("d", "deci", -1),
    ("c", "centi", -2),
    ("m", "milli", -3),
    ("µ", "micro", -6),
    ("u", None, -6),
    ("n", "nano", -9),
    ("p", "pico", -12),
    ("f", "femto", -15),
    ("a", "atto", -18),
    ("z", "zepto", -21),
    ("y", "yocto", -24),
)

_OTHER_LONG_UNITS = {
    "angstrom": ("m", 1e-10, None),
    "foot": ("m", 0.3048, None),
    "inch": ("m", 0.0254, None),
    "mile": ("m", 1609.34, None),
    "parsec": ("m", 3.0856775814913673e16, None),
    "yard": ("m", 0.9144, None),
    "minute": ("s", 60.0, None),
    "hour": ("s", 3600.0, None),
    "day": ("s", 86400.0, None),
}

Unit = tuple[str, float, "int | None"]
"""(Neuroglancer unit, factor, power of ten of the factor when it is one)."""

LONG_UNITS: dict[str, Unit] = dict(_OTHER_LONG_UNITS)
"""OME-Zarr unit names → unit."""
SHORT_UNITS: dict[str, Unit] = {"": ("", 1.0, 0)}
"""Short SI unit names (N5) → unit."""

for _short, _long, _exponent in _SI_PREFIXES:
    for _unit_long, _unit in (("meter", "m"), ("second", "s")):
        if _long is not None:
            LONG_UNITS[_long + _unit_long] = (_unit, 10.0**_exponent, _exponent)
    for _unit in ("m", "s", "Hz", "rad/s"):
        SHORT_UNITS[_short + _unit] = (_unit, 10.0**_exponent, _exponent)

_NUMBER_AND_UNIT = re.compile(r"([-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?\d+)?)\s*(.*)")


def scale_by_exp10(value: float, exponent: int) -> float:
    """``value * 10**exponent``, dividing for negative exponents (as Neuroglancer does)."""
    return value * 10.0**exponent if exponent >= 0 else value / 10.0 ** (-exponent)


def ome_unit(value: object) -> tuple[str, float] | None:
    """An OME-Zarr axis unit (``None``: no unit) → ``(unit, factor)``; ``None`` if unknown."""
    if value is None:
        return ("", 1.0)
    known = LONG_UNITS.get(value) if isinstance(value, str) else None
    return None if known is None else (known[0], known[1])


def n5_unit(value: object) -> tuple[str, int] | None:
    """An N5 unit (``"nm"``, ``"um"``) → ``(unit, power of ten)``; ``None`` if unknown."""
    known = SHORT_UNITS.get(value) if isinstance(value, str) else None
    return None if known is None or known[2] is None else (known[0], known[2])


def zarr_dimension_unit(value: object) -> tuple[str, float] | None:
    """A zarr ``dimension_units`` entry (``"4 nm"``, ``"nanometer"``, ``None``) → unit, scale."""
    if value is None:
        return ("", 1.0)
    if not isinstance(value, str):
        return None
    text = value.strip()
    number = 1.0
    match = _NUMBER_AND_UNIT.fullmatch(text)
    if match:
        number = float(match.group(1))
        text = match.group(2)
    known = LONG_UNITS.get(text) or SHORT_UNITS.get(text)
    if known is None:
        return None
    return known[0], number * known[1]

"""Numbers written as JavaScript writes them, which is what JSONata's ``$string`` and ``&`` produce.

jsonata-python formats numbers its own way (``$string(5890840712243076)`` gives
``"5.89084071224308e+15"``); AWS runs JSONata on JavaScript number semantics, where the same call
gives ``"5890840712243076"``. Two rules from JSONata's ``$string``: an integer keeps its digits, and
any other number is first rounded to 15 significant digits (``toPrecision(15)``), so
``$string(0.1 + 0.2)`` is ``"0.3"``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Beyond this, a JavaScript number (an IEEE double) no longer holds every integer exactly.
MAX_SAFE_INTEGER = 2**53 - 1
# JavaScript writes numbers of this size and above in exponent notation.
_EXPONENT_FROM = 21


def js_number_text(value: int | float) -> str:
    """``String(value)`` in JavaScript: the shortest digits that read back as the same double.

    >>> [js_number_text(n) for n in (5890840712243076, 12345678901234567, 1e20, 1e21, -0.0)]
    ['5890840712243076', '12345678901234568', '100000000000000000000', '1e+21', '0']
    >>> [js_number_text(n) for n in (0.1 + 0.2, 1.5e-7, 0.000001, 123.456, -2.5e30)]
    ['0.30000000000000004', '1.5e-7', '0.000001', '123.456', '-2.5e+30']
    """
    if isinstance(value, int) and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return str(value)
    number = float(value)
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    digits, point = _shortest_digits(abs(number))
    count = len(digits)
    if count <= point <= _EXPONENT_FROM:
        return sign + digits + "0" * (point - count)
    if 0 < point <= _EXPONENT_FROM:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    exponent = point - 1
    mantissa = digits[0] + (f".{digits[1:]}" if count > 1 else "")
    return f"{sign}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"


def string_number_text(value: int | float) -> str:
    """A number as ``$string`` writes it: integers in full, others rounded to 15 significant digits.

    >>> string_number_text(0.1 + 0.2), string_number_text(5890840712243076), string_number_text(1 / 3)
    ('0.3', '5890840712243076', '0.333333333333333')
    """
    if isinstance(value, int) or float(value).is_integer():
        return js_number_text(value)
    return js_number_text(_to_precision_15(value))


def _to_precision_15(value: float) -> float:
    """``Number(value.toPrecision(15))``: the exact binary value rounded half away from zero, as JavaScript does.

    >>> _to_precision_15(1099511627776.125), _to_precision_15(0.30000000000000004)
    (1099511627776.13, 0.3)
    """
    exact = Decimal(value)
    return float(exact.quantize(Decimal(1).scaleb(exact.adjusted() - 14), rounding=ROUND_HALF_UP))


def _shortest_digits(number: float) -> tuple[str, int]:
    """The significant digits of a positive double and n, where the value is 0.<digits> × 10**n.

    >>> _shortest_digits(123.45), _shortest_digits(0.001), _shortest_digits(1e21)
    (('12345', 3), ('1', -2), ('1', 22))
    """
    mantissa, _, exponent = repr(number).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0").rstrip("0")
    trailing_zeros = len(all_digits) - len(all_digits.rstrip("0"))
    return digits, len(digits) + int(exponent or 0) - len(fraction) + trailing_zeros

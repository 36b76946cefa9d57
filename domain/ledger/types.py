"""Column types that keep money exact and instants aware on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import types
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.operators import OperatorType

CENT = Decimal("0.01")
RATE_QUANTUM = Decimal("0.0001")
E = TypeVar("E", bound=StrEnum)




class _QuantizedDecimal(types.TypeDecorator[Decimal]):
    """Numeric that only accepts `Decimal` and always returns it quantized.

    SQLite stores NUMERIC as REAL: 14 significant digits survive a double exactly, so
    quantizing on the way out gives back the very Decimal that went in.
    """

    impl = types.Numeric
    cache_ok = True
    quantum = CENT

    def process_bind_param(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"{type(self).__name__} needs a Decimal, got {type(value).__name__}")
        if not value.is_finite():
            raise ValueError(f"{type(self).__name__} needs a finite Decimal, got {value}")
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        # A float from SQLite: str() gives its shortest repr, i.e. the decimal that was stored.
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        return number.quantize(self.quantum, rounding=ROUND_HALF_UP)

    def result_processor(
        self, dialect: Dialect, coltype: Any
    ) -> Callable[[Any], Decimal | None] | None:
        if dialect.name == "postgresql":
            return None  # psycopg returns Decimal at the column's scale: already quantized
        # SQLite: bypass the impl's float->Decimal step, one conversion per value (big views).
        quantum = self.quantum

        def process(value: Any) -> Decimal | None:
            if value is None:
                return None
            if value.__class__ is not Decimal:
                value = Decimal(str(value))
            return value.quantize(quantum, rounding=ROUND_HALF_UP)  # type: ignore[no-any-return]

        return process


class Money(_QuantizedDecimal):
    """An amount in euros: NUMERIC(14, 2), Decimal cents, ROUND_HALF_UP."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(precision=14, scale=2, asdecimal=True)

    def __repr__(self) -> str:
        return "Money()"


class Rate(_QuantizedDecimal):
    """A rate in percent: NUMERIC(7, 4)."""

    cache_ok = True

    quantum = RATE_QUANTUM

    def __init__(self) -> None:
        super().__init__(precision=7, scale=4, asdecimal=True)

    def __repr__(self) -> str:
        return "Rate()"


class UTCDateTime(types.TypeDecorator[datetime]):
    """An instant: refuses naive datetimes, always returns an aware UTC datetime.

    SQLite has no time zones: the value is stored as naive UTC text, so comparisons in SQL
    stay correct, and UTC is attached again when it is read.
    """

    impl = types.DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def __repr__(self) -> str:
        return "UTCDateTime()"

    def coerce_compared_value(self, op: OperatorType | None, value: Any) -> types.TypeEngine[Any]:
        if isinstance(value, timedelta):
            return types.Interval()
        return self

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime needs a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused ({value.isoformat()}): pass an aware one")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        return instant.astimezone(UTC)


class EnumText(types.TypeDecorator[E]):
    """A StrEnum stored as plain VARCHAR (no native enum type: migrations stay simple)."""

    impl = types.String
    cache_ok = True

    def __init__(self, enum_cls: type[E], length: int = 24) -> None:
        super().__init__(length=length)
        self.enum_cls = enum_cls

    def __repr__(self) -> str:
        return f"EnumText({self.enum_cls.__name__})"

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum_cls(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        if value is None:
            return None
        return self.enum_cls(value)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], E | None] | None:
        members = {member.value: member for member in self.enum_cls}  # faster than Enum(value)
        return lambda value: None if value is None else members[value]

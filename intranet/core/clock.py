"""The one clock: the municipality's now and today, and the naive UTC the history stores.

Nothing else in intranet/ asks the system for the date or the time
(tests/foundation/test_clock.py scans for it). A server on UTC that asked `date.today()`
still had yesterday for the first one or two hours of a Stockholm day; "today", "this year"
and the end of a day are the municipality's, in MUNICIPALITY_TIMEZONE (intranet.config).

The clock has three sources, the first that is set wins:

- Frozen, for tests in this process: `freeze(moment)` (also a context manager) makes the
  clock stand still until `advance(delta)` moves it forward or `unfreeze()` lets go.
  Standing still is safe for the history: verify asks that issued_at never *decreases* as
  ids rise, and equal times never do. Write-rate windows and sign-in lockouts then expire
  only when the test advances the clock, which is what their tests need.
- A clock file (CLOCK_FILE, for a server process such as the gunicorn of the browser
  tests): the file holds an ISO 8601 moment with its UTC offset; the clock shows that
  moment at the file's modification time and runs on from it with the real elapsed time. A
  server's clock cannot stand still: its transactions must stay in order, its rate windows
  must roll over and its checkpoint lines are dated. Every worker reads the same file, so
  they all agree; a test moves the server's clock forward by writing a later moment
  (`ClockFile.advance`), never backwards (the history's order would break).
- The system clock.

Everything that reads "now" goes through `utc_now`: transactions' issued_at, the
checkpoint lines' times and verify's "not in the future", so a frozen or shifted clock
keeps them consistent with each other. Durations (checkpoint intervals, time-outs) are
measured with time.monotonic: they are not dates, and no clock setting shifts them.
"""

import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/Stockholm"

_frozen: datetime | None = None  # naive UTC


# Where the zone's name comes from: the app's configuration, once create_app has said how
# to read it (the core reads no Flask itself); the default zone before that.
def _default_zone_source() -> str | None:
    return None


_zone_source: Callable[[], str | None] = _default_zone_source
_file: "ClockFile | None" = None


def _naive_utc(moment: datetime) -> datetime:
    """An aware moment in any zone, or a naive one taken as UTC, as naive UTC."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _system_utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- reading the clock ------------------------------------------------------------------


def read_zone_from(source: Callable[[], str | None]) -> None:
    """Take the zone's name from `source` (None: the default zone)."""
    global _zone_source
    _zone_source = source


def zone_name() -> str:
    return _zone_source() or DEFAULT_ZONE


def zone() -> ZoneInfo:
    """The municipality's time zone, from the app's configuration."""
    return ZoneInfo(zone_name())


def utc_now() -> datetime:
    """Now as naive UTC, as the models store it (issued_at, archived_at, …)."""
    if _frozen is not None:
        return _frozen
    if _file is not None:
        return _file.utc_now()
    return _system_utc_now()


def now() -> datetime:
    """Now, aware, in the municipality's zone."""
    return utc_now().replace(tzinfo=UTC).astimezone(zone())


def local_day(moment: datetime | None = None) -> date:
    """The municipality's calendar day at `moment` (naive UTC, or aware; now when None):
    the day dated things such as a board's responsibility are in force on."""
    moment = utc_now() if moment is None else _naive_utc(moment)
    return moment.replace(tzinfo=UTC).astimezone(zone()).date()


def today() -> date:
    """The municipality's date now."""
    return local_day()


# --- setting it: tests in this process ----------------------------------------------------


class _Frozen:
    """What `freeze` returns: usable as a context manager that lets go on exit."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        unfreeze()


def freeze(moment: datetime) -> _Frozen:
    """Stop the clock at `moment` (aware in any zone, or naive UTC) until `unfreeze`."""
    global _frozen
    _frozen = _naive_utc(moment)
    return _Frozen()


def advance(delta: timedelta) -> datetime:
    """Move a frozen clock forward by `delta`; the new moment (naive UTC)."""
    global _frozen
    if _frozen is None:
        raise RuntimeError("only a frozen clock can be advanced: freeze it first")
    if delta < timedelta(0):
        raise ValueError("the clock never goes back (the history's order)")
    _frozen += delta
    return _frozen


def unfreeze() -> None:
    global _frozen
    _frozen = None


def is_frozen() -> bool:
    return _frozen is not None


# --- setting it: a server process -----------------------------------------------------------


class ClockFile:
    """A clock shared through a file (see the module's docstring): the moment written in the
    file, plus the real time elapsed since the file was written."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._seen: tuple | None = None  # (file identity, moment, real time it was written)

    def _read(self) -> tuple[datetime, float]:
        try:
            status = os.stat(self.path)
            identity = (status.st_ino, status.st_mtime_ns, status.st_size)
            if self._seen is None or self._seen[0] != identity:
                moment = datetime.fromisoformat(self.path.read_text().strip())
                if moment.tzinfo is None:
                    raise ValueError("the moment must carry its UTC offset")
                self._seen = (identity, _naive_utc(moment), status.st_mtime_ns / 1e9)
        except (OSError, ValueError) as error:
            # A server that cannot tell the time must not write history with a wrong one.
            raise RuntimeError(f"clock file {self.path}: {error}") from error
        return self._seen[1], self._seen[2]

    def utc_now(self) -> datetime:
        moment, written = self._read()
        return moment + timedelta(seconds=max(0.0, time.time() - written))

    def set(self, moment: datetime) -> datetime:
        """Let the clock show `moment` (aware) from now on; written atomically, so that a
        reading worker never sees half a file."""
        if moment.tzinfo is None:
            raise ValueError("give the moment with its time zone")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".clock-")
        with os.fdopen(handle, "w") as file:
            file.write(moment.isoformat() + "\n")
        os.replace(temporary, self.path)
        return _naive_utc(moment)

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by `delta`; the new moment (naive UTC)."""
        if delta < timedelta(0):
            raise ValueError("the clock never goes back (the history's order)")
        return self.set((self.utc_now() + delta).replace(tzinfo=UTC))


def use_file(path: str | os.PathLike | None) -> None:
    """Follow the clock file at `path` (None: the system clock again)."""
    global _file
    _file = ClockFile(path) if path else None

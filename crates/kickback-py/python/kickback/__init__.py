"""kickback: count cable glute kickback reps from an ankle IMU and flag
momentum, lumbar overextension and partial-range faults.

The same Rust engine and readers as the ``kickback`` command, for Python:

* :func:`read` -- a recording (any format the CLI reads) as numpy arrays;
* :func:`analyze` -- the analysis of a file, a :class:`Recording` or arrays;
* :class:`Analyzer` -- live analysis: push chunks, poll events, finish;
* :func:`check` -- many recordings at once, as two Arrow tables (the rows
  of ``kickback check``); :func:`find_recordings` lists them;
* :func:`formats` -- the input formats.

Settings are keyword arguments named like the CLI's flags
(``torso_hinge=40``, ``set_rest=10``, ``config="kickback.toml"``, and any
setting of the settings file with ``set={"reps.min_rise_deg": 12}``); as
with the CLI, ``./kickback.toml`` is read when it exists and no ``config``
is given. Read options are ``input_format``, ``accel_unit``, ``gyro_unit``,
``time_unit`` and ``rate``. Bad values raise :class:`SettingsError` with the
CLI's message.

Units: time in s, acceleration in m/s² (specific force, +9.81 up at rest),
angular rate in rad/s; reports give angles in degrees.

The engine runs with the GIL released.
"""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass, field, fields
from typing import (
    Any,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import numpy as np

from . import _native
from ._errors import KickbackError, ReadError, SettingsError

__version__: str = _native.__version__

__all__ = [
    "Analysis",
    "Analyzer",
    "CheckResult",
    "Finished",
    "KickbackError",
    "MomentumEvidence",
    "ReadError",
    "Recording",
    "Rep",
    "RepCompleted",
    "RepDiscarded",
    "RepStarted",
    "SetCompleted",
    "SetSummary",
    "SettingsError",
    "Summary",
    "Walk",
    "WalkingRecognised",
    "Warning",
    "WarningRaised",
    "analyze",
    "check",
    "find_recordings",
    "formats",
    "read",
]

PathLike = Union[str, "os.PathLike[str]"]

_OPTION_NAMES = (
    "config",
    "torso_hinge",
    "hip_extension_limit",
    "partial_fraction",
    "set_rest",
    "set",
    "input_format",
    "accel_unit",
    "gyro_unit",
    "time_unit",
    "rate",
)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _options(kwargs: Mapping[str, Any]) -> "_native.Options":
    """Settings and read options from keyword arguments, checked by the CLI's code."""
    unknown = sorted(k for k in kwargs if k not in _OPTION_NAMES)
    if unknown:
        raise TypeError(
            f"unknown keyword argument(s) {', '.join(unknown)}; "
            f"expected some of: {', '.join(_OPTION_NAMES)}"
        )
    opts = {k: v for k, v in kwargs.items() if v is not None}
    items = opts.pop("set", None)
    if items is not None:
        if isinstance(items, Mapping):
            items = [f"{k}={_toml_value(v)}" for k, v in items.items()]
        elif isinstance(items, str):
            items = [items]
        opts["set"] = [str(i) for i in items]
    if "config" in opts:
        opts["config"] = os.fspath(opts["config"])
    for name in ("torso_hinge", "hip_extension_limit", "partial_fraction", "set_rest", "rate"):
        if name in opts:
            try:
                opts[name] = float(opts[name])
            except (TypeError, ValueError):
                raise SettingsError(
                    f"{name} must be a number, got {opts[name]!r}"
                ) from None
    return _native.Options(**opts)


def _build(cls, d: Mapping[str, Any]):
    """A dataclass from a JSON object, ignoring keys it does not know."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True)
class MomentumEvidence:
    """Why momentum was or was not flagged on a rep."""

    fast_concentric: bool = False
    high_peak_velocity: bool = False
    no_hold: bool = False
    windup: bool = False
    fast_drop: bool = False
    score: float = 0.0


@dataclass(frozen=True)
class Rep:
    """One repetition: times in s from the first sample, angles in degrees of
    leg elevation from the rest pose, velocities in deg/s; ``faults`` are
    names (``momentum``, ``lumbar_overextension``, ``partial_range``)."""

    index: int
    set: int
    start_s: float
    peak_s: float
    end_s: float
    range_deg: float
    peak_elevation_deg: float
    concentric_s: float
    hold_s: float
    eccentric_s: float
    peak_velocity_dps: float
    peak_eccentric_velocity_dps: float
    windup_deg: float
    faults: Tuple[str, ...] = ()
    momentum: MomentumEvidence = field(default_factory=MomentumEvidence)
    #: The ``id`` of the :class:`RepStarted` that announced it.
    id: int = 0

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "Rep":
        d = dict(d)
        d["faults"] = tuple(d.get("faults", ()))
        d["momentum"] = _build(MomentumEvidence, d.get("momentum", {}))
        return _build(cls, d)


@dataclass(frozen=True)
class SetSummary:
    """A set: reps grouped by the rests between them."""

    index: int
    start_s: float
    end_s: float
    rep_count: int
    median_range_deg: float


@dataclass(frozen=True)
class Warning:
    """Something worth knowing about the input (``kind`` is a stable name
    such as ``gap``, ``no_gyroscope``, ``input``)."""

    kind: str
    t_s: Optional[float]
    message: str


@dataclass(frozen=True)
class Walk:
    """Walking recognised (its steps are not reps): from the start of the
    first step to the end of the last, s from the first sample."""

    start_s: float
    end_s: float
    steps: int


@dataclass(frozen=True)
class WalkingRecognised:
    """A walk is over (reported a few seconds after its last step)."""

    walk: Walk


@dataclass(frozen=True)
class Summary:
    """Fault counts over a recording."""

    momentum: int = 0
    lumbar_overextension: int = 0
    partial_range: int = 0


# Events of the live analyzer ------------------------------------------------


@dataclass(frozen=True)
class RepStarted:
    """The leg has risen far enough that a rep is under way; ``id`` is
    unique within the analyzer (from 1). Exactly one :class:`RepCompleted`
    (whose ``rep.id`` is the same) or :class:`RepDiscarded` follows."""

    t_s: float
    id: int = 0


@dataclass(frozen=True)
class RepDiscarded:
    """A started rise was no rep (``reason``: ``gait``, ``too_small``, ...).
    With the ``id`` of a rep already completed, that rep is taken back: with
    reason ``lone``, its set held no three reps alike in range and duration
    (a set of one or two among them; a fidget); with reason ``gait``, the leg went
    straight on from it into a step (the first strides of a walk)."""

    id: int
    t_s: float
    reason: str


@dataclass(frozen=True)
class RepCompleted:
    """A rep is over: here it is, measured, with its faults."""

    rep: Rep


@dataclass(frozen=True)
class SetCompleted:
    """A set is over."""

    set: SetSummary


@dataclass(frozen=True)
class WarningRaised:
    """A warning about the input."""

    warning: Warning


@dataclass(frozen=True)
class Finished:
    """The stream has ended: whole-stream figures."""

    sample_rate_hz: float
    duration_s: float
    samples: int
    gyroscope: bool


Event = Union[
    RepStarted, RepCompleted, RepDiscarded, SetCompleted, WarningRaised, WalkingRecognised, Finished
]


def _event(d: Mapping[str, Any]) -> Optional[Event]:
    kind = d.get("event")
    if kind == "rep_started":
        return RepStarted(d["t_s"], d["id"])
    if kind == "rep_discarded":
        return RepDiscarded(d["id"], d["t_s"], d["reason"])
    if kind == "rep_completed":
        return RepCompleted(Rep._from(d))
    if kind == "set_completed":
        return SetCompleted(_build(SetSummary, d))
    if kind == "warning":
        return WarningRaised(_build(Warning, d))
    if kind == "walking":
        return WalkingRecognised(_build(Walk, d))
    if kind == "finished":
        return Finished(d["sample_rate_hz"], d["duration_s"], d["samples"], d["gyroscope"])
    return None  # an event kind this version does not know


# Tables ----------------------------------------------------------------------


# How each column type is held: the pyarrow type's name, the pandas dtype,
# and the pandas dtype when a column has nulls.
_COLUMN_TYPES = {
    "utf8": ("string", object, object),
    "int64": ("int64", "int64", "Int64"),
    "float64": ("float64", "float64", "float64"),
    "bool": ("bool_", "bool", "boolean"),
}


def _table(columns: Sequence[Tuple[str, str, bool, list]], to: str):
    """The native side's columns ``[(name, type, nullable, values)]`` as a
    ``pyarrow.Table`` (``to="arrow"``) or a ``pandas.DataFrame``
    (``to="pandas"``)."""
    module, extra = {"arrow": ("pyarrow", "arrow"), "pandas": ("pandas", "pandas")}[to]
    try:
        lib = importlib.import_module(module)
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"this needs {module}: pip install {module} (or kickback[{extra}])") from e
    if to == "arrow":
        types = [getattr(lib, _COLUMN_TYPES[t][0])() for _, t, _, _ in columns]
        schema = lib.schema(
            [lib.field(c[0], ty, nullable=c[2]) for c, ty in zip(columns, types)]
        )
        arrays = [lib.array(c[3], type=ty) for c, ty in zip(columns, types)]
        return lib.Table.from_arrays(arrays, schema=schema)
    data = {}
    for name, t, nullable, values in columns:
        _, dtype, with_nulls = _COLUMN_TYPES[t]
        if nullable and any(v is None for v in values):
            dtype = with_nulls
        data[name] = lib.Series(values, dtype=dtype)
    return lib.DataFrame(data, columns=[c[0] for c in columns])


class Analysis:
    """The analysis of one recording, as ``kickback analyze`` reports it.

    Attributes:
        reps: Every rep, in order (:class:`Rep`).
        sets: The sets, in order (:class:`SetSummary`).
        summary: Fault counts (:class:`Summary`).
        warnings: Warnings, in order (:class:`Warning`); reader notes first.
        walking: Walking recognised, in order (:class:`Walk`); not reps.
        rep_count, sample_rate_hz, duration_s, gyroscope: as in the JSON report.
        source: The path analysed (``None`` for arrays).
        units, input: The JSON report's ``units`` and ``input`` (what the
            reader found) as dicts (``None`` for arrays).
    """

    def __init__(self, native: "_native.NativeReport") -> None:
        self._native = native
        d = json.loads(native.json())
        self.source: Optional[str] = d.get("source")
        self.sample_rate_hz: float = d["sample_rate_hz"]
        self.duration_s: float = d["duration_s"]
        self.rep_count: int = d["rep_count"]
        self.gyroscope: bool = d["gyroscope"]
        self.reps: List[Rep] = [Rep._from(r) for r in d["reps"]]
        self.sets: List[SetSummary] = [_build(SetSummary, s) for s in d["sets"]]
        self.summary: Summary = _build(Summary, d["summary"])
        self.warnings: List[Warning] = [_build(Warning, w) for w in d["warnings"]]
        self.walking: List[Walk] = [_build(Walk, w) for w in d.get("walking", [])]
        self.units: Optional[Dict[str, Any]] = d.get("units")
        self.input: Optional[Dict[str, Any]] = d.get("input")

    def to_dict(self) -> Dict[str, Any]:
        """The JSON report as a dict (``kickback analyze --format json`` for a file)."""
        return json.loads(self._native.json())

    def _columns(self, table: str):
        if table == "reps":
            return self._native.rep_columns()
        if table == "sets":
            return self._native.set_columns()
        raise ValueError(f"table must be 'reps' or 'sets', got {table!r}")

    def to_arrow(self, table: str = "reps"):
        """The reps (or, with ``table="sets"``, the sets) as a ``pyarrow.Table``
        (the columns of ``kickback check``'s reps table, without ``source``)."""
        return _table(self._columns(table), "arrow")

    def to_pandas(self, table: str = "reps"):
        """The reps (or, with ``table="sets"``, the sets) as a ``pandas.DataFrame``."""
        return _table(self._columns(table), "pandas")

    def __repr__(self) -> str:
        where = f"{self.source!r}, " if self.source else ""
        return (
            f"Analysis({where}{self.rep_count} reps in {len(self.sets)} sets, "
            f"momentum {self.summary.momentum}, lumbar {self.summary.lumbar_overextension}, "
            f"partial {self.summary.partial_range})"
        )


@dataclass(frozen=True)
class Recording:
    """A recording as read: ``t`` (n,) in s, ``acc`` (n, 3) in m/s² with
    gravity, ``gyro`` (n, 3) in rad/s or ``None`` (no gyroscope; NaN rows
    where a sample has none), ``info`` what the reader found (format, units
    and why, files, gaps, notes: the JSON report's ``input``)."""

    t: np.ndarray
    acc: np.ndarray
    gyro: Optional[np.ndarray]
    info: Dict[str, Any]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.t, self.acc, self.gyro, self.info))


def read(path: PathLike, **options: Any) -> Recording:
    """Reads a recording: a CSV file, an app export folder or a zip, in any
    format the CLI reads (see :func:`formats`).

    Keyword arguments: ``input_format``, ``accel_unit``, ``gyro_unit``,
    ``time_unit``, ``rate`` (as the CLI's ``--input-format`` etc.).

    Raises:
        ReadError: the recording cannot be read (``file``, ``line`` and
            ``column`` say where).
        SettingsError: an option is unknown or out of range.
    """
    t, acc, gyro, info = _native.read(os.fspath(path), _options(options))
    return Recording(t, acc, gyro, json.loads(info))


def _array(x: Any, name: str, ndim: int) -> np.ndarray:
    a = np.ascontiguousarray(x, dtype=np.float64)  # no copy when already so
    if a.ndim != ndim:
        shape = "(n,)" if ndim == 1 else "(n, 3)"
        raise ValueError(f"{name} must have shape {shape}, got {a.shape}")
    return a


def _arrays(source: Any) -> Tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]:
    if isinstance(source, Recording):
        t, acc, gyro = source.t, source.acc, source.gyro
    elif isinstance(source, Mapping):
        t, acc, gyro = source["t"], source["acc"], source.get("gyro")
    elif isinstance(source, (tuple, list)) and len(source) in (2, 3):
        t, acc = source[0], source[1]
        gyro = source[2] if len(source) == 3 else None
    else:
        raise TypeError(
            "analyze() takes a path, a Recording, a (t, acc[, gyro]) tuple or a "
            f"mapping with 't', 'acc' and 'gyro'; got {type(source).__name__}"
        )
    return (
        _array(t, "t", 1),
        _array(acc, "acc", 2),
        None if gyro is None else _array(gyro, "gyro", 2),
    )


def analyze(source: Any, **settings: Any) -> Analysis:
    """Analyses a recording.

    Args:
        source: a path (CSV file, export folder or zip, read as
            ``kickback analyze`` reads it), a :class:`Recording`, a tuple
            ``(t, acc)`` or ``(t, acc, gyro)`` of arrays, or a mapping with
            keys ``t``, ``acc`` and ``gyro``. Arrays: ``t`` (n,) in s,
            ``acc`` (n, 3) in m/s² with gravity, ``gyro`` (n, 3) in rad/s
            or ``None``; float64 C-contiguous arrays are used without a copy.
        **settings: analysis settings and read options (see the module doc).

    Raises:
        ReadError: a file cannot be read (with its file, line and column).
        SettingsError: a setting is unknown or out of range.
        ValueError: arrays of the wrong shape.
    """
    opts = _options(settings)
    if isinstance(source, (str, os.PathLike)):
        return Analysis(_native.analyze_path(os.fspath(source), opts))
    t, acc, gyro = _arrays(source)
    return Analysis(_native.analyze_arrays(t, acc, gyro, opts))


class Analyzer:
    """The online analyzer, for live use.

    Push chunks of samples as they arrive, poll the events they caused, and
    finish the stream to get its :class:`Analysis` -- the same as
    :func:`analyze` of all the samples at once::

        live = kickback.Analyzer(torso_hinge=40)
        for t, acc, gyro in chunks:
            live.push(t, acc, gyro)
            for event in live.poll():
                if isinstance(event, kickback.RepCompleted):
                    print(event.rep.index, event.rep.faults)
        analysis = live.finish()

    Pushing after :meth:`finish` starts a new stream. Events wait for
    :meth:`poll`, so poll as you push.
    """

    def __init__(self, **settings: Any) -> None:
        self._native = _native.NativeAnalyzer(_options(settings))

    def push(self, t: Any, acc: Any, gyro: Any = None) -> None:
        """Pushes samples: ``t`` (n,) s, ``acc`` (n, 3) m/s², ``gyro`` (n, 3)
        rad/s or ``None``. One sample may be given as a number and two
        3-vectors."""
        t = np.atleast_1d(np.asarray(t, dtype=np.float64))
        acc = np.asarray(acc, dtype=np.float64)
        if acc.ndim == 1:
            acc = acc.reshape(1, -1)
        if gyro is not None:
            gyro = np.asarray(gyro, dtype=np.float64)
            if gyro.ndim == 1:
                gyro = gyro.reshape(1, -1)
        t, acc, gyro = _arrays((t, acc, gyro))
        self._native.push(t, acc, gyro)

    def poll(self) -> List[Event]:
        """The events since the last poll, in time order."""
        events = (_event(d) for d in json.loads(self._native.poll()))
        return [e for e in events if e is not None]

    def finish(self) -> Analysis:
        """Ends the stream and returns its analysis (its last events are
        left for :meth:`poll`)."""
        return Analysis(self._native.finish())


class CheckResult:
    """The result of :func:`check`: ``recordings`` and ``reps``, two
    ``pyarrow.Table``\\ s, and ``exit_code``, the CLI's exit status (0 ok,
    1 some recording has a ``fail_on`` fault, 2 some could not be read).
    Unpacks as ``recordings, reps = kickback.check(...)``."""

    def __init__(self, recordings: Any, reps: Any, exit_code: int) -> None:
        self.recordings = recordings
        self.reps = reps
        self.exit_code = exit_code

    def __iter__(self) -> Iterator[Any]:
        return iter((self.recordings, self.reps))

    def __repr__(self) -> str:
        return (
            f"CheckResult({self.recordings.num_rows} recordings, "
            f"{self.reps.num_rows} reps, exit_code={self.exit_code})"
        )


def check(
    paths: Union[PathLike, Iterable[PathLike]],
    jobs: Optional[int] = None,
    fail_on: Union[str, Iterable[str]] = ("momentum", "lumbar_overextension", "unusable", "error"),
    **settings: Any,
) -> CheckResult:
    """Checks many recordings at once, as ``kickback check`` does: files,
    app export folders and zips (one recording each), folders searched
    recursively, globs. Recordings run in parallel on ``jobs`` threads
    (default: all cores). A recording that cannot be read is a row with
    ``status == "error"`` and its message in ``error``, as in the CLI.

    Returns:
        :class:`CheckResult` with ``recordings`` (one row per recording:
        source, status, error, rep_count, set_count, duration_s, momentum,
        lumbar_overextension, partial_range, warning_count, fails) and
        ``reps`` (one row per rep; the columns of ``reps.parquet``), both
        ``pyarrow.Table`` (pyarrow is needed).

    Raises:
        SettingsError: a setting, read option, ``jobs`` or ``fail_on`` item
            is unknown or out of range.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    items = [fail_on] if isinstance(fail_on, str) else list(fail_on)
    items = [p.strip() for i in items for p in str(i).split(",") if p.strip()]
    if jobs is not None and not isinstance(jobs, int):
        raise SettingsError(f"jobs must be a whole number, got {jobs!r}")
    recs, reps, code = _native.check(
        [os.fspath(p) for p in paths], jobs, items, _options(settings)
    )
    return CheckResult(_table(recs, "arrow"), _table(reps, "arrow"), code)


def find_recordings(paths: Union[PathLike, Iterable[PathLike]]) -> List[str]:
    """The recordings :func:`check` would check, in its order and as its
    ``source`` column shows them: files, app export folders and zips (one
    recording each) found under ``paths`` (folders are searched
    recursively, globs expanded, duplicates dropped). An input that yields
    no recording is listed as given (``check`` makes it an error row).

    ``check(find_recordings(paths))`` has the rows of ``check(paths)``; a
    batch job can list on one machine and check the parts elsewhere.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return [source for source, _ in _native.expand([os.fspath(p) for p in paths])]


def formats() -> List[Tuple[str, str]]:
    """The input formats: ``[(name, description)]`` (names for ``input_format``)."""
    return list(_native.formats())

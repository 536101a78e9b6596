"""Type stubs of kickback._native, the compiled half of the package (use
the functions of :mod:`kickback`; these are its building blocks)."""

from typing import List, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

__version__: str

# (name, type: "utf8" | "int64" | "float64" | "bool", nullable, values)
Columns = List[Tuple[str, str, bool, list]]

class Options:
    """Settings and read options, resolved and checked as the CLI does."""

    def __init__(
        self,
        *,
        config: Optional[str] = ...,
        torso_hinge: Optional[float] = ...,
        hip_extension_limit: Optional[float] = ...,
        partial_fraction: Optional[float] = ...,
        set_rest: Optional[float] = ...,
        set: Sequence[str] = ...,
        input_format: Optional[str] = ...,
        accel_unit: Optional[str] = ...,
        gyro_unit: Optional[str] = ...,
        time_unit: Optional[str] = ...,
        rate: Optional[float] = ...,
    ) -> None: ...
    def settings_json(self) -> str: ...

class NativeReport:
    def json(self) -> str: ...
    def rep_columns(self) -> Columns: ...
    def set_columns(self) -> Columns: ...

class NativeAnalyzer:
    def __init__(self, options: Options) -> None: ...
    def push(
        self,
        t: npt.NDArray[np.float64],
        acc: npt.NDArray[np.float64],
        gyro: Optional[npt.NDArray[np.float64]],
    ) -> None: ...
    def poll(self) -> str: ...
    def finish(self) -> NativeReport: ...

def read(
    path: str, options: Options
) -> Tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    Optional[npt.NDArray[np.float64]],
    str,
]: ...
def analyze_path(path: str, options: Options) -> NativeReport: ...
def analyze_arrays(
    t: npt.NDArray[np.float64],
    acc: npt.NDArray[np.float64],
    gyro: Optional[npt.NDArray[np.float64]],
    options: Options,
) -> NativeReport: ...
def check(
    paths: Sequence[str], jobs: Optional[int], fail_on: Sequence[str], options: Options
) -> Tuple[Columns, Columns, int]: ...
def formats() -> List[Tuple[str, str]]: ...
def expand(paths: Sequence[str]) -> List[Tuple[str, Optional[str]]]: ...

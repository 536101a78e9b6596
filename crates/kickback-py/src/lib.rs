//! `kickback._native`: the compiled half of the `kickback` Python package.
//!
//! The Python half (`python/kickback/__init__.py`) is the public API; this
//! module does the work with the Rust crates, with the GIL released while
//! the engine or a reader runs:
//! - `Options`: analysis settings and read options, resolved and checked
//!   by the CLI's own code (`SettingsArgs`, `InputArgs`), so the same
//!   arguments give the same settings and the same error messages;
//! - `read`, `analyze_path`, `analyze_arrays`, `NativeAnalyzer`,
//!   `check`: the functions behind `kickback.read`, `kickback.analyze`,
//!   `kickback.Analyzer` and `kickback.check`.
//!
//! Errors become the exceptions of `kickback._errors` (`ReadError` with the
//! file, line and column of a bad input; `SettingsError`; `KickbackError`).

use kickback::{Analysis, Event, Sample, Session, Settings};
use kickback_cli::check::{self, CheckConfig};
use kickback_cli::columns::{self, Column, Values};
use kickback_cli::input::{self, InputArgs, Pipeline, Report};
use kickback_cli::settings_args::SettingsArgs;
use kickback_formats::{FormatError, ReadOptions};
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use std::path::PathBuf;

/// Where a reader error points: file, 1-based line and column when known.
fn location(e: &FormatError) -> (Option<String>, Option<u64>, Option<usize>) {
    (e.file().map(str::to_string), e.line(), e.column())
}

/// The exception `kind` of `kickback._errors`, built with the message and
/// where it happened.
fn exception(
    py: Python<'_>,
    kind: &str,
    message: String,
    file: Option<String>,
    line: Option<u64>,
    column: Option<usize>,
) -> PyErr {
    let made = py
        .import("kickback._errors")
        .and_then(|m| m.getattr(kind))
        .and_then(|class| class.call1((message, file, line, column)));
    match made {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

/// What went wrong in Rust, as the matching Python exception. `file` is
/// the input (or settings file) the call was about, used when the error
/// itself names none.
fn to_pyerr(py: Python<'_>, e: &anyhow::Error, file: Option<String>) -> PyErr {
    to_pyerr_or(py, e, file, "KickbackError")
}

/// [`to_pyerr`], with `fallback` the exception for errors that are neither
/// a reader's nor an out-of-range setting.
fn to_pyerr_or(py: Python<'_>, e: &anyhow::Error, file: Option<String>, fallback: &str) -> PyErr {
    let message = format!("{e:#}");
    for cause in e.chain() {
        if let Some(fe) = cause.downcast_ref::<FormatError>() {
            if matches!(fe.kind(), kickback_formats::ErrorKind::BadOption { .. }) {
                return exception(py, "SettingsError", message, None, None, None);
            }
            let (f, line, column) = location(fe);
            return exception(py, "ReadError", message, f.or(file), line, column);
        }
        if cause.downcast_ref::<kickback::SettingsError>().is_some() {
            return exception(py, "SettingsError", message, file, None, None);
        }
    }
    exception(py, fallback, message, file, None, None)
}

/// Analysis settings and read options, resolved like the CLI's flags: the
/// defaults, overridden by the settings file (`config`, or `./kickback.toml`
/// when it exists), overridden by `set` (dotted `KEY=VALUE` items), then by
/// the named settings; checked.
#[pyclass(module = "kickback._native", frozen)]
struct Options {
    settings: Settings,
    read: ReadOptions,
}

#[pymethods]
impl Options {
    #[new]
    #[pyo3(signature = (*, config=None, torso_hinge=None, hip_extension_limit=None,
        partial_fraction=None, set_rest=None, set=Vec::new(), input_format=None,
        accel_unit=None, gyro_unit=None, time_unit=None, rate=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        config: Option<PathBuf>,
        torso_hinge: Option<f64>,
        hip_extension_limit: Option<f64>,
        partial_fraction: Option<f64>,
        set_rest: Option<f64>,
        set: Vec<String>,
        input_format: Option<String>,
        accel_unit: Option<String>,
        gyro_unit: Option<String>,
        time_unit: Option<String>,
        rate: Option<f64>,
    ) -> PyResult<Options> {
        let shown = config.as_ref().map(|c| c.display().to_string());
        let args = SettingsArgs {
            config,
            torso_hinge,
            hip_extension_limit,
            partial_fraction,
            set_rest,
            set,
        };
        let settings = args
            .resolve()
            .map_err(|e| to_pyerr_or(py, &e, shown, "SettingsError"))?;
        let input = InputArgs {
            input_format,
            accel_unit,
            gyro_unit,
            time_unit,
            rate,
        };
        let read = input
            .read_options()
            .map_err(|e| exception(py, "SettingsError", format!("{e:#}"), None, None, None))?;
        Ok(Options { settings, read })
    }

    /// The settings in force, as JSON (the sections of `kickback.toml`).
    fn settings_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.settings).map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

/// Columns as `[(name, type, nullable, values)]` for the Python side.
fn columns_to_py<'py>(py: Python<'py>, cols: &[Column]) -> PyResult<Bound<'py, PyList>> {
    let items = cols
        .iter()
        .map(|c| {
            let values = match &c.values {
                Values::Utf8(v) => v.into_pyobject(py)?.into_any(),
                Values::Int64(v) => v.into_pyobject(py)?.into_any(),
                Values::Float64(v) => v.into_pyobject(py)?.into_any(),
                Values::Bool(v) => v.into_pyobject(py)?.into_any(),
                _ => return Err(PyValueError::new_err("unknown column type")),
            };
            PyTuple::new(
                py,
                [
                    c.name.as_str().into_pyobject(py)?.into_any(),
                    c.values.type_name().into_pyobject(py)?.into_any(),
                    pyo3::types::PyBool::new(py, c.nullable)
                        .to_owned()
                        .into_any(),
                    values,
                ],
            )
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// One analysis: of a file (with what the reader found) or of arrays.
#[pyclass(module = "kickback._native", frozen)]
struct NativeReport {
    analysis: Analysis,
    /// The full report of a file (`None` for arrays).
    report: Option<Report>,
}

#[pymethods]
impl NativeReport {
    /// The report as JSON: `kickback analyze --format json` for a file, the
    /// analysis alone for arrays.
    fn json(&self) -> PyResult<String> {
        match &self.report {
            // The CLI's own JSON (with the per-set coaching and cues).
            Some(r) => {
                kickback_cli::output::json(r).map_err(|e| PyValueError::new_err(e.to_string()))
            }
            None => serde_json::to_string(&self.analysis)
                .map_err(|e| PyValueError::new_err(e.to_string())),
        }
    }

    /// The reps as columns (the reps table of `kickback check`, without
    /// `source`).
    fn rep_columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let rows: Vec<(&str, &kickback::Rep)> =
            self.analysis.reps.iter().map(|r| ("", r)).collect();
        let mut cols = columns::rep_columns(&rows);
        cols.retain(|c| c.name != "source");
        columns_to_py(py, &cols)
    }

    /// The sets as columns.
    fn set_columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        columns_to_py(py, &columns::set_columns(&self.analysis.sets))
    }
}

/// Reads a recording: `(t, acc, gyro, info_json)` with `t` in s (n),
/// `acc` in m/s² (n × 3), `gyro` in rad/s (n × 3, NaN where a sample has
/// none; `None` when no sample has one).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn read<'py>(
    py: Python<'py>,
    path: PathBuf,
    options: &Options,
) -> PyResult<(
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyAny>,
    Option<Bound<'py, PyAny>>,
    String,
)> {
    let read = &options.read;
    let got = py.detach(|| -> Result<_, FormatError> {
        let recording = kickback_formats::open(&path, read)?;
        let mut samples = recording.samples();
        let (mut t, mut acc, mut gyro) = (Vec::new(), Vec::new(), Vec::new());
        let mut any_gyro = false;
        let mut batch = Vec::with_capacity(4096);
        loop {
            batch.clear();
            let more = samples.next_batch(&mut batch, 4096)?;
            for s in &batch {
                t.push(s.t);
                acc.extend_from_slice(s.acc.as_slice());
                match s.gyro {
                    Some(g) => {
                        any_gyro = true;
                        gyro.extend_from_slice(g.as_slice());
                    }
                    None => gyro.extend_from_slice(&[f64::NAN; 3]),
                }
            }
            if !more {
                break;
            }
        }
        Ok((t, acc, any_gyro.then_some(gyro), samples.into_info()))
    });
    let (t, acc, gyro, info) =
        got.map_err(|e| to_pyerr(py, &e.into(), Some(path.display().to_string())))?;
    let n = t.len();
    let info = serde_json::to_string(&info).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let acc = PyArray1::from_vec(py, acc).reshape([n, 3])?.into_any();
    let gyro = match gyro {
        Some(g) => Some(PyArray1::from_vec(py, g).reshape([n, 3])?.into_any()),
        None => None,
    };
    Ok((PyArray1::from_vec(py, t), acc, gyro, info))
}

/// Analyses a recording (a file, an export folder or a zip) as
/// `kickback analyze` does.
#[pyfunction]
fn analyze_path(py: Python<'_>, path: PathBuf, options: &Options) -> PyResult<NativeReport> {
    let got = py.detach(|| {
        input::analyze_path_with(&path, &options.read, &options.settings, Pipeline::auto())
    });
    let report = got.map_err(|e| to_pyerr(py, &e, Some(path.display().to_string())))?;
    Ok(NativeReport {
        analysis: report.analysis.clone(),
        report: Some(report),
    })
}

/// The samples of arrays: `t` (n), `acc` (n × 3, C order), `gyro`
/// (n × 3, C order) or `None`; borrowed, not copied.
struct Arrays<'a> {
    t: &'a [f64],
    acc: &'a [f64],
    gyro: Option<&'a [f64]>,
}

impl<'a> Arrays<'a> {
    fn new(
        t: &'a PyReadonlyArray1<'_, f64>,
        acc: &'a PyReadonlyArray2<'_, f64>,
        gyro: Option<&'a PyReadonlyArray2<'_, f64>>,
    ) -> PyResult<Arrays<'a>> {
        let n = t.len();
        let shape_ok = |a: &PyReadonlyArray2<'_, f64>| a.shape() == [n, 3];
        if !shape_ok(acc) {
            return Err(PyValueError::new_err(format!(
                "acc must have shape ({n}, 3) to match t (length {n}); got {:?}",
                acc.shape()
            )));
        }
        if let Some(g) = gyro {
            if !shape_ok(g) {
                return Err(PyValueError::new_err(format!(
                    "gyro must have shape ({n}, 3) to match t (length {n}); got {:?}",
                    g.shape()
                )));
            }
        }
        let slice = |r: Result<&'a [f64], numpy::NotContiguousError>, what: &str| {
            r.map_err(|_| PyValueError::new_err(format!("{what} must be C-contiguous")))
        };
        Ok(Arrays {
            t: slice(t.as_slice(), "t")?,
            acc: slice(acc.as_slice(), "acc")?,
            gyro: match gyro {
                Some(g) => Some(slice(g.as_slice(), "gyro")?),
                None => None,
            },
        })
    }

    /// The samples, in order.
    fn samples(&self) -> impl Iterator<Item = Sample> + '_ {
        let three = |v: &[f64], i: usize| [v[3 * i], v[3 * i + 1], v[3 * i + 2]];
        (0..self.t.len()).map(move |i| {
            Sample::new(
                self.t[i],
                three(self.acc, i),
                self.gyro.map(|g| three(g, i)),
            )
        })
    }
}

/// The settings' error as the matching Python exception.
fn settings_error(py: Python<'_>, e: kickback::Error) -> PyErr {
    to_pyerr(py, &anyhow::Error::new(e), None)
}

/// Analyses samples given as arrays (see [`Arrays`]).
#[pyfunction]
#[pyo3(signature = (t, acc, gyro, options))]
fn analyze_arrays(
    py: Python<'_>,
    t: PyReadonlyArray1<'_, f64>,
    acc: PyReadonlyArray2<'_, f64>,
    gyro: Option<PyReadonlyArray2<'_, f64>>,
    options: &Options,
) -> PyResult<NativeReport> {
    let arrays = Arrays::new(&t, &acc, gyro.as_ref())?;
    let analysis = py
        .detach(|| kickback::analyze(arrays.samples(), &options.settings))
        .map_err(|e| settings_error(py, e))?;
    Ok(NativeReport {
        analysis,
        report: None,
    })
}

/// The online analyzer for live use: push chunks of samples, poll the
/// events, finish. The report of a stream equals [`analyze_arrays`] of all
/// its samples.
#[pyclass(module = "kickback._native")]
struct NativeAnalyzer {
    /// The analyzer and the report of the stream so far.
    session: Session,
    /// Events not yet polled.
    pending: Vec<Event>,
}

#[pymethods]
impl NativeAnalyzer {
    #[new]
    fn new(py: Python<'_>, options: &Options) -> PyResult<NativeAnalyzer> {
        Ok(NativeAnalyzer {
            session: Session::new(options.settings.clone()).map_err(|e| settings_error(py, e))?,
            pending: Vec::new(),
        })
    }

    /// Pushes a chunk of samples.
    #[pyo3(signature = (t, acc, gyro))]
    fn push(
        &mut self,
        py: Python<'_>,
        t: PyReadonlyArray1<'_, f64>,
        acc: PyReadonlyArray2<'_, f64>,
        gyro: Option<PyReadonlyArray2<'_, f64>>,
    ) -> PyResult<()> {
        let arrays = Arrays::new(&t, &acc, gyro.as_ref())?;
        let NativeAnalyzer { session, pending } = self;
        py.detach(|| {
            for s in arrays.samples() {
                pending.extend(session.push(s));
            }
        });
        Ok(())
    }

    /// The events since the last poll, as a JSON list.
    fn poll(&mut self) -> PyResult<String> {
        let text = serde_json::to_string(&self.pending)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        self.pending.clear();
        Ok(text)
    }

    /// Ends the stream: returns its report (its last events wait for `poll`).
    fn finish(&mut self, py: Python<'_>) -> NativeReport {
        let NativeAnalyzer { session, pending } = self;
        let analysis = py.detach(|| session.finish_with(|e| pending.push(e)));
        NativeReport {
            analysis,
            report: None,
        }
    }
}

/// `kickback check`: returns `(recording columns, rep columns, exit status)`.
#[pyfunction]
#[pyo3(name = "check", signature = (paths, jobs, fail_on, options))]
#[allow(clippy::type_complexity)]
fn check_paths<'py>(
    py: Python<'py>,
    paths: Vec<String>,
    jobs: Option<usize>,
    fail_on: Vec<String>,
    options: &Options,
) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyList>, u8)> {
    let mut cfg = CheckConfig::new(options.settings.clone());
    if let Some(j) = jobs {
        if !(1..=1024).contains(&j) {
            return Err(exception(
                py,
                "SettingsError",
                format!("jobs must be between 1 and 1024, got {j}"),
                None,
                None,
                None,
            ));
        }
        cfg.jobs = j;
    }
    let items = fail_on
        .iter()
        .map(|s| check::parse_fail_on(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            exception(
                py,
                "SettingsError",
                format!("fail_on: {e}"),
                None,
                None,
                None,
            )
        })?;
    cfg.fail_on = check::fail_rules(&items);
    cfg.read = options.read.clone();
    cfg.keep_reps = true;
    let outcomes = py
        .detach(|| {
            let targets = check::expand(&paths);
            check::run(&targets, &cfg)
        })
        .map_err(|e| to_pyerr(py, &e, None))?;
    let totals = check::totals(&outcomes, &cfg.fail_on);
    Ok((
        columns_to_py(py, &columns::recordings(&outcomes))?,
        columns_to_py(py, &columns::reps(&outcomes))?,
        totals.exit_code,
    ))
}

/// The recordings `check` would check, in its order: `[(source, error)]`
/// (`error` is why an input yielded none).
#[pyfunction]
fn expand(py: Python<'_>, paths: Vec<String>) -> Vec<(String, Option<String>)> {
    py.detach(|| {
        check::expand(&paths)
            .into_iter()
            .map(|t| (t.source, t.error))
            .collect()
    })
}

/// The formats `read` and `analyze` accept: `[(name, description)]`.
#[pyfunction]
fn formats() -> Vec<(&'static str, &'static str)> {
    kickback_formats::formats()
        .iter()
        .map(|f| (f.name, f.description))
        .collect()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Options>()?;
    m.add_class::<NativeReport>()?;
    m.add_class::<NativeAnalyzer>()?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_path, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_arrays, m)?)?;
    m.add_function(wrap_pyfunction!(check_paths, m)?)?;
    m.add_function(wrap_pyfunction!(formats, m)?)?;
    m.add_function(wrap_pyfunction!(expand, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

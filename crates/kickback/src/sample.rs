//! One timestamped IMU reading in SI units.

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

/// One IMU reading: time, specific force and (optionally) angular rate.
///
/// Units are SI everywhere in the engine:
/// - `t` in seconds (any origin; only differences matter),
/// - `acc` in m/s², the *specific force* the accelerometer measures
///   (at rest it points up with magnitude ≈ 9.81),
/// - `gyro` in rad/s, in the same sensor frame as `acc`, or `None` when the
///   recording has no gyroscope.
///
/// ```
/// use kickback::Sample;
/// let s = Sample::new(0.01, [0.0, 0.0, 9.81], Some([0.0, 0.1, 0.0]));
/// assert_eq!(s.t, 0.01);
/// assert!(s.gyro.is_some());
/// let no_gyro = Sample::new(0.02, [0.0, 0.0, 9.81], None);
/// assert!(no_gyro.gyro.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Time in seconds.
    pub t: f64,
    /// Specific force in m/s² (gravity included), sensor frame.
    pub acc: Vector3<f64>,
    /// Angular rate in rad/s, sensor frame; `None` when there is no gyroscope.
    pub gyro: Option<Vector3<f64>>,
}

impl Sample {
    /// Builds a sample from plain arrays.
    pub fn new(t: f64, acc: [f64; 3], gyro: Option<[f64; 3]>) -> Self {
        Sample {
            t,
            acc: Vector3::from(acc),
            gyro: gyro.map(Vector3::from),
        }
    }

    /// True when every value is finite (no NaN or infinity).
    ///
    /// ```
    /// use kickback::Sample;
    /// assert!(Sample::new(0.0, [0.0, 0.0, 9.81], None).is_finite());
    /// assert!(!Sample::new(0.0, [f64::NAN, 0.0, 9.81], None).is_finite());
    /// ```
    pub fn is_finite(&self) -> bool {
        self.t.is_finite()
            && self.acc.iter().all(|v| v.is_finite())
            && self.gyro.map_or(true, |g| g.iter().all(|v| v.is_finite()))
    }
}

/// Standard gravity, m/s² (what "1 g" means in settings such as `reps.gait_impact_g`).
///
/// ```
/// assert_eq!(kickback::STANDARD_GRAVITY, 9.80665);
/// ```
pub const STANDARD_GRAVITY: f64 = 9.80665;
